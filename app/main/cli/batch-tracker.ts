/**
 * Follows one job through the service's events for the command line: drives the progress display (pages done of
 * the total, file by file) and gathers what the summary needs (stage time per page, which files were reused).
 * It only reads events; the job itself runs in the service.
 */
import type { ServiceEvent } from '../../common/api/events.ts';
import type { DocumentSummary, JobSummary } from '../../common/api/resources.ts';
import type { StageTimings } from '../../common/worker-protocol.ts';
import type { ProgressReporter } from './progress.ts';
import { emptyStageTotals } from './summary.ts';

const ENDED = new Set(['done', 'failed', 'cancelled']);

export class BatchTracker {
  readonly #progress: ProgressReporter;
  readonly #display: (path: string) => string;
  readonly #buffer: ServiceEvent[] = [];
  readonly #pagesSeen = new Map<number, number>();
  readonly #startedAt = new Map<number, number>();
  readonly #settled = new Set<number>();
  readonly stageTotals = emptyStageTotals();
  #jobId: number | undefined;
  #extraFiles = 0;
  #started = false;
  /** Files that ended while the job was still being probed: reported once the progress knows its total. */
  readonly #early: (() => void)[] = [];
  #resolve!: () => void;
  /** Resolves when the job has ended (done, failed or cancelled). */
  readonly ended: Promise<void>;

  constructor(progress: ProgressReporter, display: (path: string) => string) {
    this.#progress = progress;
    this.#display = display;
    this.ended = new Promise((resolve) => (this.#resolve = resolve));
  }

  /** Every service event goes here; those of other jobs are ignored, those before the job id is known are kept. */
  onEvent(event: ServiceEvent): void {
    if (this.#jobId === undefined) {
      this.#buffer.push(event);
      return;
    }
    this.#handle(event);
  }

  /**
   * The job is known: `extraFiles` failed before it (while listing folders). `job` is its state now; documents
   * already finished (a resumed job) are counted without a line each.
   */
  begin(jobId: number, extraFiles: number, job: JobSummary & { documentList: DocumentSummary[] }): void {
    this.#jobId = jobId;
    this.#extraFiles = extraFiles;
    const before = job.documentList.filter((d) => ENDED.has(d.state));
    for (const d of before) this.#settled.add(d.id);
    this.#maybeStart(job);
    if (this.#started && before.length > 0) {
      this.#progress.resumed(before.length, before.reduce((n, d) => n + (d.state === 'done' ? (d.pageCount ?? 0) : 0), 0));
    }
    for (const e of this.#buffer.splice(0)) this.#handle(e);
    if (ENDED.has(job.state)) this.#resolve();
  }

  #maybeStart(job: JobSummary): void {
    if (this.#started || !job.probed) return;
    this.#started = true;
    const files = Object.values(job.documents).reduce((a, b) => a + b, 0) + this.#extraFiles;
    this.#progress.start(files, job.pages.total);
    for (const report of this.#early.splice(0)) report();
  }

  #handle(e: ServiceEvent): void {
    if (e.type === 'job' && e.job.id === this.#jobId) {
      this.#maybeStart(e.job);
      if (ENDED.has(e.job.state)) this.#resolve();
    } else if (e.type === 'page' && e.jobId === this.#jobId) {
      this.#pagesSeen.set(e.documentId, (this.#pagesSeen.get(e.documentId) ?? 0) + 1);
      addTimings(this.stageTotals, e.timings);
      this.#progress.page();
    } else if (e.type === 'document' && e.document.jobId === this.#jobId) {
      this.#onDocument(e.document);
    }
  }

  #onDocument(d: DocumentSummary): void {
    if (d.state === 'running') this.#startedAt.set(d.id, performance.now());
    if (!ENDED.has(d.state) || this.#settled.has(d.id)) return;
    if (!this.#started) {
      this.#early.push(() => this.#onDocument(d));
      return;
    }
    this.#settled.add(d.id);
    const seen = this.#pagesSeen.get(d.id) ?? 0;
    const path = this.#display(d.path);
    if (d.state === 'done') {
      // A reused result (or pages stored by an earlier run) brings no page events: count its pages now.
      for (let i = seen; i < (d.pageCount ?? seen); i++) this.#progress.page();
      this.#progress.file({ path, ok: true, pages: d.pageCount ?? seen, ms: performance.now() - (this.#startedAt.get(d.id) ?? performance.now()) });
    } else if (d.state === 'failed') {
      this.#progress.drop(Math.max(0, (d.pageCount ?? 1) - seen));
      this.#progress.file({ path, ok: false, kind: d.error?.kind ?? 'internal', message: d.error?.message ?? 'failed' });
    }
  }

  /** Reports a failure that is not a document of the job (an entry that could not be listed). */
  entryFailed(path: string, kind: string, message: string): void {
    if (!this.#started) {
      this.#early.push(() => this.entryFailed(path, kind, message));
      return;
    }
    this.#progress.file({ path: this.#display(path), ok: false, kind, message });
  }
}

function addTimings(total: ReturnType<typeof emptyStageTotals>, t: StageTimings): void {
  for (const k of Object.keys(total) as (keyof StageTimings)[]) total[k] += t[k];
}
