/** The service's worker pools: one made from the settings, and a replaced one closed once its pages are done. */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { SettingsView } from '../../common/api/resources.ts';
import { WorkerPool } from '../pool/worker-pool.ts';
import { cacheDir } from '../settings.ts';
import type { OcrServiceOptions } from './options.ts';

/**
 * The pool for a job of `pages` pages known up front, when that is fewer than the cores: one worker per page, the
 * cores shared among them. A lone receipt read by one worker on 2 threads was on screen in 0.99–1.03 s from the
 * CLI's start, against 1.28–1.30 s with two single-threaded workers (one idle, but loading its models on the other
 * core meanwhile); a batch keeps one single-threaded worker per core, as two threads in each of two workers was 15–25%
 * slower on sroie-dev (measured in one run, alternating).
 */
export function smallJobShape(pages: number | undefined, cores = availableParallelism()): { workers: number; threads: number } | undefined {
  if (pages === undefined || pages < 1 || pages >= cores) return undefined;
  return { workers: pages, threads: Math.floor(cores / pages) };
}

export function newPool(s: SettingsView['values'], dataDir: string, o: OcrServiceOptions): WorkerPool {
  const shape = s.workers === null && s.threads === null ? smallJobShape(o.pagesHint) : undefined;
  return new WorkerPool({
    modelDir: s.modelDir,
    workers: shape?.workers ?? s.workers ?? undefined,
    threads: shape?.threads ?? s.threads ?? undefined,
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
