/**
 * The queue's state machines, as pure functions: which command or event moves a job from which state to which.
 * A command that does not apply throws {@link InvalidTransitionError} with a message for the person who gave it.
 *
 * Job:      queued → running → done | failed;  queued|running → paused → queued;  queued|running|paused → cancelled;
 *           failed|cancelled → queued (retry).
 * Document: queued → running → writing → done;  running → failed;  running → queued (paused, or found after a crash);
 *           queued|running → cancelled;  failed|cancelled → queued (retry).
 */
import { InvalidTransitionError } from '../../common/errors.ts';
import type { DocumentState, JobState } from '../store/store.ts';

export type JobEvent = 'start' | 'pause' | 'resume' | 'cancel' | 'retry' | 'finish-ok' | 'finish-failed';

const JOB: Record<JobEvent, Partial<Record<JobState, JobState>>> = {
  start: { queued: 'running', running: 'running' },
  pause: { queued: 'paused', running: 'paused', paused: 'paused' },
  resume: { paused: 'queued', queued: 'queued', running: 'running' },
  cancel: { queued: 'cancelled', running: 'cancelled', paused: 'cancelled', cancelled: 'cancelled' },
  retry: { failed: 'queued', cancelled: 'queued' },
  'finish-ok': { queued: 'done', running: 'done' },
  'finish-failed': { queued: 'failed', running: 'failed' },
};

const WHAT: Record<JobEvent, string> = {
  start: 'started',
  pause: 'paused',
  resume: 'resumed',
  cancel: 'cancelled',
  retry: 'retried',
  'finish-ok': 'finished',
  'finish-failed': 'finished',
};

/** The job's next state after `event`; throws {@link InvalidTransitionError} if the event does not apply. */
export function nextJobState(jobId: number, state: JobState, event: JobEvent): JobState {
  const next = JOB[event][state];
  if (next === undefined) {
    const allowed = Object.keys(JOB[event]).join(' or ');
    throw new InvalidTransitionError(`Job ${jobId} is ${state}, so it cannot be ${WHAT[event]}; only ${allowed} jobs can.`);
  }
  return next;
}

export type DocumentEvent = 'start' | 'write' | 'done' | 'fail' | 'requeue' | 'cancel' | 'retry';

const DOCUMENT: Record<DocumentEvent, Partial<Record<DocumentState, DocumentState>>> = {
  start: { queued: 'running' },
  write: { running: 'writing' },
  done: { writing: 'done' },
  fail: { running: 'failed', writing: 'failed' },
  requeue: { running: 'queued', queued: 'queued' },
  cancel: { queued: 'cancelled', running: 'cancelled' },
  retry: { failed: 'queued', cancelled: 'queued' },
};

export function nextDocumentState(state: DocumentState, event: DocumentEvent): DocumentState {
  const next = DOCUMENT[event][state];
  if (next === undefined) throw new InvalidTransitionError(`A ${state} document cannot take the event "${event}".`);
  return next;
}

/** States from which `event` moves a document (for bulk updates). */
export function documentStatesFor(event: DocumentEvent): DocumentState[] {
  return Object.keys(DOCUMENT[event]) as DocumentState[];
}

/** A job whose documents have all ended is done, or failed if any of them failed; otherwise it keeps its state. */
export function settledJobEvent(counts: Record<DocumentState, number>): JobEvent | undefined {
  if (counts.queued + counts.running + counts.writing > 0) return undefined;
  return counts.failed > 0 ? 'finish-failed' : 'finish-ok';
}
