/**
 * The durable queue: the scheduler between the jobs in the {@link Store} and the {@link DocumentPipeline}. It hands
 * documents to the pipeline highest priority first, a few at a time; within a job the largest documents go first
 * (so a batch ends on small files and no worker idles while another finishes a big one). Before a job's documents
 * run, all of them are probed, so the job's page total is known early and the order can be chosen.
 *
 * Jobs and documents move through the state machines of ./states.ts; pause, resume, cancel and retry apply to one
 * job or to all. After a crash, documents caught mid-recognition go back to the queue with their stored pages, and
 * documents caught mid-write are completed from their stored result (see the pipeline).
 *
 * `scope` limits the queue to some jobs: a batch run on the command line works on its own job only, and leaves
 * other unfinished jobs to the service that owns them.
 */
import { InvalidOptionError, isCancellation, JobNotFoundError, serializeError } from '../../common/errors.ts';
import { jobSettingsSchema, type JobSettings } from '../../common/job-settings.ts';
import { expectInteger } from '../../common/options.ts';
import type { DocumentPipeline, JobContext } from '../pipeline/document-pipeline.ts';
import type { DocumentRow, JobRow, Store } from '../store/store.ts';
import { RateMeter } from './rate.ts';
import { documentStatesFor, nextJobState, settledJobEvent, type JobEvent } from './states.ts';

export interface QueueOptions {
  /** Documents in flight at once; enough to keep every worker busy. @default 2 */
  readonly concurrency?: number;
  /** Called for every page, document and job change. */
  readonly onEvent?: (event: QueueEvent) => void;
  /** Work on these jobs only (and those added later with {@link JobQueue.adopt}). @default every job */
  readonly scope?: 'all' | 'adopted';
  /** @default Date.now */
  readonly now?: () => number;
}

export type QueueEvent =
  | { readonly type: 'page'; readonly jobId: number; readonly documentId: number; readonly page: number }
  | { readonly type: 'document'; readonly jobId: number; readonly documentId: number; readonly state: 'running' | 'done' | 'failed' | 'cancelled' | 'queued'; readonly reused: boolean; readonly error?: { kind: string; message: string } }
  | { readonly type: 'job'; readonly jobId: number; readonly state: string };

export interface QueueProgress {
  /** Pages left in runnable jobs (documents not yet probed count as one). */
  readonly remainingPages: number;
  readonly pagesPerSecond: number;
  /** Seconds left at the current rate; undefined until a rate is known. */
  readonly etaSeconds: number | undefined;
  readonly inFlight: number;
  readonly paused: boolean;
}

type StopReason = 'pause' | 'cancel' | 'close';

interface InFlight {
  readonly jobId: number;
  readonly controller: AbortController;
  done: Promise<void>;
}

const PAUSED_KEY = 'queue.paused';

/** A stored job's settings, parsed (and defaults filled in for settings stored by older versions). */
export function jobContext(job: Pick<JobRow, 'settings' | 'force'>): JobContext {
  const raw = JSON.parse(job.settings) as Record<string, unknown>;
  return { settings: jobSettingsSchema.parse(upgradeSettings(raw)), force: job.force === 1 };
}

/** Settings stored before the job vocabulary moved to app/common (`pageOptions`, `models`) read as today's. */
function upgradeSettings(raw: Record<string, unknown>): Record<string, unknown> {
  if (!('pageOptions' in raw)) return raw;
  const { pageOptions, models: _models, pdfMode, ...rest } = raw as { pageOptions: { languages?: string[]; autoRotate?: boolean }; models?: string; pdfMode?: string };
  return { ...rest, languages: pageOptions.languages, autoRotate: pageOptions.autoRotate, ...(pdfMode ? { pdfMode } : {}) };
}

export class JobQueue {
  readonly store: Store;
  readonly #pipeline: DocumentPipeline;
  readonly #concurrency: number;
  readonly #onEvent: (event: QueueEvent) => void;
  readonly #now: () => number;
  readonly #inFlight = new Map<number, InFlight>();
  readonly #probing = new Set<number>();
  readonly #probed = new Set<number>();
  readonly #rate = new RateMeter();
  readonly #idleWaiters: (() => void)[] = [];
  readonly #scope: Set<number> | undefined;
  #started = false;
  #closed = false;

  constructor(store: Store, pipeline: DocumentPipeline, options: QueueOptions = {}) {
    this.store = store;
    this.#pipeline = pipeline;
    this.#concurrency = expectInteger('concurrency', options.concurrency ?? 2, 1);
    this.#onEvent = options.onEvent ?? (() => undefined);
    this.#now = options.now ?? Date.now;
    const scope = options.scope ?? 'all';
    if (scope !== 'all' && scope !== 'adopted') throw new InvalidOptionError(`Expected \`scope\` to be one of all, adopted, got \`${String(scope)}\``);
    this.#scope = scope === 'adopted' ? new Set() : undefined;
  }

  /**
   * Recovers from a crash (documents caught mid-recognition go back to the queue with their stored pages; documents
   * caught mid-write are completed) and starts working.
   */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    this.store.setDocumentStates(undefined, ['running'], 'queued');
    for (const doc of this.store.writingDocuments()) {
      const job = this.store.job(doc.job_id);
      try {
        if (!job) throw new JobNotFoundError(doc.job_id);
        await this.#pipeline.complete(doc, jobContext(job).settings);
        this.#emit({ type: 'document', jobId: doc.job_id, documentId: doc.id, state: 'done', reused: doc.reused === 1 });
      } catch (error) {
        const e = serializeError(error);
        this.store.failDocument(doc.id, e.kind, e.message);
      }
    }
    for (const job of this.store.jobs()) if (job.state === 'running' || job.state === 'queued') this.#settleJob(job.id);
    this.#pump();
  }

  /** Takes a job into this queue's scope (scope `adopted`); a queue working on every job needs no adopting. */
  adopt(jobId: number): void {
    this.#scope?.add(jobId);
    this.#pump();
  }

  /** Ends a job whose documents have all ended (a job of no documents ends at once). */
  settle(jobId: number): void {
    this.#settleJob(jobId);
  }

  /** Whether this queue works on the job. */
  covers(jobId: number): boolean {
    return this.#scope === undefined || this.#scope.has(jobId);
  }

  /** Wakes the queue after documents were added to the store (a new job, a hot folder's file). */
  poke(): void {
    this.#pump();
  }

  get paused(): boolean {
    return this.store.setting(PAUSED_KEY) === '1';
  }

  /** Pauses one job, or the whole queue: nothing new starts, and pages in flight are stopped (stored pages are kept). */
  async pause(jobId?: number): Promise<void> {
    if (jobId === undefined) {
      this.store.setSetting(PAUSED_KEY, '1');
      this.store.audit('queue-paused', null, null, null);
      await this.#stop(() => true, 'pause');
      this.#wakeIdle();
      return;
    }
    this.#jobEvent(jobId, 'pause');
    await this.#stop((f) => f.jobId === jobId, 'pause');
  }

  /** Resumes one job, or the whole queue. */
  resume(jobId?: number): void {
    if (jobId === undefined) {
      this.store.setSetting(PAUSED_KEY, undefined);
      this.store.audit('queue-resumed', null, null, null);
    } else {
      this.#jobEvent(jobId, 'resume');
      this.#settleJob(jobId); // its last documents may have finished while it was paused
    }
    this.#pump();
  }

  /** Cancels one job, or every unfinished job: documents not done are cancelled, pages in flight stopped. */
  async cancel(jobId?: number): Promise<void> {
    const ids = jobId === undefined ? this.store.jobs().filter((j) => ['queued', 'running', 'paused'].includes(j.state)).map((j) => j.id) : [jobId];
    for (const id of ids) {
      this.#jobEvent(id, 'cancel');
      this.store.setDocumentStates(id, ['queued'], 'cancelled');
    }
    await this.#stop((f) => ids.includes(f.jobId), 'cancel');
    this.#wakeIdle();
  }

  /** Retries one failed or cancelled job, or all of them: its failed and cancelled documents are queued again. */
  retry(jobId?: number): void {
    const ids = jobId === undefined ? this.store.jobs().filter((j) => j.state === 'failed' || j.state === 'cancelled').map((j) => j.id) : [jobId];
    for (const id of ids) {
      this.store.transaction(() => {
        this.#jobEvent(id, 'retry');
        this.store.setDocumentStates(id, documentStatesFor('retry'), 'queued');
      });
      this.#probed.delete(id);
    }
    this.#pump();
  }

  /** Queues failed documents again one by one (e.g. after an output folder became writable); settles their jobs. */
  retryDocuments(documentIds: readonly number[]): void {
    const jobs = new Set<number>();
    for (const id of documentIds) {
      const doc = this.store.document(id);
      if (!doc || (doc.state !== 'failed' && doc.state !== 'cancelled')) continue;
      this.store.transaction(() => {
        const job = this.store.job(doc.job_id);
        if (job && (job.state === 'failed' || job.state === 'cancelled')) this.#jobEvent(job.id, 'retry');
        this.store.setDocumentState(id, 'queued');
        this.store.sql('UPDATE documents SET error_kind = NULL, error_message = NULL WHERE id = ?').run(id);
      });
      this.#emit({ type: 'document', jobId: doc.job_id, documentId: id, state: 'queued', reused: false });
      jobs.add(doc.job_id);
    }
    for (const j of jobs) this.#probed.delete(j);
    this.#pump();
  }

  progress(): QueueProgress {
    const now = this.#now();
    const { total, stored } = this.store.remainingPages();
    const remaining = Math.max(0, total - stored);
    return { remainingPages: remaining, pagesPerSecond: this.#rate.rate(now), etaSeconds: this.#rate.etaSeconds(now, remaining), inFlight: this.#inFlight.size, paused: this.paused };
  }

  /** Resolves when nothing is in flight and nothing runnable is queued (or the queue is paused). */
  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Stops work in flight (it goes back to the queue, stored pages kept) and waits for it to wind down. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#stop(() => true, 'close');
    this.#wakeIdle();
  }

  // ---- internals ----

  #emit(event: QueueEvent): void {
    try {
      this.#onEvent(event);
    } catch {
      // A listener's failure must not break the queue.
    }
  }

  #jobEvent(jobId: number, event: JobEvent): void {
    const job = this.store.job(jobId);
    if (!job) throw new JobNotFoundError(jobId);
    const next = nextJobState(jobId, job.state, event);
    if (next !== job.state) {
      this.store.setJobState(jobId, next);
      this.store.audit(`job-${next}`, jobId, null, event);
      this.#emit({ type: 'job', jobId, state: next });
    }
  }

  async #stop(which: (f: InFlight) => boolean, reason: StopReason): Promise<void> {
    const stopping = [...this.#inFlight.values()].filter(which);
    for (const f of stopping) f.controller.abort(reason);
    await Promise.all(stopping.map((f) => f.done));
  }

  #isIdle(): boolean {
    return this.#inFlight.size === 0 && this.#probing.size === 0 && (this.#closed || this.paused || this.#next() === undefined);
  }

  #wakeIdle(): void {
    if (this.#isIdle()) for (const wake of this.#idleWaiters.splice(0)) wake();
  }

  /** The next runnable document in scope, skipping those in flight and jobs still being probed. */
  #next(): (DocumentRow & { settings: string }) | undefined {
    const skipDocs = new Set(this.#inFlight.keys());
    for (;;) {
      const doc = this.store.nextDocument(skipDocs);
      if (!doc) return undefined;
      if (this.covers(doc.job_id) && !this.#probing.has(doc.job_id)) return doc;
      // Out of scope or being probed: skip this job's documents for now.
      for (const d of this.store.documents(doc.job_id)) skipDocs.add(d.id);
    }
  }

  #pump(): void {
    if (!this.#started || this.#closed) return;
    while (this.#inFlight.size < this.#concurrency && !this.paused) {
      const doc = this.#next();
      if (!doc) break;
      if (!this.#probed.has(doc.job_id)) {
        this.#probeJob(doc.job_id);
        continue;
      }
      const controller = new AbortController();
      const flight: InFlight = { jobId: doc.job_id, controller, done: Promise.resolve() };
      this.#inFlight.set(doc.id, flight);
      flight.done = this.#run(doc, controller.signal).finally(() => {
        this.#inFlight.delete(doc.id);
        this.#pump();
        this.#wakeIdle();
      });
    }
    this.#wakeIdle();
  }

  /**
   * Probes every queued document of a job that has no probe yet (header reads, in the workers, all at once), so
   * the job's page total is known and its documents can run largest first. A document whose probe fails fails.
   */
  #probeJob(jobId: number): void {
    this.#probing.add(jobId);
    const job = this.store.job(jobId);
    const run = async () => {
      if (!job) return;
      let settings: JobSettings;
      try {
        settings = jobContext(job).settings;
      } catch (error) {
        for (const d of this.store.documents(jobId)) if (d.state === 'queued') this.#failDocument(d, error);
        return;
      }
      const todo = this.store.documents(jobId).filter((d) => d.state === 'queued' && d.probe === null);
      await Promise.all(
        todo.map((d) =>
          this.#pipeline.probe(d, settings).catch((error: unknown) => {
            if (!this.#closed && !isCancellation(error)) this.#failDocument(d, error);
          }),
        ),
      );
    };
    void run().finally(() => {
      this.#probing.delete(jobId);
      if (!this.#closed) this.#probed.add(jobId);
      this.#emit({ type: 'job', jobId, state: this.store.job(jobId)?.state ?? 'unknown' });
      this.#settleJob(jobId);
      this.#pump();
    });
  }

  #failDocument(doc: Pick<DocumentRow, 'id' | 'job_id'>, error: unknown): void {
    const e = serializeError(error);
    this.store.failDocument(doc.id, e.kind, e.message);
    this.#emit({ type: 'document', jobId: doc.job_id, documentId: doc.id, state: 'failed', reused: false, error: { kind: e.kind, message: e.message } });
  }

  async #run(doc: DocumentRow & { settings: string }, signal: AbortSignal): Promise<void> {
    let job: JobContext;
    this.store.transaction(() => {
      this.store.setDocumentState(doc.id, 'running');
      if (this.store.job(doc.job_id)?.state === 'queued') this.#jobEvent(doc.job_id, 'start');
    });
    this.#emit({ type: 'document', jobId: doc.job_id, documentId: doc.id, state: 'running', reused: false });
    try {
      job = jobContext(this.store.job(doc.job_id)!);
      const { reused } = await this.#pipeline.process(doc, job, signal);
      this.#emit({ type: 'document', jobId: doc.job_id, documentId: doc.id, state: 'done', reused });
    } catch (error) {
      const reason = signal.aborted ? (signal.reason as StopReason) : undefined;
      if (reason === 'cancel') {
        this.store.setDocumentState(doc.id, 'cancelled');
        this.#emit({ type: 'document', jobId: doc.job_id, documentId: doc.id, state: 'cancelled', reused: false });
      } else if ((reason === 'pause' || reason === 'close') && (isCancellation(error) || error === reason)) {
        this.store.setDocumentState(doc.id, 'queued');
        this.#emit({ type: 'document', jobId: doc.job_id, documentId: doc.id, state: 'queued', reused: false });
      } else {
        this.#failDocument(doc, error);
      }
    } finally {
      this.#settleJob(doc.job_id);
    }
  }

  /** Counts a page towards the rate (called by the pipeline's page hook). */
  pageDone(jobId: number, documentId: number, page: number): void {
    this.#rate.add(this.#now());
    this.#emit({ type: 'page', jobId, documentId, page });
  }

  #settleJob(jobId: number): void {
    const job = this.store.job(jobId);
    if (!job || (job.state !== 'running' && job.state !== 'queued')) return;
    const event = settledJobEvent(this.store.documentCounts(jobId));
    if (event) this.#jobEvent(jobId, event);
  }
}
