/**
 * The root of every OCR Desk error: the kinds of failure (stable, machine-readable; they cross process and HTTP
 * boundaries with the message) and the class every error extends. The classes are in input.ts, engine.ts and
 * service.ts beside this module; app/common/errors.ts re-exports them all with the wire schema.
 */

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
  'lexicon-missing',
  'worker-crashed',
  'worker-timeout',
  'worker-out-of-memory',
  'cancelled',
  'protocol',
  'store-version',
  'store-migration',
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

export type ErrorKind = (typeof ERROR_KINDS)[number];

export class OcrDeskError extends Error {
  readonly kind: ErrorKind = 'internal';
  override name = 'OcrDeskError';
}
