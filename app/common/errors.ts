/**
 * One error class per failure, after OCRmyPDF. Each carries a `kind` (stable, machine-readable) and a message
 * written for the person running the batch: what went wrong with which file, and what to do about it.
 *
 * Errors cross process boundaries as {@link SerializedError} and are revived into the same class on the other side.
 *
 * The classes live in modules by audience, and every one is re-exported here, so importers import from this module:
 * - errors/base.ts: the kinds (ERROR_KINDS) and OcrDeskError, which every class extends;
 * - errors/input.ts: the batch's files and options (inputs, formats, PDFs, outputs);
 * - errors/engine.ts: models, worker processes, cancellation;
 * - errors/service.ts: the store, the queue, search and edits, and the API's refusals.
 * This module keeps what crosses boundaries: the kind and error schemas, serializing and reviving.
 */
import { z } from 'zod';
import { ERROR_KINDS, OcrDeskError, type ErrorKind } from './errors/base.ts';
import { CancelledError, LexiconMissingError, ModelCorruptError, ModelManifestError, ModelMissingError, ProtocolError, WorkerCrashedError, WorkerOutOfMemoryError, WorkerTimeoutError } from './errors/engine.ts';
import {
  CorruptImageError,
  CorruptPdfError,
  EmptyInputError,
  ImageTooLargeError,
  InputNotFoundError,
  InputUnreadableError,
  InvalidOptionError,
  OutputWriteError,
  PdfOutputError,
  PdfPasswordError,
  SymlinkLoopError,
  UnsupportedFormatError,
} from './errors/input.ts';
import {
  BusyError,
  DataDirBusyError,
  DocumentNotFoundError,
  EditConflictError,
  ForbiddenError,
  HotFolderNotFoundError,
  InvalidEditError,
  InvalidQueryError,
  InvalidTransitionError,
  JobNotFoundError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  ResultShapeError,
  StoreMigrationError,
  StoreVersionError,
  TooManyPagesError,
  UnauthorizedError,
} from './errors/service.ts';

// Every class, from the modules by audience: importers keep importing from here.
export { ERROR_KINDS, OcrDeskError, type ErrorKind } from './errors/base.ts';
export * from './errors/engine.ts';
export * from './errors/input.ts';
export * from './errors/service.ts';

export const errorKindSchema = z.enum(ERROR_KINDS);

export const serializedErrorSchema = z.object({
  name: z.string(),
  message: z.string(),
  stack: z.string().optional(),
  kind: errorKindSchema,
});

export type SerializedError = z.infer<typeof serializedErrorSchema>;

// Revival goes through Object.create, so constructors with other signatures are fine here.
const classes: Record<ErrorKind, { prototype: OcrDeskError }> = {
  'invalid-option': InvalidOptionError,
  'input-not-found': InputNotFoundError,
  'input-unreadable': InputUnreadableError,
  'input-empty': EmptyInputError,
  'unsupported-format': UnsupportedFormatError,
  'corrupt-image': CorruptImageError,
  'image-too-large': ImageTooLargeError,
  'pdf-password': PdfPasswordError,
  'corrupt-pdf': CorruptPdfError,
  'pdf-output': PdfOutputError,
  'output-write': OutputWriteError,
  'symlink-loop': SymlinkLoopError,
  'model-missing': ModelMissingError,
  'model-corrupt': ModelCorruptError,
  'model-manifest': ModelManifestError,
  'lexicon-missing': LexiconMissingError,
  'worker-crashed': WorkerCrashedError,
  'worker-timeout': WorkerTimeoutError,
  'worker-out-of-memory': WorkerOutOfMemoryError,
  cancelled: CancelledError,
  protocol: ProtocolError,
  'store-version': StoreVersionError,
  'store-migration': StoreMigrationError,
  'result-shape': ResultShapeError,
  'job-not-found': JobNotFoundError,
  'document-not-found': DocumentNotFoundError,
  'hot-folder-not-found': HotFolderNotFoundError,
  'invalid-transition': InvalidTransitionError,
  'data-dir-busy': DataDirBusyError,
  'invalid-query': InvalidQueryError,
  'invalid-edit': InvalidEditError,
  'edit-conflict': EditConflictError,
  unauthorized: UnauthorizedError,
  forbidden: ForbiddenError,
  'not-found': NotFoundError,
  'payload-too-large': PayloadTooLargeError,
  'rate-limited': RateLimitedError,
  busy: BusyError,
  'too-many-pages': TooManyPagesError,
  internal: OcrDeskError,
};

export function serializeError(error: unknown): SerializedError {
  if (error instanceof OcrDeskError) {
    return { name: error.name, message: error.message, stack: error.stack, kind: error.kind };
  }
  if (error instanceof Error) {
    return { name: error.name, message: error.message, stack: error.stack, kind: 'internal' };
  }
  return { name: 'Error', message: String(error), kind: 'internal' };
}

/** Revives a serialized error; its kind, name and message survive even where the class has a fixed constructor. */
export function deserializeError(data: SerializedError): OcrDeskError {
  const Ctor = classes[data.kind] ?? OcrDeskError;
  const error = Object.create(Ctor.prototype) as OcrDeskError;
  Object.defineProperty(error, 'message', { value: data.message, writable: true, configurable: true });
  Object.defineProperty(error, 'name', { value: data.name, writable: true, configurable: true });
  Object.defineProperty(error, 'kind', { value: data.kind, writable: false, configurable: true });
  Object.defineProperty(error, 'stack', { value: data.stack ?? `${data.name}: ${data.message}`, writable: true, configurable: true });
  return error;
}

export function isCancellation(error: unknown): boolean {
  return error instanceof CancelledError || (error instanceof Error && error.name === 'AbortError');
}

/** Throws {@link CancelledError} when the signal is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}
