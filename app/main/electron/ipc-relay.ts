/**
 * Main's IPC handlers: the only way the renderer reaches the service. Each request is refused, with a typed error
 * as data, unless it comes from the main window's own top frame showing the app's page, fits its envelope, names an
 * operation of the contract and carries an input that the operation's schema accepts. Main only relays: what passes
 * goes to the service host, which validates it once more.
 */
import path from 'node:path';
import type * as Electron from 'electron';
import { OPERATIONS } from '../../common/api/operations.ts';
import { ForbiddenError, InvalidOptionError, NotFoundError, ProtocolError, serializeError } from '../../common/errors.ts';
import { invokeRequestSchema, IPC, isOperationName, shellRequestSchema, type AddJobOutput, type IpcResult } from '../../common/ipc.ts';
import { parseSettings } from '../../common/validate.ts';
import { isAppUrl } from './security.ts';

export interface RelayDeps {
  /** The main window's web contents, the only sender served; undefined while there is no window. */
  readonly trustedContents: () => Electron.WebContents | undefined;
  /** Calls a service operation (the service process). */
  readonly call: (operation: string, input: unknown) => Promise<IpcResult<unknown>>;
  /** Shell verbs. */
  readonly openPaths: (paths: string[]) => Promise<IpcResult<AddJobOutput>>;
  readonly choosePaths: (kind: 'files' | 'folder') => Promise<IpcResult<AddJobOutput | null>>;
  readonly log?: (line: string) => void;
}

const refuse = (error: Error): IpcResult<never> => ({ ok: false, error: serializeError(error) });

/** Why a sender is not trusted, or undefined when it is: the main window's top frame, showing app://ocr-desk/. */
export function senderProblem(event: Pick<Electron.IpcMainInvokeEvent, 'sender' | 'senderFrame'>, trusted: Electron.WebContents | undefined): string | undefined {
  if (!trusted || event.sender !== trusted) return 'a web page that is not the OCR Desk window';
  const frame = event.senderFrame;
  if (!frame) return 'a frame that has gone away';
  if (frame.parent !== null) return 'a frame inside the OCR Desk window';
  if (!isAppUrl(frame.url)) return `a page that is not OCR Desk's own (${frame.url.slice(0, 200)})`;
  return undefined;
}

/** The first problem with a zod parse, in a few words. */
function firstIssue(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}` : 'invalid';
}

export async function handleInvoke(event: Pick<Electron.IpcMainInvokeEvent, 'sender' | 'senderFrame'>, request: unknown, deps: RelayDeps): Promise<IpcResult<unknown>> {
  const problem = senderProblem(event, deps.trustedContents());
  if (problem) {
    deps.log?.(`ocr-desk: refused an IPC call from ${problem}`);
    return refuse(new ForbiddenError(`OCR Desk answers only its own window; this request came from ${problem}.`));
  }
  const envelope = invokeRequestSchema.safeParse(request);
  if (!envelope.success) return refuse(new ProtocolError(`The request does not fit OCR Desk's IPC protocol (${firstIssue(envelope.error)}). Reload the window.`));
  const { operation, input } = envelope.data;
  if (!isOperationName(operation)) return refuse(new NotFoundError(`OCR Desk has no operation \`${operation.slice(0, 100)}\`.`));
  let parsed: unknown;
  try {
    parsed = parseSettings(OPERATIONS[operation].input, input ?? {});
  } catch (error) {
    return refuse(error instanceof InvalidOptionError ? error : new InvalidOptionError(String(error)));
  }
  try {
    return await deps.call(operation, parsed);
  } catch (error) {
    return refuse(error instanceof Error ? error : new Error(String(error)));
  }
}

export async function handleShell(event: Pick<Electron.IpcMainInvokeEvent, 'sender' | 'senderFrame'>, request: unknown, deps: RelayDeps): Promise<IpcResult<unknown>> {
  const problem = senderProblem(event, deps.trustedContents());
  if (problem) {
    deps.log?.(`ocr-desk: refused a shell request from ${problem}`);
    return refuse(new ForbiddenError(`OCR Desk answers only its own window; this request came from ${problem}.`));
  }
  const parsed = shellRequestSchema.safeParse(request);
  if (!parsed.success) return refuse(new InvalidOptionError(`The request does not fit OCR Desk's IPC protocol (${firstIssue(parsed.error)}).`));
  try {
    switch (parsed.data.verb) {
      case 'openPaths': {
        const relative = parsed.data.paths.find((p) => !path.isAbsolute(p));
        if (relative !== undefined) return refuse(new InvalidOptionError(`Expected absolute paths, got \`${relative.slice(0, 200)}\`.`));
        return await deps.openPaths(parsed.data.paths);
      }
      case 'choosePaths':
        return await deps.choosePaths(parsed.data.kind);
    }
  } catch (error) {
    return refuse(error instanceof Error ? error : new Error(String(error)));
  }
}

/** Registers the handlers on `ipcMain`; returns the function that removes them. */
export function registerIpc(ipcMain: Electron.IpcMain, deps: RelayDeps): () => void {
  ipcMain.handle(IPC.invoke, (event, request: unknown) => handleInvoke(event, request, deps));
  ipcMain.handle(IPC.shell, (event, request: unknown) => handleShell(event, request, deps));
  return () => {
    ipcMain.removeHandler(IPC.invoke);
    ipcMain.removeHandler(IPC.shell);
  };
}
