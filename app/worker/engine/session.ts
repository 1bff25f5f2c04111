/**
 * The inference-session seam: every OCR stage runs its model through {@link InferenceSeam}, so stages can be tested
 * with any implementation and the runtime (ONNX Runtime on CPU or WebGPU) is chosen in one place.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { writeFileAtomic } from '../../node/atomic-write.ts';
import { keepClasses, rewriteGraph } from './graph-rewrite.ts';

export interface Tensor {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}

export interface InferenceSeam {
  /** Runs the model on one float32 input; returns its first output. */
  run(input: Tensor): Promise<Tensor>;
  release(): Promise<void>;
}

export type ExecutionProvider = 'cpu' | 'webgpu';

export interface SessionOptions {
  /** Intra-op threads. @default 1 */
  readonly threads?: number;
  /**
   * Execution provider. With 'webgpu' the CPU runs whatever operators WebGPU lacks; a session that cannot get a
   * WebGPU adapter fails to be created (ONNX Runtime does not fall back to the CPU by itself).
   * @default 'cpu'
   */
  readonly executionProvider?: ExecutionProvider;
  /**
   * Dims of an input of zeros run once as soon as the session is made, so that a provider that cannot run the model
   * fails here, where the caller can choose another, rather than on a page.
   * @default no warm-up run
   */
  readonly warmUp?: readonly number[] | undefined;
  /** Apply the exact graph rewrites of graph-rewrite.ts before building the session. @default true */
  readonly rewrite?: boolean;
  /** Recognition models only: the output classes to keep (see keepClasses). @default all */
  readonly keepClasses?: readonly number[];
  /** Recognition models only: the number of output classes the model must have (checked with keepClasses). */
  readonly classes?: number;
  /**
   * Folder where rewritten models are kept, so that a worker start skips rewriting (~0.45 s of its ~1.5 s).
   * @default no cache
   */
  readonly cacheDir?: string | undefined;
  /**
   * The model file's sha256 when it is already known (the manifest's, checked when the pack was loaded): the cache
   * is then looked up without reading and hashing the model (~15 MB) first.
   * @default computed from the file
   */
  readonly sourceSha256?: string | undefined;
}

/** Bump when graph-rewrite.ts changes what it produces: cached models of older versions are then ignored. */
const REWRITE_VERSION = 2;

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/**
 * The model bytes to load: the file, rewritten. A cache entry is named by the source's hash and the rewrite
 * settings, and stored with its own hash beside it; an entry that does not match its hash is rebuilt. The cache
 * only saves time, so failing to read or write it is not an error.
 */
async function modelBytes(file: string, options: SessionOptions): Promise<Uint8Array> {
  // Synchronous reads: this runs while a worker starts, with nothing else to do, and a promise-based read of a
  // 10 MB file goes through the thread pool chunk by chunk (~80 ms of a worker's start).
  if (options.rewrite === false && !options.keepClasses) return readFileSync(file);
  let bytes: Uint8Array | undefined;
  const sourceSha = options.sourceSha256 ?? sha256((bytes = readFileSync(file)));
  const settings = JSON.stringify({ v: REWRITE_VERSION, rewrite: options.rewrite !== false, keep: options.keepClasses ?? null, classes: options.classes ?? null });
  const key = createHash('sha256').update(sourceSha).update(settings).digest('hex').slice(0, 32);
  const entry = options.cacheDir ? path.join(options.cacheDir, `${path.basename(file, '.onnx')}.${key}.onnx`) : undefined;
  if (entry) {
    const read = (name: string) => {
      try {
        return readFileSync(name);
      } catch {
        return undefined;
      }
    };
    const cached = read(entry);
    if (cached && read(`${entry}.sha256`)?.toString('utf8').trim() === sha256(cached)) return cached;
  }
  bytes ??= readFileSync(file);
  let model: Uint8Array = options.rewrite === false ? bytes : rewriteGraph(bytes).bytes;
  if (options.keepClasses) model = keepClasses(model, options.keepClasses, options.classes);
  if (entry) {
    await writeFileAtomic(entry, model)
      .then(() => writeFileAtomic(`${entry}.sha256`, sha256(model)))
      .catch(() => undefined);
  }
  return model;
}

export async function createOnnxSession(file: string, options: SessionOptions = {}): Promise<InferenceSeam> {
  const model = await modelBytes(file, options);
  const session = await ort.InferenceSession.create(model, {
    executionProviders: options.executionProvider === 'webgpu' ? ['webgpu', 'cpu'] : ['cpu'],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: options.threads ?? 1,
    interOpNumThreads: 1,
    enableCpuMemArena: true,
    // Memory patterns plan one block per distinct input shape, and every page and line crop has its own shape:
    // with them on, a worker's arena held ~180 MB more after a few document pages, and ran no faster.
    enableMemPattern: false,
    executionMode: 'sequential',
    // Denormal floats are slow on x86 and carry no information here; flushing them made recognition ~5% faster.
    extra: { session: { set_denormal_as_zero: '1' } },
  });
  const inputName = session.inputNames[0]!;
  const outputName = session.outputNames[0]!;
  const seam: InferenceSeam = {
    async run(input) {
      const tensor = new ort.Tensor('float32', input.data, input.dims);
      const results = await session.run({ [inputName]: tensor });
      const out = results[outputName]!;
      const data = out.data as Float32Array;
      tensor.dispose();
      return { data, dims: out.dims };
    },
    release: () => session.release(),
  };
  if (options.warmUp) {
    const dims = options.warmUp;
    await seam.run({ data: new Float32Array(dims.reduce((a, b) => a * b, 1)), dims }).catch(async (error: unknown) => {
      await session.release().catch(() => undefined);
      throw error;
    });
  }
  return seam;
}
