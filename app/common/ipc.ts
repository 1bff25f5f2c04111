/**
 * The desktop app's two new process boundaries, as zod schemas with derived types (channel names: ipc-channels.ts):
 *
 * - renderer ⇄ main (through the preload): a request names an operation of the service API (or a shell verb) and
 *   carries its input; the answer is an {@link IpcResult}: the value, or the error as data with its `kind`
 *   (Electron would turn a thrown error into a bare message). Main checks the sender, the envelope, the operation
 *   name and the input against the operation's own schema before anything reaches the service.
 * - main ⇄ service host (the utility process that runs OcrService): calls and their results, events, and the
 *   worker plumbing: the host asks main to start a worker; main forks it, links the two with a MessageChannelMain
 *   (one port each) and relays the worker's stderr and exit, which only main can see.
 *
 * Both are versioned: renderer requests carry `v`, and the host states its protocol version when ready.
 */
import { z } from 'zod';
import { addJobOutputSchema, OPERATIONS } from './api/operations.ts';
import type { ServiceEvent } from './api/events.ts';
import type { OperationInput, OperationName, OperationOutput } from './api/operations.ts';
import { serializedErrorSchema, type SerializedError } from './errors.ts';
import { IPC_VERSION } from './ipc-channels.ts';

export { BRIDGE_NAME, IPC, IPC_VERSION, WORKER_PORT_MESSAGE } from './ipc-channels.ts';

// ---- renderer ⇄ main ----

/** Paths on this machine: absolute, no NUL, not absurdly long. */
const localPath = z
  .string()
  .min(1)
  .max(32_768)
  .refine((p) => !p.includes('\0'), 'a path without NUL characters');

/** One service operation; `input` is checked against the operation's own schema once the name is known. */
export const invokeRequestSchema = z.strictObject({
  v: z.literal(IPC_VERSION),
  operation: z.string().min(1).max(100),
  input: z.unknown().optional(),
});

/** Verbs of the desktop shell that are not service operations. */
export const shellRequestSchema = z.discriminatedUnion('verb', [
  /** Files and folders dropped on the window (paths from `webUtils.getPathForFile`): added as one job. */
  z.strictObject({ v: z.literal(IPC_VERSION), verb: z.literal('openPaths'), paths: z.array(localPath).min(1).max(100_000) }),
  /** Show the open dialog; what is chosen is added as one job. */
  z.strictObject({ v: z.literal(IPC_VERSION), verb: z.literal('choosePaths'), kind: z.enum(['files', 'folder']) }),
]);

export type InvokeRequest = z.infer<typeof invokeRequestSchema>;

/** Whether `name` is an operation of the service API (its own key, never one inherited from Object). */
export function isOperationName(name: string): name is OperationName {
  return Object.hasOwn(OPERATIONS, name);
}
export type ShellRequest = z.infer<typeof shellRequestSchema>;

/** What every renderer request resolves to: errors cross as data, with their kind. */
export type IpcResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: SerializedError };

export const ipcResultSchema = <T extends z.ZodType>(value: T) =>
  z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), value }), z.object({ ok: z.literal(false), error: serializedErrorSchema })]);

/** `choosePaths` answers null when the dialog was cancelled. */
export const choosePathsOutputSchema = addJobOutputSchema.nullable();
export type AddJobOutput = OperationOutput<'addJob'>;

/**
 * What the preload puts on `window.ocrDesk`: one function per operation (named as in OPERATIONS), resolving to an
 * {@link IpcResult}; the event stream; and the shell verbs. `createIpcClient` (api/ipc-client.ts) turns it into an
 * `OcrClient` that throws the revived error classes.
 */
export type OcrDeskBridge = {
  readonly [N in OperationName]: (input?: OperationInput<N>) => Promise<IpcResult<OperationOutput<N>>>;
} & {
  /** IPC protocol version of the preload. */
  readonly version: number;
  /** Calls `listener` with every service event from now on; returns the function that stops it. */
  subscribe(listener: (event: ServiceEvent) => void): () => void;
  /** The path of a dropped or picked `File` on this machine (Electron's `webUtils.getPathForFile`); '' if it has none. */
  pathForFile(file: File): string;
  openPaths(paths: string[]): Promise<IpcResult<AddJobOutput>>;
  choosePaths(kind: 'files' | 'folder'): Promise<IpcResult<AddJobOutput | null>>;
};

// ---- main ⇄ service host ----

export const SERVICE_HOST_PROTOCOL_VERSION = 1;

const workerId = z.number().int().positive();
const callId = z.number().int().positive();

/** How the service wants a worker started (the pool's SpawnOptions, minus what main decides itself). */
export const workerSpawnOptionsSchema = z.strictObject({
  /** Must be the worker module main knows; anything else is refused. */
  entry: z.string().min(1).optional(),
  maxOldSpaceMb: z.number().int().min(16).max(1_048_576).optional(),
  env: z.record(z.string(), z.string()).optional(),
});

/** main → service host. `worker-port` carries the service's end of the worker's MessageChannelMain as its one transferred port. */
export const toServiceHostSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('open'), v: z.literal(SERVICE_HOST_PROTOCOL_VERSION), dataDir: z.string().min(1), workerEntry: z.string().min(1) }),
  z.strictObject({ type: z.literal('call'), id: callId, operation: z.string().min(1).max(100), input: z.unknown().optional() }),
  z.strictObject({ type: z.literal('shutdown') }),
  z.strictObject({ type: z.literal('worker-port'), workerId }),
  z.strictObject({ type: z.literal('worker-spawned'), workerId, pid: z.number().int().positive() }),
  z.strictObject({ type: z.literal('worker-stderr'), workerId, text: z.string() }),
  /** The worker process ended (code null: it could not be started, or main refused to start it). */
  z.strictObject({ type: z.literal('worker-exit'), workerId, code: z.number().int().nullable() }),
]);

/** service host → main. */
export const fromServiceHostSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready'), v: z.number().int(), dataDir: z.string(), version: z.string() }),
  z.strictObject({ type: z.literal('open-failed'), error: serializedErrorSchema }),
  z.discriminatedUnion('ok', [
    z.strictObject({ type: z.literal('result'), id: callId, ok: z.literal(true), value: z.unknown() }),
    z.strictObject({ type: z.literal('result'), id: callId, ok: z.literal(false), error: serializedErrorSchema }),
  ]),
  z.strictObject({ type: z.literal('event'), event: z.unknown() }),
  z.strictObject({ type: z.literal('spawn-worker'), workerId, options: workerSpawnOptionsSchema }),
  z.strictObject({ type: z.literal('kill-worker'), workerId }),
  z.strictObject({ type: z.literal('closed') }),
]);

export type ToServiceHost = z.infer<typeof toServiceHostSchema>;
export type FromServiceHost = z.infer<typeof fromServiceHostSchema>;
export type WorkerSpawnOptions = z.infer<typeof workerSpawnOptionsSchema>;
