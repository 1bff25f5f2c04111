/**
 * The key under which a result is stored and found again: the file's content plus everything that changes what
 * OCR makes of it. Identical content with identical settings reuses the stored result instead of being recognised
 * again. The engine is part of the key (its version, its model files and its tuning variables), so neither an
 * upgraded engine nor one tuned otherwise (`OCR_DESK_REC_INT8=1`) serves another's text.
 */
import { createHash } from 'node:crypto';
import type { JobSettings } from '../../common/job-settings.ts';

export interface EngineIdentity {
  /** Model pack id. */
  readonly models: string;
  /** OCR Desk's version (the engine ships with it). */
  readonly version: string;
  /** The sha256 of each model file and dictionary of the pack: a pack imported again under its id may hold others. */
  readonly modelFiles: readonly string[];
  /** The engine variables set (common/engine-tuning.ts), '' when none. */
  readonly tuning: string;
}

export function contentKey(sha256: string, s: JobSettings, engine: EngineIdentity): string {
  const parts = [sha256, engine.models, engine.version, [...s.languages].sort().join('+'), s.autoRotate, s.pdfMode, s.pdfDpi, s.maxPixels, engine.modelFiles, engine.tuning];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}
