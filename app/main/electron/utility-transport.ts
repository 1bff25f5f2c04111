/**
 * {@link WorkerTransport} over Electron's `utilityProcess.fork`, for the desktop app: the same worker module, found
 * its parent through `process.parentPort`. Kept thin; the pool above it is shared with the headless CLI.
 * Pass it as `new WorkerPool({ transport: utilityTransport, entry: <worker module inside the app bundle> })`.
 */
import { utilityProcess } from 'electron';
import type { ToWorker } from '../../common/worker-protocol.ts';
import { WORKER_ENTRY, workerExecArgv, type SpawnOptions, type WorkerExit, type WorkerTransport } from '../pool/transport.ts';

export function utilityTransport(options: SpawnOptions = {}): WorkerTransport {
  const child = utilityProcess.fork(options.entry ?? WORKER_ENTRY, [], {
    env: options.env ?? process.env,
    execArgv: workerExecArgv(options),
    stdio: ['ignore', 'inherit', 'pipe'],
    serviceName: 'OCR Desk worker',
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  return {
    get pid() {
      return child.pid;
    },
    send(message: ToWorker) {
      if (!exited) child.postMessage(message);
    },
    onMessage(listener) {
      child.on('message', listener);
    },
    onExit(listener) {
      // Electron reports the exit code only; 134 (SIGABRT) still identifies V8's out-of-memory abort.
      child.once('exit', (code) => listener({ code, signal: null } satisfies WorkerExit));
    },
    onStderr(listener) {
      child.stderr?.on('data', (chunk: Buffer | string) => listener(chunk.toString()));
    },
    kill() {
      if (!exited) child.kill();
    },
  };
}
