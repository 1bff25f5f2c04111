/**
 * The worker's side of the message channel, independent of how the worker was started: as a Node child process
 * (`child_process.fork`: `process.send` / `process.on('message')`) or as an Electron utility process
 * (`process.parentPort`, then the port to the service that main hands over). Electron is detected by the presence of
 * `process.parentPort`; nothing here imports it.
 */
import { WORKER_PORT_MESSAGE } from '../common/ipc-channels.ts';
import type { FromWorker } from '../common/worker-protocol.ts';

export interface ParentPort {
  /** Posts a message to the main process. */
  send(message: FromWorker): void;
  /** Registers the handler for every message from the main process (unvalidated). */
  onMessage(listener: (message: unknown) => void): void;
  /** Registers a handler for the main process going away; the worker should then exit. */
  onDisconnect(listener: () => void): void;
}

/** The slice of Electron's MessagePortMain that a worker uses. */
interface ElectronMessagePort {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  postMessage(message: unknown): void;
  start(): void;
}

/** The slice of Electron's `process.parentPort` that a worker uses. */
interface ElectronParentPort {
  on(event: 'message', listener: (event: { data: unknown; ports?: readonly ElectronMessagePort[] }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  postMessage(message: unknown): void;
}

const isPortHandoff = (data: unknown): boolean => typeof data === 'object' && data !== null && (data as { type?: unknown }).type === WORKER_PORT_MESSAGE;

type WorkerProcess = NodeJS.Process & { parentPort?: ElectronParentPort };

/** Connects to whichever parent started this process; throws when there is none (run directly from a shell). */
export function connectToParent(proc: WorkerProcess = process as WorkerProcess): ParentPort {
  const electronPort = proc.parentPort;
  if (electronPort) {
    // In the desktop app main hands the worker one end of a MessageChannelMain whose other end the service holds
    // (WORKER_PORT_MESSAGE with the port); from then on requests and replies go over that port, and its closing
    // (the service gone) ends the worker. A parent that talks over parentPort itself is served there.
    let channel: ElectronMessagePort | undefined;
    const listeners: ((message: unknown) => void)[] = [];
    const disconnects: (() => void)[] = [];
    electronPort.on('message', (event) => {
      const port = event.ports?.[0];
      if (!channel && port && isPortHandoff(event.data)) {
        channel = port;
        port.on('message', (e) => listeners.forEach((listener) => listener(e.data)));
        port.on('close', () => disconnects.forEach((listener) => listener()));
        port.start();
        return;
      }
      listeners.forEach((listener) => listener(event.data));
    });
    return {
      send: (message) => (channel ?? electronPort).postMessage(message),
      onMessage: (listener) => void listeners.push(listener),
      onDisconnect: (listener) => {
        disconnects.push(listener);
        electronPort.on('close', listener);
      },
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
