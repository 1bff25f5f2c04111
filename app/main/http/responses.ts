/**
 * Answers: JSON bodies, downloads, and errors as `{ "error": { "kind", "name", "message" } }` with the status that
 * fits the kind. A stack trace or an internal path never leaves the server: an unexpected error is logged here and
 * answered with a generic message.
 */
import type { ServerResponse } from 'node:http';
import type { BinaryResponse } from '../../common/api/operations.ts';
import { OcrDeskError, type ErrorKind } from '../../common/errors.ts';

const STATUS: Partial<Record<ErrorKind, number>> = {
  'invalid-option': 400,
  'invalid-query': 400,
  'unauthorized': 401,
  'forbidden': 403,
  'not-found': 404,
  'job-not-found': 404,
  'document-not-found': 404,
  'hot-folder-not-found': 404,
  'input-not-found': 404,
  'invalid-transition': 409,
  'edit-conflict': 409,
  'invalid-edit': 422,
  'payload-too-large': 413,
  'rate-limited': 429,
  'busy': 503,
  'too-many-pages': 422,
  'unsupported-format': 415,
  'input-empty': 422,
  'input-unreadable': 422,
  'corrupt-image': 422,
  'corrupt-pdf': 422,
  'image-too-large': 422,
  'pdf-password': 422,
  'symlink-loop': 422,
  'output-write': 507,
  'data-dir-busy': 503,
};

/** The HTTP status of an error kind. */
export function statusOf(kind: ErrorKind): number {
  return STATUS[kind] ?? 500;
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendBinary(res: ServerResponse, body: BinaryResponse): void {
  const inline = body.mediaType.startsWith('image/');
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': body.mediaType,
    'content-length': body.data.byteLength,
    'content-disposition': `${inline ? 'inline' : 'attachment'}; filename="${body.fileName.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(body.fileName)}`,
    // A page picture of a document does not change: the browser may keep it for the session.
    ...(inline ? { 'cache-control': 'private, max-age=3600' } : {}),
  });
  res.end(body.data);
}

/** Answers an error; `log` gets the unexpected ones (with their stack), never the client. */
export function sendError(res: ServerResponse, error: unknown, log: (error: unknown) => void, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error instanceof OcrDeskError && error.kind !== 'internal') {
    sendJson(res, statusOf(error.kind), { error: { kind: error.kind, name: error.name, message: error.message } }, headers);
    return;
  }
  log(error);
  sendJson(res, 500, { error: { kind: 'internal', name: 'OcrDeskError', message: 'OCR Desk hit an unexpected error handling this request; it is in the service log.' } }, headers);
}
