/**
 * One error class per failure, after OCRmyPDF. Each carries a `kind` (stable, machine-readable) and a message
 * written for the person running the batch: what went wrong with which file, and what to do about it.
 *
 * Errors cross process boundaries as {@link SerializedError} and are revived into the same class on the other side.
 */

export type ErrorKind =
  | 'invalid-option'
  | 'input-not-found'
  | 'input-unreadable'
  | 'input-empty'
  | 'unsupported-format'
  | 'corrupt-image'
  | 'image-too-large'
  | 'pdf-password'
  | 'corrupt-pdf'
  | 'pdf-output'
  | 'symlink-loop'
  | 'model-missing'
  | 'model-corrupt'
  | 'model-manifest'
  | 'worker-crashed'
  | 'worker-timeout'
  | 'worker-out-of-memory'
  | 'cancelled'
  | 'protocol'
  | 'store-version'
  | 'job-not-found'
  | 'invalid-transition'
  | 'data-dir-busy'
  | 'invalid-query'
  | 'internal';

export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string | undefined;
  readonly kind: ErrorKind;
}

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

export class CorruptImageError extends OcrDeskError {
  override readonly kind = 'corrupt-image';
  override name = 'CorruptImageError';
  constructor(path: string, detail: string) {
    super(`${path} is damaged and cannot be decoded (${detail}). Re-scan it or fetch a fresh copy.`);
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
    super(`${path} is a damaged or unsupported PDF (${detail}). Open and re-save it in a PDF viewer, or fetch a fresh copy.`);
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
  constructor(dir: string, pid: number) {
    super(`${dir} is in use by another OCR Desk (process ${pid}). Stop it first, or give this one another data folder (--data-dir, OCR_DESK_DATA_DIR).`);
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
  'job-not-found': JobNotFoundError,
  'invalid-transition': InvalidTransitionError,
  'data-dir-busy': DataDirBusyError,
  'invalid-query': InvalidQueryError,
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
