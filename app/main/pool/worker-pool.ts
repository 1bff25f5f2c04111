/**
 * A pool of OCR worker processes. The unit of work is one page (a path and a page index); pages queue in
 * submission order and go to the first idle worker. Workers start on demand, up to `workers`.
 *
 * Failure handling:
 * - a worker that crashes, runs out of memory or hangs past `pageTimeoutMs` (the watchdog kills it) is replaced,
 *   and its page is retried once on a fresh worker; a second failure rejects with {@link WorkerCrashedError},
 *   {@link WorkerOutOfMemoryError} or {@link WorkerTimeoutError}, naming the file and page;
 * - an error about the input (corrupt image, too large…) rejects at once with that error; the worker carries on;
 * - an off-protocol message from a worker kills it and rejects its request with {@link ProtocolError};
 * - an aborted signal rejects with {@link CancelledError} at once: queued work is dropped, running work has its
 *   worker killed (and replaced when there is more work).
 * A worker whose resident memory exceeds `maxRssBytes` after a page is retired and replaced.
 */
import { CancelledError, ProtocolError, WorkerCrashedError } from '../../common/errors.ts';
import type { OcrPage } from '../../common/result.ts';
import type { ProposedLine } from '../../common/edits.ts';
import type { FromWorker, PageOptions, ProbeResult, RegionRequest, RenderedImage, RenderRequest, StageTimings, WorkerDevice } from '../../common/worker-protocol.ts';
import { faultToError } from './failure-messages.ts';
import { resolvePoolOptions, type ResolvedPoolOptions, type WorkerPoolOptions } from './pool-options.ts';
import { WorkerFault, WorkerHandle, type WorkerRequest, type WorkerState } from './worker-handle.ts';

export interface CallOptions {
  /** Aborting rejects the call with {@link CancelledError}. */
  readonly signal?: AbortSignal;
}

export interface WorkerStats {
  readonly id: number;
  readonly pid: number | undefined;
  readonly state: WorkerState;
  readonly pagesDone: number;
  readonly rss: number;
  readonly activity: { readonly path: string; readonly page?: number } | undefined;
  /** Where its models run, once it is ready. */
  readonly device: WorkerDevice | undefined;
}

export interface PoolStats {
  /** Requests waiting for a worker. */
  readonly queued: number;
  readonly workers: readonly WorkerStats[];
  /** Workers started since the pool was created, replacements included. */
  readonly started: number;
}

type Request = Extract<WorkerRequest, { type: 'probe' | 'page' | 'render' | 'region' }>;

/** A recognised page and what it cost, stage by stage, in the worker. */
export interface RecognisedPage {
  readonly page: OcrPage;
  readonly timings: StageTimings;
}

export interface ProbeOptions extends CallOptions {
  readonly password?: string | undefined;
  /** @default the pool's `maxPixels` */
  readonly maxPixels?: number | undefined;
}

/** What the service needs from the worker pool: probe a file, recognise a page, picture a page. */
export interface PageRecogniser {
  probe(path: string, options?: ProbeOptions): Promise<ProbeResult>;
  recognisePage(path: string, page: number, options?: PageOptions, call?: CallOptions): Promise<RecognisedPage>;
  renderPage(path: string, page: number, options: RenderRequest, call?: CallOptions): Promise<RenderedImage>;
}

interface Job {
  readonly request: Request;
  readonly signal: AbortSignal | undefined;
  readonly resolve: (reply: FromWorker) => void;
  readonly reject: (error: unknown) => void;
  /** Attempts that ended in a worker fault. */
  faults: number;
  worker: WorkerHandle | undefined;
  settled: boolean;
  onAbort: (() => void) | undefined;
}

/** Consecutive failed worker starts after which queued work is rejected rather than retried forever. */
const MAX_START_FAILURES = 3;
const SHUTDOWN_GRACE_MS = 2000;

export class WorkerPool implements PageRecogniser {
  readonly options: ResolvedPoolOptions;
  readonly #queue: Job[] = [];
  readonly #workers = new Set<WorkerHandle>();
  #started = 0;
  #startFailures = 0;
  #closed = false;
  #models: string | undefined;
  #device: WorkerDevice | undefined;
  readonly #deviceWaiters = new Set<(device: WorkerDevice | undefined) => void>();

  /** Validates the options (throws {@link InvalidOptionError}); workers start with the first request. */
  constructor(options: WorkerPoolOptions = {}) {
    this.options = resolvePoolOptions(options);
  }

  /**
   * Starts up to `count` workers (within the pool size) before the first request, so that their model loading
   * overlaps whatever the caller does meanwhile. Without it, workers start with the first request.
   * @default the pool size
   */
  warmUp(count: number = this.options.workers): void {
    if (this.#closed) return;
    const wanted = Math.min(count, this.options.workers) - this.#count('starting', 'idle', 'busy');
    for (let i = 0; i < wanted; i++) this.#spawn();
  }

  /** The model pack id the workers loaded, once one has started. */
  get models(): string | undefined {
    return this.#models;
  }

  /** Where the models run, as the last worker to start reported; undefined until one has. */
  get device(): WorkerDevice | undefined {
    return this.#device;
  }

  /**
   * Where the models run: the last report, else that of the first worker to start, starting one if none is (the
   * GPU is tried when a worker loads its models). Undefined when none reports within `timeoutMs`.
   */
  whenDeviceKnown(timeoutMs: number): Promise<WorkerDevice | undefined> {
    if (this.#device || this.#closed) return Promise.resolve(this.#device);
    if (this.#count('starting', 'idle', 'busy') === 0) this.warmUp(1);
    return new Promise((resolve) => {
      const done = (device: WorkerDevice | undefined) => {
        clearTimeout(timer);
        this.#deviceWaiters.delete(done);
        resolve(device);
      };
      const timer = setTimeout(() => done(undefined), timeoutMs);
      this.#deviceWaiters.add(done);
    });
  }

  /** Reads an image's header in a worker: format, page count, size (and, for a PDF, what text each page has). */
  async probe(path: string, { signal, password, maxPixels }: ProbeOptions = {}): Promise<ProbeResult> {
    const request = { type: 'probe' as const, path, ...(password === undefined ? {} : { password }), ...(maxPixels === undefined ? {} : { maxPixels }) };
    const reply = await this.#submit(request, signal);
    if (reply.type !== 'probed') throw new ProtocolError(`Expected a probe result for ${path}, got \`${reply.type}\`.`);
    return reply.result;
  }

  /** Decodes and recognises page `page` (0-based) of `path`, with the worker's time per stage. */
  async recognisePage(path: string, page: number, options: PageOptions = {}, { signal }: CallOptions = {}): Promise<RecognisedPage> {
    const reply = await this.#submit({ type: 'page', path, page, options }, signal);
    if (reply.type !== 'page-done') throw new ProtocolError(`Expected page ${page + 1} of ${path}, got \`${reply.type}\`.`);
    return { page: reply.page, timings: reply.timings };
  }

  /** A JPEG picture of page `page` (0-based) of `path` for people, as OCR sees the page, scaled to `maxSide`. */
  async renderPage(path: string, page: number, options: RenderRequest, { signal }: CallOptions = {}): Promise<RenderedImage> {
    const reply = await this.#submit({ type: 'render', path, page, options }, signal);
    if (reply.type !== 'rendered') throw new ProtocolError(`Expected a picture of page ${page + 1} of ${path}, got \`${reply.type}\`.`);
    return reply.image;
  }

  /** Reads one region of page `page` (0-based) of `path` again: the result editor's re-OCR of a box. */
  async recogniseRegion(path: string, page: number, options: RegionRequest, { signal }: CallOptions = {}): Promise<{ lines: ProposedLine[]; elapsedMs: number }> {
    const reply = await this.#submit({ type: 'region', path, page, options }, signal);
    if (reply.type !== 'region-done') throw new ProtocolError(`Expected a region of page ${page + 1} of ${path}, got \`${reply.type}\`.`);
    return { lines: reply.lines, elapsedMs: reply.elapsedMs };
  }

  /**
   * Recognises every page of a file, streaming pages **in page order** as soon as each one and all pages before it
   * are done; all pages are queued at once, so a multi-page file is spread over the workers. The first failing page
   * rejects the iteration and cancels the file's remaining pages; so does leaving the loop early.
   */
  async *recogniseFile(path: string, options: PageOptions = {}, { signal }: CallOptions = {}): AsyncGenerator<OcrPage, void, undefined> {
    const { pages } = await this.probe(path, { signal });
    const controller = new AbortController();
    const forward = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', forward, { once: true });
    const pending = Array.from({ length: pages }, (_, i) => this.recognisePage(path, i, options, { signal: controller.signal }));
    for (const p of pending) p.catch(() => undefined); // awaited below; this only keeps later failures from going unhandled
    try {
      for (const p of pending) yield (await p).page;
    } finally {
      controller.abort();
      signal?.removeEventListener('abort', forward);
    }
  }

  /** A snapshot of the queue and the workers. */
  stats(): PoolStats {
    return {
      queued: this.#queue.length,
      started: this.#started,
      workers: [...this.#workers].map((w) => ({ id: w.id, pid: w.pid, state: w.state, pagesDone: w.pagesDone, rss: w.rss, activity: w.activity, device: w.device })),
    };
  }

  /** Rejects queued and running work with {@link CancelledError}, stops every worker and waits until they have exited. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const waiter of this.#deviceWaiters) waiter(undefined);
    const closed = () => new CancelledError('The OCR worker pool was closed.');
    for (const job of this.#queue.splice(0)) this.#settle(job, closed());
    for (const worker of this.#workers) {
      if (worker.state === 'idle') worker.retire(SHUTDOWN_GRACE_MS);
      else worker.kill();
    }
    await Promise.all([...this.#workers].map((w) => w.exited));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #submit(request: Request, signal: AbortSignal | undefined): Promise<FromWorker> {
    return new Promise<FromWorker>((resolve, reject) => {
      if (this.#closed) return reject(new CancelledError('The OCR worker pool is closed.'));
      if (signal?.aborted) return reject(new CancelledError());
      const job: Job = { request, signal, resolve, reject, faults: 0, worker: undefined, settled: false, onAbort: undefined };
      if (signal) {
        job.onAbort = () => this.#cancel(job);
        signal.addEventListener('abort', job.onAbort, { once: true });
      }
      this.#queue.push(job);
      this.#pump();
    });
  }

  #cancel(job: Job): void {
    const queued = this.#queue.indexOf(job);
    if (queued >= 0) this.#queue.splice(queued, 1);
    // A running page cannot be interrupted inside ONNX Runtime: its worker is killed and replaced on demand.
    job.worker?.kill();
    this.#settle(job, new CancelledError());
  }

  #settle(job: Job, error: unknown, reply?: FromWorker): void {
    if (job.settled) return;
    job.settled = true;
    if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort);
    if (reply) job.resolve(reply);
    else job.reject(error);
  }

  #count(...states: WorkerState[]): number {
    let n = 0;
    for (const w of this.#workers) if (states.includes(w.state)) n++;
    return n;
  }

  /** Hands queued jobs to idle workers, and starts workers while there is work nobody will take. */
  #pump(): void {
    if (this.#closed) return;
    for (const worker of this.#workers) {
      if (this.#queue.length === 0) break;
      if (worker.state === 'idle') this.#run(this.#queue.shift()!, worker);
    }
    // A retiring worker still holds its memory until it has exited (its exit pumps again): a replacement started
    // beside it would put one worker's memory too many on top of the pool's peak.
    const live = this.#count('starting', 'idle', 'busy', 'retiring');
    const wanted = Math.min(this.#queue.length - this.#count('starting'), this.options.workers - live);
    for (let i = 0; i < wanted; i++) this.#spawn();
  }

  #spawn(): void {
    const o = this.options;
    const worker = new WorkerHandle(o.transport({ entry: o.entry, maxOldSpaceMb: o.maxOldSpaceMb, env: o.env }), ++this.#started);
    this.#workers.add(worker);
    void worker.exited.then(() => {
      this.#workers.delete(worker);
      this.#pump();
    });
    const config = { modelDir: o.modelDir, threads: o.threads, maxPixels: o.maxPixels, trustModels: o.trustModels, cacheDir: o.cacheDir, gpu: o.gpu };
    worker.request({ type: 'init', config }, o.initTimeoutMs).then(
      (reply) => {
        if (reply.type === 'ready') {
          this.#models = reply.models;
          this.#device = worker.device = reply.device;
          for (const waiter of this.#deviceWaiters) waiter(reply.device);
        }
        this.#startFailures = 0;
        if (worker.state === 'starting') worker.state = 'idle';
        this.#pump();
      },
      (error: unknown) => {
        worker.kill();
        if (this.#closed) return;
        // A revived error (model missing or corrupt…) will not go away by retrying; a crash might.
        const fatal = !(error instanceof WorkerFault) || ++this.#startFailures >= MAX_START_FAILURES;
        if (fatal && this.#count('idle', 'busy') === 0) {
          this.#startFailures = 0;
          const reason =
            error instanceof WorkerFault
              ? new WorkerCrashedError(
                  `OCR workers failed to start ${MAX_START_FAILURES} times in a row (last: ${error.message}). ` +
                    'Check that the model pack is intact (`ocr-desk models verify`) and that there is enough free memory.',
                )
              : error;
          for (const job of this.#queue.splice(0)) this.#settle(job, reason);
        }
      },
    );
  }

  #run(job: Job, worker: WorkerHandle): void {
    const { request } = job;
    worker.state = 'busy';
    worker.activity = request.type === 'probe' ? { path: request.path } : { path: request.path, page: request.page };
    job.worker = worker;
    worker.request(request, this.options.pageTimeoutMs).then(
      (reply) => {
        job.worker = undefined;
        worker.activity = undefined;
        if (reply.type === 'page-done') {
          worker.pagesDone++;
          worker.rss = reply.rss;
        }
        if (worker.state === 'busy') {
          if (worker.rss > this.options.maxRssBytes) worker.retire(SHUTDOWN_GRACE_MS);
          else worker.state = 'idle';
        }
        this.#settle(job, undefined, reply);
        this.#pump();
      },
      (error: unknown) => {
        job.worker = undefined;
        worker.activity = undefined;
        if (!(error instanceof WorkerFault)) {
          // The worker reported a problem with the input and is fine.
          if (worker.state === 'busy') worker.state = 'idle';
          this.#settle(job, error);
        } else if (this.#closed) {
          this.#settle(job, new CancelledError('The OCR worker pool was closed.'));
        } else if (!job.settled) {
          job.faults++;
          if (error.reason !== 'protocol' && job.faults <= this.options.retries) {
            this.#queue.unshift(job);
          } else {
            const page = request.type === 'probe' ? undefined : request.page;
            this.#settle(job, faultToError(error, { path: request.path, page, attempts: job.faults, timeoutMs: this.options.pageTimeoutMs }));
          }
        }
        // A faulted worker is dead or dying; its exit starts a replacement if there is work.
        this.#pump();
      },
    );
  }
}
