/**
 * Errors of the OCR engine's machinery: its model files (missing, corrupt, a bad manifest), its worker processes
 * (crashed, timed out, out of memory, speaking out of protocol), and work cancelled on the way.
 */
import { OcrDeskError } from './base.ts';

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

/** The word list the engine corrects misread words with (spelling.ts) cannot be read: an incomplete install. */
export class LexiconMissingError extends OcrDeskError {
  override readonly kind = 'lexicon-missing';
  override name = 'LexiconMissingError';
  constructor(what: string, reason: string) {
    super(
      `The ${what} that OCR Desk corrects misread words with cannot be read (${reason}). Reinstall OCR Desk (from a ` +
        'source checkout: `npm ci`), or set OCR_DESK_SPELLING=0 to read without correcting words.',
    );
  }
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
