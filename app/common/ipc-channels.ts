/**
 * The desktop app's IPC channel names, in one place (after Electron Fiddle's `ipc-events.ts`). Imported by the
 * main process and bundled into the sandboxed preload, so this module imports nothing: no zod, no Node.
 * The version is part of each name, so a preload and a main process from different builds never talk past
 * each other; the payloads are in `ipc.ts`.
 */
export const IPC_VERSION = 1;

export const IPC = {
  /** renderer → main, `invoke`: one service operation ({@link import('./ipc.ts').invokeRequestSchema}). */
  invoke: 'ocr-desk:v1:invoke',
  /** renderer → main, `invoke`: a shell verb (open paths, file dialog) ({@link import('./ipc.ts').shellRequestSchema}). */
  shell: 'ocr-desk:v1:shell',
  /** main → renderer, `send`: one service event. */
  event: 'ocr-desk:v1:event',
} as const;

export type IpcChannel = (typeof IPC)[keyof typeof IPC];

/** The name of the preload's API on `window` in the renderer. */
export const BRIDGE_NAME = 'ocrDesk';

/**
 * main → worker: the first message a worker gets under Electron, `{ type: WORKER_PORT_MESSAGE }` with the worker's
 * end of its MessageChannelMain to the service as the one transferred port (app/worker/parent-port.ts).
 */
export const WORKER_PORT_MESSAGE = 'ocr-desk:v1:worker-port';
