/**
 * The {@link OcrClient} over the Electron preload (`window.ocrDesk`, an {@link OcrDeskBridge}): the renderer's other
 * transport beside HTTP. Every verb unwraps the preload's {@link IpcResult} and throws failures as the same error
 * classes the service threw, revived from their `kind`; events are checked against the event schema.
 */
import { deserializeError, OcrDeskError } from '../errors.ts';
import type { AddJobOutput, IpcResult, OcrDeskBridge } from '../ipc.ts';
import { BRIDGE_NAME } from '../ipc-channels.ts';
import type { OcrClient, SubscribeOptions } from './client.ts';
import { serviceEventSchema, type ServiceEvent } from './events.ts';
import { OPERATION_NAMES, type OcrApi } from './operations.ts';

/** The desktop shell's own verbs, beside the service API. */
export interface DesktopShell {
  /** The path of a dropped `File` on this machine; '' when it has none (e.g. dragged from a web page). */
  pathForFile(file: File): string;
  /** Adds dropped files and folders as one job. */
  openPaths(paths: string[]): Promise<AddJobOutput>;
  /** Shows the open dialog and adds what is chosen as one job; null when cancelled. */
  choosePaths(kind: 'files' | 'folder'): Promise<AddJobOutput | null>;
}

export type IpcClient = OcrClient & DesktopShell;

export function unwrap<T>(result: IpcResult<T>): T {
  if (result.ok) return result.value;
  throw deserializeError(result.error);
}

/** The preload's bridge, when this page runs in the desktop app; undefined in a browser. */
export function findBridge(scope: object = globalThis): OcrDeskBridge | undefined {
  return (scope as Record<string, OcrDeskBridge | undefined>)[BRIDGE_NAME];
}

export function createIpcClient(bridge: OcrDeskBridge): IpcClient {
  const verbs = Object.fromEntries(
    OPERATION_NAMES.map((name) => {
      const verb = bridge[name] as (input?: unknown) => Promise<IpcResult<unknown>>;
      if (typeof verb !== 'function') throw new OcrDeskError(`The desktop app's preload does not offer \`${name}\`; it is older than this page.`);
      return [name, async (input?: unknown) => unwrap(await verb(input))];
    }),
  ) as unknown as OcrApi;

  return {
    ...verbs,
    subscribe(listener: (event: ServiceEvent) => void, options: SubscribeOptions = {}): () => void {
      if (options.signal?.aborted) return () => undefined;
      const stop = bridge.subscribe((raw) => {
        const parsed = serviceEventSchema.safeParse(raw);
        if (parsed.success) listener(parsed.data);
      });
      options.signal?.addEventListener('abort', stop, { once: true });
      return stop;
    },
    pathForFile: (file) => bridge.pathForFile(file),
    openPaths: async (paths) => unwrap(await bridge.openPaths(paths)),
    choosePaths: async (kind) => unwrap(await bridge.choosePaths(kind)),
  };
}
