/**
 * Options of the {@link WorkerPool}, their defaults, and the CPU thread budget: `workers` processes × `threads`
 * ONNX Runtime threads each should not exceed the CPU cores, or the processes fight over them and every page slows.
 */
import { availableParallelism } from 'node:os';
import { InvalidOptionError } from '../../common/errors.ts';
import { expectBoolean, expectInteger, expectString } from '../../common/options.ts';
import { DEFAULT_MODEL_DIR } from '../../node/model-pack.ts';
import { earlyOrForkTransport } from './early-worker.ts';
import type { TransportFactory } from './transport.ts';

export interface WorkerPoolOptions {
  /** Folder of the model pack (its manifest.json). @default the bundled pack, {@link DEFAULT_MODEL_DIR} */
  readonly modelDir?: string;
  /**
   * Worker processes: pages recognised in parallel.
   * @default the number of CPU cores divided by `threads` when `threads` is given, else the number of CPU cores
   */
  readonly workers?: number;
  /**
   * ONNX Runtime intra-op threads per worker. When given together with `workers`, `workers × threads` must not
   * exceed the CPU cores unless `oversubscribe` is set.
   * @default the CPU cores divided by `workers`, at least 1
   */
  readonly threads?: number;
  /** Allow `workers × threads` above the number of CPU cores. @default false */
  readonly oversubscribe?: boolean;
  /** Images with more pixels are refused from their header, before decoding. @default 100_000_000 */
  readonly maxPixels?: number;
  /** Watchdog: a page (or probe) not finished in this time has its worker killed. @default 120_000 */
  readonly pageTimeoutMs?: number;
  /** A worker that has not loaded its models in this time is killed. @default 60_000 */
  readonly initTimeoutMs?: number;
  /** Retries of a page whose worker crashed, hung or ran out of memory, each on a fresh worker. @default 1 */
  readonly retries?: number;
  /**
   * A worker reporting a resident set size above this (bytes) after a page is replaced by a fresh one, which keeps
   * memory flat over long batches.
   * @default 1.25 GiB divided by `workers`, but at least 576 MiB: with the main process, a 2-worker batch stays
   * under 1.5 GB (a worker holds ~230 MB after loading its models and its ONNX arenas grow with page sizes)
   */
  readonly maxRssBytes?: number;
  /** V8 heap limit of each worker in MiB (`--max-old-space-size`). @default V8's own limit */
  readonly maxOldSpaceMb?: number;
  /** Skip the sha256 check of the model files in each worker (when the caller verified them). @default false */
  readonly trustModels?: boolean;
  /** Folder where workers keep rewritten models to start faster. @default none (no cache) */
  readonly cacheDir?: string;
  /**
   * Run the models on the GPU (ONNX Runtime's WebGPU provider); a worker that cannot falls back to the CPU and says
   * why ({@link WorkerPool.device}).
   * @default false
   */
  readonly gpu?: boolean;
  /** Environment of the worker processes. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Module the workers run. @default app/worker/worker-main.ts */
  readonly entry?: string;
  /**
   * Starts a worker process. @default child_process.fork ({@link earlyOrForkTransport}: the first worker may be one
   * the CLI started early)
   */
  readonly transport?: TransportFactory;
}

export interface ResolvedPoolOptions {
  readonly modelDir: string;
  readonly workers: number;
  readonly threads: number;
  readonly maxPixels: number;
  readonly pageTimeoutMs: number;
  readonly initTimeoutMs: number;
  readonly retries: number;
  readonly maxRssBytes: number;
  readonly maxOldSpaceMb: number | undefined;
  readonly trustModels: boolean;
  readonly cacheDir: string | undefined;
  readonly gpu: boolean;
  readonly env: NodeJS.ProcessEnv | undefined;
  readonly entry: string | undefined;
  readonly transport: TransportFactory;
}

export const DEFAULT_MAX_PIXELS = 100_000_000;
export const DEFAULT_PAGE_TIMEOUT_MS = 120_000;
const MiB = 1024 * 1024;

/** Validates options and fills in defaults; throws {@link InvalidOptionError} naming the offending option. */
export function resolvePoolOptions(options: WorkerPoolOptions = {}, cores = availableParallelism()): ResolvedPoolOptions {
  const given = <K extends keyof WorkerPoolOptions>(key: K) => options[key] !== undefined;
  if (given('workers')) expectInteger('workers', options.workers, 1, 256);
  if (given('threads')) expectInteger('threads', options.threads, 1, 256);
  const oversubscribe = given('oversubscribe') ? expectBoolean('oversubscribe', options.oversubscribe) : false;
  let workers: number;
  let threads: number;
  if (options.workers !== undefined && options.threads !== undefined) {
    workers = options.workers;
    threads = options.threads;
    if (workers * threads > cores && !oversubscribe) {
      throw new InvalidOptionError(
        `Expected \`workers\` × \`threads\` to be at most ${cores} (the CPU cores), got ${workers} × ${threads} = ${workers * threads}. ` +
          'Lower one of them (or leave `threads` out and it is chosen for you), or set `oversubscribe` to allow it.',
      );
    }
  } else if (options.workers !== undefined) {
    workers = options.workers;
    threads = Math.max(1, Math.floor(cores / workers));
  } else if (options.threads !== undefined) {
    threads = options.threads;
    workers = Math.max(1, Math.floor(cores / threads));
  } else {
    workers = Math.max(1, cores);
    threads = 1;
  }
  return {
    modelDir: given('modelDir') ? expectString('modelDir', options.modelDir) : DEFAULT_MODEL_DIR,
    workers,
    threads,
    maxPixels: given('maxPixels') ? expectInteger('maxPixels', options.maxPixels, 1) : DEFAULT_MAX_PIXELS,
    pageTimeoutMs: given('pageTimeoutMs') ? expectInteger('pageTimeoutMs', options.pageTimeoutMs, 1) : DEFAULT_PAGE_TIMEOUT_MS,
    initTimeoutMs: given('initTimeoutMs') ? expectInteger('initTimeoutMs', options.initTimeoutMs, 1) : 60_000,
    retries: given('retries') ? expectInteger('retries', options.retries, 0, 10) : 1,
    maxRssBytes: given('maxRssBytes')
      ? expectInteger('maxRssBytes', options.maxRssBytes, 1)
      : Math.max(576 * MiB, Math.floor((1280 * MiB) / workers)),
    maxOldSpaceMb: given('maxOldSpaceMb') ? expectInteger('maxOldSpaceMb', options.maxOldSpaceMb, 16) : undefined,
    trustModels: given('trustModels') ? expectBoolean('trustModels', options.trustModels) : false,
    cacheDir: given('cacheDir') ? expectString('cacheDir', options.cacheDir) : undefined,
    gpu: given('gpu') ? expectBoolean('gpu', options.gpu) : false,
    env: options.env,
    entry: given('entry') ? expectString('entry', options.entry) : undefined,
    transport: options.transport ?? earlyOrForkTransport,
  };
}
