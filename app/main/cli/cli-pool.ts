/** The worker pool every CLI command runs on: settings from the command line, models verified once by the caller. */
import path from 'node:path';
import { WorkerPool } from '../pool/worker-pool.ts';
import { dataDir } from '../settings.ts';

export interface CliPoolSettings {
  readonly modelDir: string;
  readonly workers: number | undefined;
  readonly threads: number | undefined;
  readonly maxPixels: number | undefined;
  readonly pageTimeoutMs: number | undefined;
}

/**
 * Throws InvalidOptionError for bad settings. The caller verifies the model pack once, so workers skip the
 * check; rewritten models are cached in the data folder so workers start faster.
 */
export function cliWorkerPool(s: CliPoolSettings, env: NodeJS.ProcessEnv): WorkerPool {
  return new WorkerPool({
    modelDir: s.modelDir,
    workers: s.workers,
    threads: s.threads,
    maxPixels: s.maxPixels,
    pageTimeoutMs: s.pageTimeoutMs,
    trustModels: true,
    cacheDir: path.join(dataDir(env), 'cache', 'models'),
    env,
  });
}
