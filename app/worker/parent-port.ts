/**
 * The worker's side of the message channel, independent of how the worker was started: as a Node child process
 * (`child_process.fork`: `process.send` / `process.on('message')`) or as an Electron utility process
 * (`process.parentPort`). Electron is detected by the presence of `process.parentPort`; nothing here imports it.
 */
import type { FromWorker } from '../common/worker-protocol.ts';

export interface ParentPort {
  /** Posts a message to the main process. */
  send(message: FromWorker): void;
  /** Registers the handler for every message from the main process (unvalidated). */
  onMessage(listener: (message: unknown) => void): void;
  /** Registers a handler for the main process going away; the worker should then exit. */
  onDisconnect(listener: () => void): void;
}

/** The slice of Electron's `process.parentPort` (a MessagePortMain) that a worker uses. */
interface ElectronParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  postMessage(message: unknown): void;
}

type WorkerProcess = NodeJS.Process & { parentPort?: ElectronParentPort };

/** Connects to whichever parent started this process; throws when there is none (run directly from a shell). */
export function connectToParent(proc: WorkerProcess = process as WorkerProcess): ParentPort {
  const electronPort = proc.parentPort;
  if (electronPort) {
    return {
      send: (message) => electronPort.postMessage(message),
      onMessage: (listener) => void electronPort.on('message', (event) => listener(event.data)),
      onDisconnect: (listener) => void electronPort.on('close', listener),
    };
  }
  if (typeof proc.send === 'function') {
    return {
      send: (message) => {
        // A parent that has gone away cannot be told anything; the 'disconnect' handler ends the process.
        if (proc.connected) proc.send!(message);
      },
      onMessage: (listener) => void proc.on('message', listener),
      onDisconnect: (listener) => void proc.on('disconnect', listener),
    };
  }
  throw new Error(
    'The OCR worker has no parent to talk to: start it with child_process.fork (an IPC channel) or as an Electron utility process.',
  );
}
