/**
 * Errors of the service and its API, for a client or an admin: the store (a newer schema, a damaged result, a
 * busy data folder), things asked for that do not exist, queue commands that do not apply, searches and edits
 * that cannot be applied, and the LAN node's refusals (credentials, scopes, sizes, rates, load, page limits).
 */
import { OcrDeskError } from './base.ts';

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

/** A step bringing the job store up to this version failed: the store was changed by something else. */
export class StoreMigrationError extends OcrDeskError {
  override readonly kind = 'store-migration';
  override name = 'StoreMigrationError';
  constructor(file: string, from: number, to: number, cause: string) {
    super(
      `${file} could not be brought from schema version ${from} to ${to} (${cause}); that step was undone. ` +
        'It may come from a development build of OCR Desk: move it aside to start with an empty store, or point OCR_DESK_DATA_DIR at another folder.',
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
