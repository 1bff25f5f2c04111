/** What the diagnostics screen and `/v1/diagnostics` show: versions, the model pack's checksums, workers, errors. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Diagnostics } from '../../common/api/resources.ts';
import { API_VERSION } from '../../common/api/operations.ts';
import type { WorkerDevice } from '../../common/worker-protocol.ts';
import { packFiles, type ModelPack } from '../../node/model-pack.ts';
import type { PoolStats } from '../pool/worker-pool.ts';
import type { Store } from '../store/store.ts';

const require = createRequire(import.meta.url);

function packageVersion(spec: string): string {
  try {
    return (JSON.parse(readFileSync(require.resolve(spec), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** OCR Desk's version, from its package.json. */
export const APP_VERSION: string = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export interface RecentError {
  readonly at: number;
  readonly kind: string;
  readonly message: string;
  readonly documentId: number | null;
  readonly path: string | null;
}

/** Failed documents from the store, newest first, merged with errors that are not about a document. */
export function recentErrors(store: Store, others: readonly RecentError[], limit = 20): Diagnostics['recentErrors'] {
  const failed = store
    .sql("SELECT id, source_path, error_kind, error_message, updated_at FROM documents WHERE state = 'failed' ORDER BY updated_at DESC LIMIT ?")
    .all(limit) as unknown as { id: number; source_path: string; error_kind: string; error_message: string; updated_at: number }[];
  const all: RecentError[] = [
    ...failed.map((f) => ({ at: f.updated_at, kind: f.error_kind, message: f.error_message, documentId: f.id, path: f.source_path })),
    ...others,
  ];
  return all
    .sort((a, b) => b.at - a.at)
    .slice(0, limit)
    .map((e) => ({ ...e, at: new Date(e.at).toISOString() }));
}

/** What is shown as the adapter of a worker on the GPU whose adapter has no name (ONNX Runtime's Node binding names none). */
export const UNNAMED_ADAPTER = 'WebGPU (ONNX Runtime does not name the adapter)';

/**
 * The GPU as the diagnostics show it, from the setting and what the workers reported (`undefined`: not yet ready):
 * available when a worker runs on it; otherwise why not, in words.
 */
export function gpuStatus(enabled: boolean, devices: readonly (WorkerDevice | undefined)[]): Diagnostics['gpu'] {
  if (!enabled) return { enabled, available: false, adapter: null, reason: 'GPU is off in settings.' };
  const onGpu = devices.find((d) => d?.provider === 'webgpu');
  // Workers of one pool all try the GPU; one that fell back while another did not says why, beside the adapter.
  const fallback = devices.find((d) => d?.fallback !== undefined)?.fallback ?? null;
  if (onGpu) return { enabled, available: true, adapter: onGpu.adapter ?? UNNAMED_ADAPTER, reason: fallback };
  if (fallback) return { enabled, available: false, adapter: null, reason: fallback };
  if (devices.some((d) => d !== undefined)) return { enabled, available: false, adapter: null, reason: 'The OCR workers run on the CPU.' };
  return { enabled, available: false, adapter: null, reason: 'Not known yet: no OCR worker has loaded its models since the GPU was switched on.' };
}

export interface DiagnosticsInput {
  readonly store: Store;
  readonly dataDir: string;
  readonly pack: ModelPack;
  readonly pool: PoolStats;
  readonly gpu: Diagnostics['gpu'];
  readonly errors: readonly RecentError[];
  readonly logFile: string | null;
}

export function diagnostics(d: DiagnosticsInput): Diagnostics {
  return {
    version: APP_VERSION,
    apiVersion: API_VERSION,
    runtime: {
      node: process.versions.node,
      platform: process.platform,
      arch: process.arch,
      onnxruntime: packageVersion('onnxruntime-node/package.json'),
      electron: process.versions.electron ?? null,
    },
    dataDir: d.dataDir,
    storeFile: d.store.file,
    logFile: d.logFile,
    models: {
      id: d.pack.manifest.id,
      name: d.pack.manifest.name,
      dir: d.pack.dir,
      languages: [...d.pack.manifest.languages],
      files: packFiles(d.pack.manifest).map((f) => ({ name: f.file, sha256: f.sha256 })),
    },
    gpu: d.gpu,
    workers: d.pool.workers.map((w) => ({ id: w.id, pid: w.pid ?? null, state: w.state, pagesDone: w.pagesDone, rssBytes: w.rss })),
    recentErrors: recentErrors(d.store, d.errors),
  };
}
