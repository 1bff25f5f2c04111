/** The worker pool every CLI command runs on: settings from the command line, models verified once by the caller. */
import path from 'node:path';
import { OcrDeskError } from '../../common/errors.ts';
import { loadModelPack } from '../../node/model-pack.ts';
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

/**
 * Verifies the model pack once for the whole run (the workers then skip it) and returns its id, or undefined after
 * printing why the pack is unusable (a missing or corrupt file, a bad manifest).
 */
export async function verifiedModels(modelDir: string, stderr: { write(text: string): unknown }): Promise<string | undefined> {
  try {
    return (await loadModelPack(modelDir, { verify: true })).manifest.id;
  } catch (error) {
    if (!(error instanceof OcrDeskError)) throw error;
    stderr.write(`ocr-desk: ${error.message}\n`);
    return undefined;
  }
}
