/**
 * The inference-session seam: every OCR stage runs its model through {@link InferenceSeam}, so stages can be tested
 * with any implementation and the runtime (ONNX Runtime on CPU or WebGPU) is chosen in one place.
 */
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
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

export interface SessionOptions {
  /** Intra-op threads. @default 1 */
  readonly threads?: number;
  /** Execution provider. @default 'cpu' */
  readonly executionProvider?: 'cpu' | 'webgpu';
  /** Apply the exact graph rewrites of graph-rewrite.ts before building the session. @default true */
  readonly rewrite?: boolean;
  /** Recognition models only: the output classes to keep (see keepClasses). @default all */
  readonly keepClasses?: readonly number[];
}

export async function createOnnxSession(file: string, options: SessionOptions = {}): Promise<InferenceSeam> {
  const bytes = await readFile(file);
  let model: Uint8Array = options.rewrite === false ? bytes : rewriteGraph(bytes).bytes;
  if (options.keepClasses) model = keepClasses(model, options.keepClasses);
  const session = await ort.InferenceSession.create(model, {
    executionProviders: [options.executionProvider ?? 'cpu'],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: options.threads ?? 1,
    interOpNumThreads: 1,
    enableCpuMemArena: true,
    // Memory patterns plan one block per distinct input shape, and every page and line crop has its own shape:
    // with them on, a worker's arena held ~180 MB more after a few document pages, and ran no faster.
    enableMemPattern: false,
    executionMode: 'sequential',
  });
  const inputName = session.inputNames[0]!;
  const outputName = session.outputNames[0]!;
  return {
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
}
