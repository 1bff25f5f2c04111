/**
 * A system notification when a batch (an interactive job) finishes or fails, once per job, only for a change the
 * app saw happen (not for jobs that were already finished when it started).
 */
import type { ServiceEvent } from '../../common/api/events.ts';
import type { JobState, JobSummary } from '../../common/api/resources.ts';

export interface Notice {
  readonly title: string;
  readonly body: string;
}

const ENDED: readonly JobState[] = ['done', 'failed'];

/** The notice for a job that has just ended, or undefined. */
export function jobEndNotice(previous: JobState | undefined, job: JobSummary): Notice | undefined {
  if (job.kind !== 'interactive' || !ENDED.includes(job.state)) return undefined;
  if (previous === undefined || ENDED.includes(previous) || previous === 'cancelled') return undefined;
  const docs = job.documents;
  const done = docs.done ?? 0;
  const failed = docs.failed ?? 0;
  const files = (n: number) => (n === 1 ? '1 file' : `${n} files`);
  if (job.state === 'failed' || (failed > 0 && done === 0)) {
    return { title: 'OCR Desk: batch failed', body: `${job.label}: ${files(failed)} could not be read.` };
  }
  return {
    title: 'OCR Desk: batch finished',
    body: `${job.label}: ${files(done)} read${failed ? `, ${files(failed)} failed` : ''} (${job.pages.done === 1 ? '1 page' : `${job.pages.done} pages`}).`,
  };
}

/** Follows job events and says when to notify. */
export class JobWatcher {
  readonly #states = new Map<number, JobState>();
  readonly #notify: (notice: Notice, job: JobSummary) => void;

  constructor(notify: (notice: Notice, job: JobSummary) => void) {
    this.#notify = notify;
  }

  onEvent(event: ServiceEvent): void {
    if (event.type === 'job-removed') this.#states.delete(event.jobId);
    if (event.type !== 'job') return;
    const notice = jobEndNotice(this.#states.get(event.job.id), event.job);
    this.#states.set(event.job.id, event.job.state);
    if (notice) this.#notify(notice, event.job);
  }
}
