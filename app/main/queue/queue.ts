/**
 * The durable batch queue. Jobs (lists of files) live in the {@link Store}; the queue hands their documents to a
 * {@link PageRecogniser} (the worker pool), highest priority first, a few documents at a time.
 *
 * Exactly once, across crashes:
 * - every recognised page is committed to the store as it arrives; after a crash only pages not yet stored are
 *   recognised again (a page in flight at the crash was never finished, so it is not done twice);
 * - a finished document records its result and each output's path and sha256 (state `writing`) before any file is
 *   written; files are written atomically; then the document is marked `done` in one transaction with its search
 *   index entry and journal outcome. A restart completes `writing` documents from the stored result: files that
 *   already hold the recorded bytes are kept, missing ones are rendered again, checked against the recorded sha256
 *   and written, and leftover temporary files are removed. The searchable PDF (`pdf`) follows the same protocol.
 * - identical content with identical settings (same content key) reuses the stored result without OCR.
 *
 * PDF inputs are handled as in a batch (see ../pdf-pages.ts): the probe says what text each page holds, the job's
 * PDF mode decides which pages are OCRed, and kept pages contribute their own text.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { InputUnreadableError, InvalidOptionError, isCancellation, JobNotFoundError, OcrDeskError, PdfOutputError, serializeError } from '../../common/errors.ts';
import { expectInteger } from '../../common/options.ts';
import { documentText, RESULT_VERSION, type OcrDocument, type OcrPage } from '../../common/result.ts';
import type { PageOptions, ProbeResult } from '../../common/worker-protocol.ts';
import { sha256File } from '../../node/model-pack.ts';
import type { PageRecogniser } from '../cli/batch.ts';
import { PDF_MODES, type PdfMode } from '../cli/options.ts';
import { DEFAULT_PDF_DPI, DEFAULT_PDF_MODE, pageOptionsFor } from '../pdf-pages.ts';
import { PRIORITY, type DocumentRow, type JobKind, type NewDocument, type Store } from '../store/store.ts';
import { fileSha256, removeStaleTemps, renderOutputs, writeOutputs, QUEUE_FORMATS, type RenderContext } from './outputs.ts';
import { RateMeter } from './rate.ts';
import { documentStatesFor, nextJobState, settledJobEvent, type JobEvent } from './states.ts';

/** How a job's files are read and written; stored with the job. */
export interface JobSettings {
  /** Output formats, each written to `<outputBase>.<format>`. */
  readonly formats: readonly string[];
  readonly pageOptions: PageOptions;
  /** Model pack id: part of the content key, so other models never reuse a result. */
  readonly models: string;
  /** Which pages of PDF inputs are OCRed (skip, force, redo), as in a batch. @default 'skip' */
  readonly pdfMode?: string | undefined;
}

/** The job's PDF mode, its default filled in. */
export function pdfModeOf(settings: JobSettings): PdfMode {
  return (settings.pdfMode ?? DEFAULT_PDF_MODE) as PdfMode;
}

export interface QueueOptions {
  /** Documents in flight at once; enough to keep every worker busy. @default 2 */
  readonly concurrency?: number;
  /** Called for every page, document and job change. */
  readonly onEvent?: (event: QueueEvent) => void;
  /** @default Date.now */
  readonly now?: () => number;
}

export type QueueEvent =
  | { readonly type: 'page'; readonly jobId: number; readonly documentId: number; readonly page: number }
  | { readonly type: 'document'; readonly jobId: number; readonly documentId: number; readonly state: 'done' | 'failed' | 'cancelled'; readonly reused: boolean; readonly error?: { kind: string; message: string } }
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

export interface AddJobOptions {
  /** @default 'interactive' */
  readonly kind?: JobKind;
  /** Higher first. @default 10 for interactive jobs, 0 for hot folders */
  readonly priority?: number;
}

type StopReason = 'pause' | 'cancel' | 'close';

interface InFlight {
  readonly jobId: number;
  readonly controller: AbortController;
  done: Promise<void>;
}

const PAUSED_KEY = 'queue.paused';

/** The key under which a result is stored and found again: content hash plus every setting that changes the result. */
export function contentKey(sha256: string, settings: JobSettings): string {
  const o = settings.pageOptions;
  const parts = [sha256, settings.models, [...(o.languages ?? ['en'])].sort().join('+'), o.autoRotate ?? true, o.detectionMaxSide ?? null, settings.pdfMode ?? null];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

export function validateJobSettings(s: JobSettings): JobSettings {
  if (!Array.isArray(s.formats) || s.formats.length === 0) throw new InvalidOptionError(`Expected \`formats\` to list at least one of ${QUEUE_FORMATS.join(', ')}, got \`${JSON.stringify(s.formats)}\``);
  for (const f of s.formats) if (!(QUEUE_FORMATS as readonly string[]).includes(f)) throw new InvalidOptionError(`Expected \`formats\` to list only ${QUEUE_FORMATS.join(', ')}, got \`${f}\``);
  if (typeof s.models !== 'string' || s.models === '') throw new InvalidOptionError(`Expected \`models\` to be a model pack id, got \`${String(s.models)}\``);
  if (s.pdfMode !== undefined && !(PDF_MODES as readonly string[]).includes(s.pdfMode)) throw new InvalidOptionError(`Expected \`pdfMode\` to be one of ${PDF_MODES.join(', ')}, got \`${String(s.pdfMode)}\``);
  return s;
}

export class JobQueue {
  readonly store: Store;
  readonly #recogniser: PageRecogniser;
  readonly #concurrency: number;
  readonly #onEvent: (event: QueueEvent) => void;
  readonly #now: () => number;
  readonly #inFlight = new Map<number, InFlight>();
  readonly #rate = new RateMeter();
  readonly #idleWaiters: (() => void)[] = [];
  #started = false;
  #closed = false;

  constructor(store: Store, recogniser: PageRecogniser, options: QueueOptions = {}) {
    this.store = store;
    this.#recogniser = recogniser;
    this.#concurrency = expectInteger('concurrency', options.concurrency ?? 2, 1);
    this.#onEvent = options.onEvent ?? (() => undefined);
    this.#now = options.now ?? Date.now;
  }

  /**
   * Recovers from a crash (documents caught mid-recognition go back to the queue with their stored pages; documents
   * caught mid-write are completed) and starts working.
   */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    this.store.setDocumentStates(undefined, ['running'], 'queued');
    for (const doc of this.store.writingDocuments()) await this.#completeWriting(doc);
    for (const job of this.store.jobs()) if (job.state === 'running' || job.state === 'queued') this.#settleJob(job.id);
    this.#pump();
  }

  /** Adds a job; its documents start as soon as workers are free and nothing of higher priority waits. */
  add(files: readonly NewDocument[], settings: JobSettings, options: AddJobOptions = {}): number {
    validateJobSettings(settings);
    const kind = options.kind ?? 'interactive';
    const priority = options.priority ?? PRIORITY[kind];
    const { jobId } = this.store.addJob(kind, priority, JSON.stringify(settings), files);
    this.#emit({ type: 'job', jobId, state: 'queued' });
    this.#pump();
    return jobId;
  }

  /** Wakes the queue after documents were added to the store directly (hot folders). */
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
  }

  /** Retries one failed or cancelled job, or all of them: its failed and cancelled documents are queued again. */
  retry(jobId?: number): void {
    const ids = jobId === undefined ? this.store.jobs().filter((j) => j.state === 'failed' || j.state === 'cancelled').map((j) => j.id) : [jobId];
    for (const id of ids) {
      this.store.transaction(() => {
        this.#jobEvent(id, 'retry');
        this.store.setDocumentStates(id, documentStatesFor('retry'), 'queued');
      });
    }
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
    return this.#inFlight.size === 0 && (this.#closed || this.paused || this.store.nextDocument() === undefined);
  }

  #pump(): void {
    if (!this.#started || this.#closed) return;
    while (this.#inFlight.size < this.#concurrency && !this.paused) {
      const doc = this.store.nextDocument(new Set(this.#inFlight.keys()));
      if (!doc) break;
      const controller = new AbortController();
      const flight: InFlight = { jobId: doc.job_id, controller, done: Promise.resolve() };
      this.#inFlight.set(doc.id, flight);
      flight.done = this.#run(doc, JSON.parse(doc.settings) as JobSettings, controller.signal).finally(() => {
        this.#inFlight.delete(doc.id);
        this.#pump();
        if (this.#isIdle()) for (const wake of this.#idleWaiters.splice(0)) wake();
      });
    }
    if (this.#isIdle()) for (const wake of this.#idleWaiters.splice(0)) wake();
  }

  async #run(doc: DocumentRow, settings: JobSettings, signal: AbortSignal): Promise<void> {
    this.store.transaction(() => {
      this.store.setDocumentState(doc.id, 'running');
      const job = this.store.job(doc.job_id);
      if (job?.state === 'queued') this.#jobEvent(doc.job_id, 'start');
    });
    let reused = false;
    try {
      // 1. Content: hash (unless the hot folder already did), then reuse a stored result for the same content key.
      let sha256 = doc.sha256;
      let bytes = doc.bytes;
      try {
        if (sha256 === null || bytes === null) {
          bytes = (await stat(doc.source_path)).size;
          sha256 = await sha256File(doc.source_path);
        }
      } catch (error) {
        throw new InputUnreadableError(doc.source_path, (error as NodeJS.ErrnoException).code ?? String(error));
      }
      const key = contentKey(sha256, settings);
      if (key !== doc.content_key) this.store.setDocumentContent(doc.id, sha256, bytes, key);
      const source = { path: doc.source_path, name: path.basename(doc.source_path), sha256, bytes };

      let result: OcrDocument;
      const stored = this.store.resultFor(key);
      if (stored !== undefined) {
        reused = true;
        result = { ...(JSON.parse(stored) as OcrDocument), source };
      } else {
        result = { version: RESULT_VERSION, source, engine: { models: settings.models, createdAt: new Date(this.#now()).toISOString() }, pages: await this.#recognise(doc, settings, signal) };
      }
      if (signal.aborted) throw signal.reason;

      // 2. Record the outputs, then write them; 3. mark done.
      const outputs = await renderOutputs(result, doc.output_base, settings.formats, renderContext(doc, settings));
      if (signal.aborted) throw signal.reason;
      this.store.beginWriting(doc.id, key, JSON.stringify(result), documentText(result), outputs.map(({ format, path: p, sha256: s }) => ({ format, path: p, sha256: s })), reused);
      await writeOutputs(doc.source_path, outputs);
      this.store.finishDocument(doc.id);
      this.#emit({ type: 'document', jobId: doc.job_id, documentId: doc.id, state: 'done', reused });
    } catch (error) {
      const reason = signal.aborted ? (signal.reason as StopReason) : undefined;
      if (reason === 'cancel') {
        this.store.setDocumentState(doc.id, 'cancelled');
        this.#emit({ type: 'document', jobId: doc.job_id, documentId: doc.id, state: 'cancelled', reused });
      } else if ((reason === 'pause' || reason === 'close') && (isCancellation(error) || error === reason)) {
        this.store.setDocumentState(doc.id, 'queued');
      } else {
        const e = serializeError(error);
        this.store.failDocument(doc.id, e.kind, e.message);
        this.#emit({ type: 'document', jobId: doc.job_id, documentId: doc.id, state: 'failed', reused, error: { kind: e.kind, message: e.message } });
      }
    } finally {
      this.#settleJob(doc.job_id);
    }
  }

  /**
   * Recognises the pages not yet stored, storing each as it arrives; returns all pages in order. The file is probed
   * unless every page is stored already: the page count, and for a PDF what text each page holds (which decides,
   * with the job's PDF mode, whether a page is OCRed or keeps its own text).
   */
  async #recognise(doc: DocumentRow, settings: JobSettings, signal: AbortSignal): Promise<OcrPage[]> {
    const have = this.store.pages(doc.id);
    let count = doc.page_count;
    let probe: ProbeResult | undefined;
    if (count === null || have.size < count) {
      probe = await this.#recogniser.probe(doc.source_path, { signal });
      if (count === null) {
        count = probe.pages;
        this.store.setPageCount(doc.id, count);
      }
    }
    const pdf = { mode: pdfModeOf(settings), dpi: DEFAULT_PDF_DPI };
    const fileAbort = new AbortController();
    const both = AbortSignal.any([signal, fileAbort.signal]);
    const pages = await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const saved = have.get(i);
        if (saved !== undefined) return JSON.parse(saved) as OcrPage;
        try {
          const { timings: _timings, ...page } = await this.#recogniser.recognisePage(doc.source_path, i, pageOptionsFor(probe, i, settings.pageOptions, pdf), { signal: both });
          this.store.savePage(doc.id, i, JSON.stringify(page));
          this.#rate.add(this.#now());
          this.#emit({ type: 'page', jobId: doc.job_id, documentId: doc.id, page: i });
          return page as OcrPage;
        } catch (error) {
          fileAbort.abort(); // the first failing page fails the file; stop its other pages
          throw error;
        }
      }),
    );
    return pages;
  }

  async #completeWriting(doc: DocumentRow): Promise<void> {
    const stored = this.store.sql('SELECT document FROM results WHERE document_id = ?').get(doc.id) as { document: string } | undefined;
    const job = this.store.job(doc.job_id);
    if (!stored || !job) {
      this.store.setDocumentState(doc.id, 'queued');
      return;
    }
    const settings = JSON.parse(job.settings) as JobSettings;
    // The outputs recorded before writing began: those already holding their recorded bytes are kept; the others
    // are rendered again from the stored result and must come out as recorded (a searchable PDF whose source
    // changed since would not), else the document fails rather than write something never recorded.
    const recorded = this.store.outputs(doc.id);
    await removeStaleTemps(recorded.map((o) => o.path));
    try {
      const missing: string[] = [];
      for (const o of recorded) if ((await fileSha256(o.path)) !== o.sha256) missing.push(o.format);
      const outputs = await renderOutputs(JSON.parse(stored.document) as OcrDocument, doc.output_base, missing, renderContext(doc, settings));
      for (const o of outputs) {
        const want = recorded.find((r) => r.format === o.format);
        if (want?.path !== o.path || want.sha256 !== o.sha256) {
          const message = `The ${o.format} output of ${doc.source_path} cannot be made again byte for byte as it was recorded (${o.path}): its source changed since it was recognised. Retry the job to recognise it again.`;
          throw o.format === 'pdf' ? new PdfOutputError(message) : new OcrDeskError(message);
        }
      }
      await writeOutputs(doc.source_path, outputs);
      this.store.finishDocument(doc.id);
      this.store.audit('document-recovered', doc.job_id, doc.id, 'outputs completed after a restart');
      this.#emit({ type: 'document', jobId: doc.job_id, documentId: doc.id, state: 'done', reused: doc.reused === 1 });
    } catch (error) {
      const e = serializeError(error);
      this.store.failDocument(doc.id, e.kind, e.message);
    }
  }

  #settleJob(jobId: number): void {
    const job = this.store.job(jobId);
    if (!job || (job.state !== 'running' && job.state !== 'queued')) return;
    const event = settledJobEvent(this.store.documentCounts(jobId));
    if (event) this.#jobEvent(jobId, event);
  }
}

function renderContext(doc: DocumentRow, settings: JobSettings): RenderContext {
  return { source: doc.source_path, pdfMode: pdfModeOf(settings) };
}
