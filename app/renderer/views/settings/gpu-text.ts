/** How the settings screen and Diagnostics say where OCR runs, from the diagnostics' `gpu` report. */
import type { Diagnostics } from '../../../common/api/resources.ts';
import type { Translate } from '../../i18n/i18n.ts';

/**
 * The adapter in use; else why none is: off in settings (in the window's language), or the workers' own reason
 * (ONNX Runtime's error, as it gave it).
 */
export function gpuText(gpu: Diagnostics['gpu'], t: Translate): string {
  if (gpu.available && gpu.adapter) return t('gpuFound', { adapter: gpu.adapter });
  if (!gpu.enabled) return t('gpuOff');
  return t('gpuNone', { reason: gpu.reason ?? t('none') });
}

const WORKER_STATES = new Set(['starting', 'idle', 'busy', 'retiring', 'dead']);

/** A worker's state in the window's language (an unknown one as the service named it). */
export function workerStateText(state: string, t: Translate): string {
  return WORKER_STATES.has(state) ? t(`workerState_${state}` as Parameters<Translate>[0]) : state;
}
