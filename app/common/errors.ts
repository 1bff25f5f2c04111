/**
 * One error class per failure, after OCRmyPDF. Each carries a `kind` (stable, machine-readable) and a message
 * written for the person running the batch: what went wrong with which file, and what to do about it.
 *
 * Errors cross process boundaries as {@link SerializedError} and are revived into the same class on the other side.
 */
import { z } from 'zod';

/** Every kind of failure, stable and machine-readable: it crosses process and HTTP boundaries with the message. */
export const ERROR_KINDS = [
  'invalid-option',
  'input-not-found',
  'input-unreadable',
  'input-empty',
  'unsupported-format',
  'corrupt-image',
  'image-too-large',
  'pdf-password',
  'corrupt-pdf',
  'pdf-output',
  'output-write',
  'symlink-loop',
  'model-missing',
  'model-corrupt',
  'model-manifest',
  'worker-crashed',
  'worker-timeout',
  'worker-out-of-memory',
  'cancelled',
  'protocol',
  'store-version',
  'result-shape',
  'job-not-found',
  'document-not-found',
  'hot-folder-not-found',
  'invalid-transition',
  'data-dir-busy',
  'invalid-query',
  'invalid-edit',
  'edit-conflict',
  'unauthorized',
  'forbidden',
  'not-found',
  'payload-too-large',
  'rate-limited',
  'busy',
  'too-many-pages',
  'internal',
] as const;

export const errorKindSchema = z.enum(ERROR_KINDS);
export type ErrorKind = z.infer<typeof errorKindSchema>;

export const serializedErrorSchema = z.object({
  name: z.string(),
  message: z.string(),
  stack: z.string().optional(),
  kind: errorKindSchema,
});

export type SerializedError = z.infer<typeof serializedErrorSchema>;

export class OcrDeskError extends Error {
  readonly kind: ErrorKind = 'internal';
  override name = 'OcrDeskError';
}

export class InvalidOptionError extends OcrDeskError {
  override readonly kind = 'invalid-option';
  override name = 'InvalidOptionError';
}

export class InputNotFoundError extends OcrDeskError {
  override readonly kind = 'input-not-found';
  override name = 'InputNotFoundError';
  constructor(path: string) {
    super(`${path} does not exist. Check the path, or whether the file was moved while the batch ran.`);
  }
}

export class InputUnreadableError extends OcrDeskError {
  override readonly kind = 'input-unreadable';
  override name = 'InputUnreadableError';
  constructor(path: string, reason: string) {
    super(`${path} cannot be read (${reason}). Check its permissions, or copy it somewhere readable and try again.`);
  }
}

export class EmptyInputError extends OcrDeskError {
  override readonly kind = 'input-empty';
  override name = 'EmptyInputError';
  constructor(path: string) {
    super(`${path} is empty (0 bytes). The copy or scan probably failed; scan or copy it again.`);
  }
}

export class UnsupportedFormatError extends OcrDeskError {
  override readonly kind = 'unsupported-format';
  override name = 'UnsupportedFormatError';
  constructor(path: string, detail: string) {
    super(
      `${path} is not an image OCR Desk can read (${detail}). Supported: PDF, JPEG, PNG, TIFF, WebP, BMP, GIF. ` +
        'If the extension is wrong, rename the file; otherwise convert it to one of these.',
    );
  }
}

/**
 * A decoder's message as one line: libvips reports one problem per line, often the same line several times
 * ("VipsJpeg: Premature end of input file" ×3); a message for people says each once.
 */
export function oneLine(detail: string): string {
  const lines = [...new Set(detail.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== ''))];
  // "Input file has corrupt header: VipsJpeg: X" and "VipsJpeg: X" say one thing: keep the line that holds the other.
  return lines.filter((l, i) => !lines.some((other, j) => j !== i && other.length > l.length && other.includes(l))).join('; ');
}

export class CorruptImageError extends OcrDeskError {
  override readonly kind = 'corrupt-image';
  override name = 'CorruptImageError';
  constructor(path: string, detail: string) {
    super(`${path} is damaged and cannot be decoded (${oneLine(detail)}). Re-scan it or fetch a fresh copy.`);
  }
}

export class ImageTooLargeError extends OcrDeskError {
  override readonly kind = 'image-too-large';
  override name = 'ImageTooLargeError';
  constructor(path: string, width: number, height: number, limit: number) {
    super(
      `${path} is ${width}×${height} pixels, over the limit of ${limit.toLocaleString('en-US')} pixels, so it was not ` +
        'decoded. Scan at a lower resolution, or raise the `maxPixels` setting (OCR_DESK_MAX_PIXELS) if this is intended.',
    );
  }
}

export class PdfPasswordError extends OcrDeskError {
  override readonly kind = 'pdf-password';
  override name = 'PdfPasswordError';
  constructor(path: string, given: boolean) {
    super(
      given
        ? `${path} is encrypted and the password given does not open it. Check the password (--password, OCR_DESK_PASSWORD).`
        : `${path} is encrypted and needs a password. Pass it with --password (or OCR_DESK_PASSWORD), or remove the protection first.`,
    );
  }
}

export class CorruptPdfError extends OcrDeskError {
  override readonly kind = 'corrupt-pdf';
  override name = 'CorruptPdfError';
  constructor(path: string, detail: string) {
    super(`${path} is a damaged or unsupported PDF (${oneLine(detail)}). Open and re-save it in a PDF viewer, or fetch a fresh copy.`);
  }
}

/** The searchable PDF (or PDF/A) of a file could not be made; the other formats of the same file are unaffected. */
export class PdfOutputError extends OcrDeskError {
  override readonly kind = 'pdf-output';
  override name = 'PdfOutputError';
}

export class SymlinkLoopError extends OcrDeskError {
  override readonly kind = 'symlink-loop';
  override name = 'SymlinkLoopError';
  constructor(path: string) {
    super(`${path} is a symbolic link that loops back into a folder already being read; it was skipped. Remove or fix the link.`);
  }
}

export class ModelMissingError extends OcrDeskError {
  override readonly kind = 'model-missing';
  override name = 'ModelMissingError';
  constructor(file: string, sha256: string) {
    super(
      `Model file ${file} is missing (expected sha256 ${sha256}). Run \`npm ci\` to reinstall the default models, ` +
        'or import the model pack again with `ocr-desk models import <folder>`.',
    );
  }
}

export class ModelCorruptError extends OcrDeskError {
  override readonly kind = 'model-corrupt';
  override name = 'ModelCorruptError';
  constructor(file: string, expected: string, actual: string) {
    super(
      `Model file ${file} is corrupt: its sha256 is ${actual}, expected ${expected}. Reinstall it (\`npm ci\` for the ` +
        'default models, or import the model pack again).',
    );
  }
}

export class ModelManifestError extends OcrDeskError {
  override readonly kind = 'model-manifest';
  override name = 'ModelManifestError';
}

export class WorkerCrashedError extends OcrDeskError {
  override readonly kind = 'worker-crashed';
  override name = 'WorkerCrashedError';
}

export class WorkerTimeoutError extends OcrDeskError {
  override readonly kind = 'worker-timeout';
  override name = 'WorkerTimeoutError';
}

export class WorkerOutOfMemoryError extends OcrDeskError {
  override readonly kind = 'worker-out-of-memory';
  override name = 'WorkerOutOfMemoryError';
}

export class CancelledError extends OcrDeskError {
  override readonly kind = 'cancelled';
  override name = 'CancelledError';
  constructor(message = 'The operation was cancelled.') {
    super(message);
  }
}

export class ProtocolError extends OcrDeskError {
  override readonly kind = 'protocol';
  override name = 'ProtocolError';
}

/** The data folder's database was written by a newer OCR Desk, whose schema this one does not know. */
export class StoreVersionError extends OcrDeskError {
  override readonly kind = 'store-version';
  override name = 'StoreVersionError';
  constructor(file: string, found: number, known: number) {
    super(
      `${file} was written by a newer OCR Desk (schema version ${found}; this one knows up to ${known}). ` +
        'Update OCR Desk, or point OCR_DESK_DATA_DIR at another folder.',
    );
  }
}

export class JobNotFoundError extends OcrDeskError {
  override readonly kind = 'job-not-found';
  override name = 'JobNotFoundError';
  constructor(id: number) {
    super(`There is no job ${id} in the queue. List the jobs to see their numbers.`);
  }
}

/** A queue command that does not apply to the job's state, e.g. pausing a finished job. */
export class InvalidTransitionError extends OcrDeskError {
  override readonly kind = 'invalid-transition';
  override name = 'InvalidTransitionError';
}

/** Another OCR Desk process is working on the same data folder; two queues on one store would do work twice. */
export class DataDirBusyError extends OcrDeskError {
  override readonly kind = 'data-dir-busy';
  override name = 'DataDirBusyError';
  /** The process holding the data folder. */
  readonly pid: number;
  constructor(dir: string, pid: number) {
    super(`${dir} is in use by another OCR Desk (process ${pid}). Stop it first, or give this one another data folder (--data-dir, OCR_DESK_DATA_DIR).`);
    this.pid = pid;
  }
}

/**
 * An output file could not be written (read-only or full disk, a missing drive). The input is fine and is kept
 * where it is: the document is tried again once the output folder is writable.
 */
export class OutputWriteError extends OcrDeskError {
  override readonly kind = 'output-write';
  override name = 'OutputWriteError';
  constructor(target: string, code: string) {
    super(`${target} could not be written (${describeWriteError(code)}). ${OUTPUT_ADVICE[code] ?? 'Check that the output folder exists and is writable.'} The input is kept and is tried again once the folder is writable.`);
  }
}

const OUTPUT_ADVICE: Record<string, string> = {
  ENOSPC: 'Free some space on that disk, or choose another output folder.',
  EDQUOT: 'Free some space within your disk quota, or choose another output folder.',
  EROFS: 'That disk is read-only: choose another output folder.',
  EACCES: 'Give OCR Desk write permission on the output folder, or choose another one.',
  EPERM: 'Give OCR Desk write permission on the output folder, or choose another one.',
};

function describeWriteError(code: string): string {
  const words: Record<string, string> = {
    ENOSPC: 'the disk is full',
    EDQUOT: 'the disk quota is used up',
    EROFS: 'the disk is read-only',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ENOENT: 'the folder does not exist',
    ENOTDIR: 'a part of the path is a file, not a folder',
    EIO: 'an input/output error from the disk',
  };
  return words[code] ? `${words[code]}, ${code}` : code;
}

/** Stored or received result JSON that does not fit the result model (a damaged store, a foreign file). */
export class ResultShapeError extends OcrDeskError {
  override readonly kind = 'result-shape';
  override name = 'ResultShapeError';
}

export class DocumentNotFoundError extends OcrDeskError {
  override readonly kind = 'document-not-found';
  override name = 'DocumentNotFoundError';
  constructor(id: number) {
    super(`There is no document ${id}. It may have been deleted; list the documents to see their numbers.`);
  }
}

export class HotFolderNotFoundError extends OcrDeskError {
  override readonly kind = 'hot-folder-not-found';
  override name = 'HotFolderNotFoundError';
  constructor(id: number) {
    super(`There is no hot folder ${id}. List the hot folders to see their numbers.`);
  }
}

/** A request without valid credentials. */
export class UnauthorizedError extends OcrDeskError {
  override readonly kind = 'unauthorized';
  override name = 'UnauthorizedError';
}

/** A request that is authenticated but not allowed (foreign origin or host, missing scope). */
export class ForbiddenError extends OcrDeskError {
  override readonly kind = 'forbidden';
  override name = 'ForbiddenError';
}

/** A route or resource that does not exist. */
export class NotFoundError extends OcrDeskError {
  override readonly kind = 'not-found';
  override name = 'NotFoundError';
}

export class PayloadTooLargeError extends OcrDeskError {
  override readonly kind = 'payload-too-large';
  override name = 'PayloadTooLargeError';
}

/** A caller that sent more requests than its key's rate allows; `retryAfterSeconds` says when to try again. */
export class RateLimitedError extends OcrDeskError {
  override readonly kind = 'rate-limited';
  override name = 'RateLimitedError';
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds = 1) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The service cannot take more work now (queue full, too many uploads at once); `retryAfterSeconds` says when to try again. */
export class BusyError extends OcrDeskError {
  override readonly kind = 'busy';
  override name = 'BusyError';
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds = 5) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** A document with more pages than the service takes in one document. */
export class TooManyPagesError extends OcrDeskError {
  override readonly kind = 'too-many-pages';
  override name = 'TooManyPagesError';
  constructor(path: string, pages: number, max: number) {
    super(`${path} has ${pages} pages; this OCR Desk takes at most ${max} per document (--max-pages). Split it, or ask its admin to raise the limit.`);
  }
}

/** A search query that cannot be read (an unclosed quote, an operator missing a side); the message says what to fix. */
export class InvalidQueryError extends OcrDeskError {
  override readonly kind = 'invalid-query';
  override name = 'InvalidQueryError';
  constructor(query: string, problem: string) {
    super(`The search “${query}” cannot be read: ${problem}.`);
  }
}

/**
 * A result-editor edit that does not apply to the page: an id the page does not have, a box outside the page, a
 * split at a line's first word. Nothing of the batch it came in is applied.
 */
export class InvalidEditError extends OcrDeskError {
  override readonly kind = 'invalid-edit';
  override name = 'InvalidEditError';
}

/**
 * Edits made on a version of a page that is no longer the current one (someone else saved, or a revert): nothing is
 * applied; the client reloads the page and applies them again on the current version.
 */
export class EditConflictError extends OcrDeskError {
  override readonly kind = 'edit-conflict';
  override name = 'EditConflictError';
}

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
  'worker-crashed': WorkerCrashedError,
  'worker-timeout': WorkerTimeoutError,
  'worker-out-of-memory': WorkerOutOfMemoryError,
  cancelled: CancelledError,
  protocol: ProtocolError,
  'store-version': StoreVersionError,
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
