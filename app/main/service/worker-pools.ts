/** The service's worker pools: one made from the settings, and a replaced one closed once its pages are done. */
import path from 'node:path';
import type { SettingsView } from '../../common/api/resources.ts';
import { WorkerPool } from '../pool/worker-pool.ts';
import { cacheDir } from '../settings.ts';
import type { OcrServiceOptions } from './options.ts';

export function newPool(s: SettingsView['values'], dataDir: string, o: OcrServiceOptions): WorkerPool {
  return new WorkerPool({
    modelDir: s.modelDir,
    workers: s.workers ?? undefined,
    threads: s.threads ?? undefined,
    pageTimeoutMs: s.pageTimeoutMs,
    gpu: s.gpu,
    trustModels: true,
    cacheDir: path.join(cacheDir(o.env ?? process.env, dataDir), 'models'),
    env: o.env ?? process.env,
    ...(o.transport ? { transport: o.transport } : {}),
    ...(o.workerEntry ? { entry: o.workerEntry } : {}),
  });
}

/** Closes a replaced pool once its pages are done. */
export async function retireWhenIdle(pool: WorkerPool): Promise<void> {
  for (;;) {
    const s = pool.stats();
    if (s.queued === 0 && s.workers.every((w) => w.state !== 'busy')) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  await pool.close();
}
