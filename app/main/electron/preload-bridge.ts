/**
 * What the preload exposes on `window.ocrDesk`: one verb per operation of the service API (generated from the
 * contract's list of names), the event stream, and the shell verbs. Narrow on purpose: the page never gets
 * `ipcRenderer`, an IPC event object, or any way to pick a channel.
 *
 * Bundled into the sandboxed preload (dist/electron/preload.cjs), so it imports no module at run time except
 * through its caller: no zod, no Node.
 */
import type * as Electron from 'electron';
import type { ServiceEvent } from '../../common/api/events.ts';
import { OPERATION_NAME_LIST } from '../../common/api/operation-names.ts';
import type { OcrDeskBridge } from '../../common/ipc.ts';
import { IPC, IPC_VERSION } from '../../common/ipc-channels.ts';

export interface PreloadApi {
  readonly ipcRenderer: Pick<Electron.IpcRenderer, 'invoke' | 'on'>;
  readonly webUtils: Pick<Electron.WebUtils, 'getPathForFile'>;
}

export function createBridge({ ipcRenderer, webUtils }: PreloadApi): OcrDeskBridge {
  const listeners = new Set<(event: ServiceEvent) => void>();
  // One IPC listener for all subscribers; the page sees the event's data, never Electron's event object.
  ipcRenderer.on(IPC.event, (_event, data: ServiceEvent) => {
    for (const listener of [...listeners]) {
      try {
        listener(data);
      } catch (error) {
        console.error(error);
      }
    }
  });

  const verbs = Object.fromEntries(
    OPERATION_NAME_LIST.map((operation) => [operation, (input?: unknown) => ipcRenderer.invoke(IPC.invoke, { v: IPC_VERSION, operation, input })]),
  );

  return Object.freeze({
    ...verbs,
    version: IPC_VERSION,
    subscribe(listener: (event: ServiceEvent) => void): () => void {
      if (typeof listener !== 'function') throw new TypeError('subscribe needs a function');
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    pathForFile: (file: File) => webUtils.getPathForFile(file),
    openPaths: (paths: string[]) => ipcRenderer.invoke(IPC.shell, { v: IPC_VERSION, verb: 'openPaths', paths }),
    choosePaths: (kind: 'files' | 'folder') => ipcRenderer.invoke(IPC.shell, { v: IPC_VERSION, verb: 'choosePaths', kind }),
  }) as unknown as OcrDeskBridge;
}
