/**
 * A failed document, in plain words: the service's message (already written for people) with the internal upload
 * path replaced by the file's name, and advice for what to do in this window, by the kind of failure. The
 * service's own advice speaks of command-line flags; the UI's points at the controls on screen.
 */
import type { DocumentSummary } from '../../common/api/resources.ts';
import type { ErrorKind } from '../../common/errors.ts';
import type { MessageKey } from '../i18n/messages-en.ts';

export function failureText(doc: Pick<DocumentSummary, 'path' | 'name' | 'error'>): string {
  const message = doc.error?.message ?? '';
  return doc.path ? message.split(doc.path).join(doc.name) : message;
}

const ADVICE: Partial<Record<ErrorKind, MessageKey>> = {
  'pdf-password': 'advice_pdfPassword',
  'unsupported-format': 'advice_unsupported',
  'corrupt-image': 'advice_corrupt',
  'corrupt-pdf': 'advice_corrupt',
  'input-empty': 'advice_empty',
  'image-too-large': 'advice_tooLarge',
  'worker-crashed': 'advice_worker',
  'worker-timeout': 'advice_worker',
  'worker-out-of-memory': 'advice_worker',
  'output-write': 'advice_output',
  'input-not-found': 'advice_missing',
  'input-unreadable': 'advice_missing',
  cancelled: 'advice_cancelled',
  'model-missing': 'advice_model',
  'model-corrupt': 'advice_model',
  'model-manifest': 'advice_model',
};

export function adviceFor(kind: ErrorKind): MessageKey {
  return ADVICE[kind] ?? 'advice_other';
}

/** What a thrown value says, for a notice or a line on screen. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
