/**
 * The engine a worker runs: on the GPU when asked for and usable, else on the CPU. ONNX Runtime's WebGPU provider
 * needs a graphics driver (Vulkan on Linux, D3D12 on Windows, Metal on macOS); without one, making a session fails
 * ("Failed to get a WebGPU adapter: No supported adapters") and ONNX Runtime does not fall back by itself. Pages must
 * still be read, so the worker makes its sessions again on the CPU and says why, and the service shows that.
 */
import type { WorkerDevice } from '../common/worker-protocol.ts';
import type { ModelPack } from '../node/model-pack.ts';
import { OcrEngine, type EngineOptions } from './engine/engine.ts';

export interface StartedEngine {
  readonly engine: OcrEngine;
  readonly device: WorkerDevice;
}

/** Longest fallback reason kept: the error's gist, not a stack of native detail. */
const MAX_REASON = 300;

/**
 * The gist of a provider's error, on one line: its first line, without ONNX Runtime's source location and checked
 * condition ("/onnxruntime_src/…/webgpu_context.cc:136 …::Initialize(…) adapter_result.status == … was false.").
 */
export function providerErrorLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  let line = text.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? 'unknown error';
  const located = /^\S+\.(?:cc|cpp|h|hpp|mm):\d+\s+(.*)$/.exec(line);
  if (located) {
    const rest = located[1]!;
    const checked = rest.indexOf(' was false. ');
    line = checked >= 0 ? rest.slice(checked + ' was false. '.length) : rest;
  }
  return line.length > MAX_REASON ? `${line.slice(0, MAX_REASON - 1)}…` : line;
}

/** The graphics API the WebGPU provider needs on this platform, for the reason shown. */
function graphicsApi(platform: NodeJS.Platform): string {
  if (platform === 'win32') return 'D3D12';
  if (platform === 'darwin') return 'Metal';
  return 'Vulkan';
}

/**
 * Makes the engine: with `gpu`, on the WebGPU provider (each model run once, so a provider that cannot run one fails
 * here), and on the CPU when that fails; without, on the CPU. An error on the CPU is the engine's own (a missing
 * model…) and is thrown.
 */
export async function startEngine(pack: ModelPack, options: EngineOptions & { readonly gpu: boolean }): Promise<StartedEngine> {
  const { gpu, ...engineOptions } = options;
  if (!gpu) return { engine: await OcrEngine.create(pack, { ...engineOptions, executionProvider: 'cpu' }), device: { provider: 'cpu' } };
  let reason: string;
  try {
    // ONNX Runtime's Node binding does not tell which adapter WebGPU chose, so none is named.
    return { engine: await OcrEngine.create(pack, { ...engineOptions, executionProvider: 'webgpu' }), device: { provider: 'webgpu' } };
  } catch (error) {
    const line = providerErrorLine(error);
    const driver = /adapter/i.test(line) ? ` (WebGPU needs the GPU's ${graphicsApi(process.platform)} driver)` : '';
    reason = `${line}${driver}; OCR runs on the CPU.`;
  }
  const engine = await OcrEngine.create(pack, { ...engineOptions, executionProvider: 'cpu' });
  return { engine, device: { provider: 'cpu', fallback: reason } };
}
