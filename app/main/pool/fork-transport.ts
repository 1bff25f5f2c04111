/**
 * {@link WorkerTransport} over `child_process.fork`: the worker runs in the same Node binary as this process, with an
 * IPC channel using structured-clone ("advanced") serialisation, as Electron's utility processes do.
 */
import { fork } from 'node:child_process';
import type { ToWorker } from '../../common/worker-protocol.ts';
import { WORKER_ENTRY, workerEnv, workerExecArgv, type SpawnOptions, type WorkerExit, type WorkerTransport } from './transport.ts';

export function forkTransport(options: SpawnOptions = {}): WorkerTransport {
  return forkWorker(options).transport;
}

/** A forked worker, and whether it keeps this process's event loop alive (it does from the start). */
export interface ForkedWorker {
  readonly transport: WorkerTransport;
  /** With `false`, this process may exit while the worker runs (the worker then exits on the disconnect). */
  keepAlive(keep: boolean): void;
}

export function forkWorker(options: SpawnOptions = {}): ForkedWorker {
  const child = fork(options.entry ?? WORKER_ENTRY, [], {
    execPath: process.execPath,
    execArgv: workerExecArgv(options),
    env: workerEnv(options.env ?? process.env),
    serialization: 'advanced',
    // stdout is inherited (workers print nothing there); stderr is read for crash diagnosis.
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  child.stderr?.setEncoding('utf8');
  // Exit is reported once: on 'close' (by then stderr has been read to the end, so an OOM report is not missed), or
  // on an 'error' that means the process never started (the Node binary could not be run).
  const exitListeners: ((exit: WorkerExit) => void)[] = [];
  let exited: WorkerExit | undefined;
  const reportExit = (exit: WorkerExit) => {
    if (exited) return;
    exited = exit;
    for (const listener of exitListeners) listener(exit);
  };
  child.once('close', (code, signal) => reportExit({ code, signal }));
  child.on('error', () => {
    // Failing to send to a process that is dying is reported by its exit; only a failed start needs handling here.
    if (child.pid === undefined) reportExit({ code: null, signal: null });
  });

  const transport: WorkerTransport = {
    get pid() {
      return child.pid;
    },
    send(message: ToWorker) {
      if (!child.connected) return;
      // A callback keeps a write to a process that died meanwhile from throwing; its exit arrives through onExit.
      child.send(message, () => undefined);
    },
    onMessage(listener) {
      child.on('message', listener);
    },
    onExit(listener) {
      if (exited) queueMicrotask(() => listener(exited!));
      else exitListeners.push(listener);
    },
    onStderr(listener) {
      child.stderr?.on('data', (text: string) => listener(text));
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
  // The process, its IPC channel and its stderr pipe each hold the event loop.
  const handles = [child, child.channel, child.stderr] as ({ ref?(): void; unref?(): void } | null | undefined)[];
  return { transport, keepAlive: (keep) => handles.forEach((h) => (keep ? h?.ref?.() : h?.unref?.())) };
}
