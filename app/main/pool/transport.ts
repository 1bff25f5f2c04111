/**
 * How the pool talks to one worker process, whatever started it: `child_process.fork` headless
 * ({@link forkTransport}) or, in the desktop app, a utility process that Electron's main process forks on the
 * service's behalf (app/main/electron/host/relayed-transport.ts).
 * The pool only ever uses this interface.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ToWorker } from '../../common/worker-protocol.ts';

/** How a worker process ended. Electron reports only a code, so `signal` may be null even for a killed process. */
export interface WorkerExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface WorkerTransport {
  /** OS process id, once known. */
  readonly pid: number | undefined;
  /** Posts a message to the worker. Messages to a worker that has exited are dropped. */
  send(message: ToWorker): void;
  /** Every message from the worker, unvalidated: the pool validates it. */
  onMessage(listener: (message: unknown) => void): void;
  /** Called once, when the process has exited and its stderr has been read to the end. */
  onExit(listener: (exit: WorkerExit) => void): void;
  /** The worker's stderr, as text, chunk by chunk (used to recognise V8's out-of-memory report). */
  onStderr(listener: (text: string) => void): void;
  /** Ends the process at once (SIGKILL where the platform has it). Safe to call more than once. */
  kill(): void;
}

export interface SpawnOptions {
  /** Module the worker runs. @default {@link WORKER_ENTRY} */
  readonly entry?: string;
  /** V8 old-generation heap limit of the worker, in MiB (`--max-old-space-size`). @default V8's own limit */
  readonly maxOldSpaceMb?: number;
  /** Environment of the worker. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/** Starts one worker process. */
export type TransportFactory = (options: SpawnOptions) => WorkerTransport;

/** The worker entry module of this installation. */
export const WORKER_ENTRY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'worker', 'worker-main.ts');

/**
 * A worker's environment: `env` with glibc's malloc held to two arenas unless `MALLOC_ARENA_MAX` is set. A worker's
 * allocations come from ONNX Runtime and libvips on a few threads; with glibc's default of up to 8 arenas per core
 * each thread kept freed memory in its own arena. Measured on sroie-dev with 2 workers (same run, alternating): peak
 * RSS of the process tree 1083 and 1113 MB with two arenas against 1180 and 1192 MB without, stage times unchanged.
 */
export function workerEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return env.MALLOC_ARENA_MAX === undefined ? { ...env, MALLOC_ARENA_MAX: '2' } : env;
}

/** Node flags for a worker: nothing inherited from the parent (test runner or inspector flags), a heap cap if asked. */
export function workerExecArgv(options: SpawnOptions): string[] {
  return options.maxOldSpaceMb === undefined ? [] : [`--max-old-space-size=${options.maxOldSpaceMb}`];
}
