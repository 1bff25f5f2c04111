/**
 * Turns a worker fault on a request into the error the person running the batch sees: which file and page, what
 * happened, how often, and what to do about it.
 */
import type {
  OcrDeskError} from '../../common/errors.ts';
import {
  ProtocolError,
  WorkerCrashedError,
  WorkerOutOfMemoryError,
  WorkerTimeoutError,
} from '../../common/errors.ts';
import type { WorkerFault } from './worker-handle.ts';

export interface FailedRequest {
  readonly path: string;
  /** 0-based page index; absent for a probe. */
  readonly page?: number;
  /** How many attempts were made. */
  readonly attempts: number;
  readonly timeoutMs: number;
}

function what(r: FailedRequest): string {
  return r.page === undefined ? `reading the header of ${r.path}` : `page ${r.page + 1} of ${r.path}`;
}

/** The request as the subject of a sentence. */
function task(r: FailedRequest): string {
  return r.page === undefined ? `Reading the header of ${r.path}` : `OCR of page ${r.page + 1} of ${r.path}`;
}

function times(n: number): string {
  return n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`;
}

export function faultToError(fault: WorkerFault, r: FailedRequest): OcrDeskError {
  const tried = `${times(r.attempts)}${r.attempts > 1 ? ', each time in a fresh worker' : ''}`;
  switch (fault.reason) {
    case 'timeout':
      return new WorkerTimeoutError(
        `${task(r)} did not finish within ${formatMs(r.timeoutMs)} (tried ${tried}), so its worker was stopped. ` +
          'The page may be unusually large or trigger a hang in the decoder or engine: try a lower resolution, ' +
          'or raise the page timeout (--page-timeout-ms, OCR_DESK_PAGE_TIMEOUT_MS).',
      );
    case 'out-of-memory':
      return new WorkerOutOfMemoryError(
        `The OCR worker ran out of memory on ${what(r)} (tried ${tried}; ${fault.message}). ` +
          'Scan or export the page at a lower resolution, lower the pixel limit (--max-pixels) to refuse such pages, ' +
          'or run fewer workers (--workers) so each has more memory.',
      );
    case 'protocol':
      return new ProtocolError(
        `The OCR worker gave an invalid answer for ${what(r)} (${fault.message}). This is a bug in OCR Desk; ` +
          'please report it with the file attached. The worker was replaced; other files are not affected.',
      );
    case 'crashed':
    case 'stopped':
      return new WorkerCrashedError(
        `The OCR worker crashed on ${what(r)} (tried ${tried}; ${fault.message}). The file may trigger a bug in ` +
          'the decoder or engine: convert it to PNG and try again, or report it with the file attached.',
      );
  }
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toLocaleString('en-US', { maximumFractionDigits: 1 })} s` : `${ms} ms`;
}
