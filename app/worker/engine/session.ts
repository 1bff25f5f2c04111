/**
 * The inference-session seam: every OCR stage runs its model through {@link InferenceSeam}, so stages can be tested
 * with any implementation and the runtime (ONNX Runtime on CPU or WebGPU) is chosen in one place.
 */
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { QuantizeOptions, Ranges } from './quantize-options.ts';
import { adoptFile, machineKey, readEntry, sha256, writeEntry } from './model-cache.ts';

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
   * Folder where rewritten models (hardware-independent) and ONNX Runtime's optimised graphs of them (for this CPU
   * and runtime version) are kept, so that a worker start skips rewriting (~0.45 s) and optimising (~35 ms).
   * @default no cache
   */
  readonly cacheDir?: string | undefined;
  /**
   * The model file's sha256 when it is already known (the manifest's, checked when the pack was loaded): the cache
   * is then looked up without reading and hashing the model (~15 MB) first.
   * @default computed from the file
   */
  readonly sourceSha256?: string | undefined;
  /**
   * Run the model's wide pointwise convolutions in int8 (graph-quantize.ts), with these value ranges (a model pack's
   * int8 file, named by its sha256 in `id`). CPU only: WebGPU has no int8 convolutions.
   * @default float everywhere
   */
  readonly int8?: (QuantizeOptions & { readonly ranges: Ranges; readonly id: string }) | undefined;
}

/** Bump when graph-rewrite.ts changes what it produces: cached models of older versions are then ignored. */
const REWRITE_VERSION = 2;

/**
 * Where a model's cache entries go: `<cacheDir>/<model name>.<key>`, the key naming the source by its hash and the
 * rewrite settings.
 */
function cacheStem(file: string, options: SessionOptions): { stem: string; source?: Uint8Array } | undefined {
  if (!options.cacheDir) return undefined;
  let source: Uint8Array | undefined;
  const sourceSha = options.sourceSha256 ?? sha256((source = readFileSync(file)));
  const int8 = options.int8 ? { ranges: options.int8.id, minInputChannels: options.int8.minInputChannels } : null;
  const settings = JSON.stringify({ v: REWRITE_VERSION, rewrite: options.rewrite !== false, keep: options.keepClasses ?? null, classes: options.classes ?? null, ...(int8 ? { int8 } : {}) });
  const key = sha256(sourceSha + settings).slice(0, 32);
  return { stem: path.join(options.cacheDir, `${path.basename(file, '.onnx')}.${key}`), source };
}

/** The model bytes to load: the file, rewritten (from the cache when it holds them). */
async function modelBytes(file: string, options: SessionOptions, cache: ReturnType<typeof cacheStem>): Promise<Uint8Array> {
  // Synchronous reads: see readEntry.
  if (options.rewrite === false && !options.keepClasses && !options.int8) return cache?.source ?? readFileSync(file);
  const entry = cache && `${cache.stem}.onnx`;
  const cached = entry && readEntry(entry);
  if (cached) return cached;
  const bytes = cache?.source ?? readFileSync(file);
  // Loaded here, not with this module: they bring the ONNX protobuf code, which a start from the cache never needs.
  const { keepClasses, rewriteGraph } = await import('./graph-rewrite.ts');
  let model: Uint8Array = options.rewrite === false ? bytes : rewriteGraph(bytes).bytes;
  if (options.keepClasses) model = keepClasses(model, options.keepClasses, options.classes);
  if (options.int8) model = (await import('./graph-quantize.ts')).quantizePointwise(model, options.int8.ranges, options.int8).bytes;
  if (entry) await writeEntry(entry, model);
  return model;
}

export async function createOnnxSession(file: string, options: SessionOptions = {}): Promise<InferenceSeam> {
  const sessionOptions: ort.InferenceSession.SessionOptions = {
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
    // In int8, ONNX Runtime's own QDQ fusions leave some of graph-rewrite.ts's constants unread and it warns about
    // each one at every start: only errors are logged for such sessions.
    ...(options.int8 ? { logSeverityLevel: 3 as const } : {}),
  };
  const cache = cacheStem(file, options);
  // ONNX Runtime's own optimisation of the graph (fusions, NCHWc layout) takes ~35 ms of a worker's start for the
  // three models; the optimised graph is kept per runtime version and CPU (machineKey). CPU sessions only: the
  // graph optimised for the CPU is not the one WebGPU would get.
  const optimised = cache && options.executionProvider !== 'webgpu' ? `${cache.stem}.${machineKey(ort.env.versions.common ?? '')}.optimised.onnx` : undefined;
  let session: ort.InferenceSession | undefined;
  const ready = optimised && readEntry(optimised);
  // An entry that ONNX Runtime refuses is as good as absent: the session is made from the model, and the entry rebuilt.
  if (ready) session = await ort.InferenceSession.create(ready, sessionOptions).catch(() => undefined);
  if (!session) {
    const model = await modelBytes(file, options, cache);
    const written = optimised && `${optimised}.ort-${process.pid}`;
    // Writing it, ONNX Runtime warns that the graph is hardware-specific (logged at level 2, "warning"), which the
    // key takes care of: only errors are logged for this session. A cache folder it cannot write to (read-only, not
    // a folder, full) fails the creation: the session is then made without the cache.
    if (written) {
      session = await ort.InferenceSession.create(model, { ...sessionOptions, optimizedModelFilePath: written, logSeverityLevel: 3 }).catch(() => undefined);
      if (session) await adoptFile(written, optimised);
      else await rm(written, { force: true }).catch(() => undefined);
    }
    session ??= await ort.InferenceSession.create(model, sessionOptions);
  }
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
