/**
 * The OCR service: the one owner of a data folder. It holds the data-folder lock, the store, the worker pool, the
 * queue, the hot folders and the settings, and offers the typed commands and queries of app/common/api plus
 * `subscribe()` for events. The CLI, the HTTP server and Electron IPC are thin adapters over it.
 *
 * Every verb validates its input with the contract's schema, so a caller in the same process gets the same errors
 * as one over HTTP, and is implemented in one of the verb modules (verbs-jobs.ts, verbs-documents.ts,
 * verbs-admin.ts) on the {@link ServiceContext} this class makes; {@link VERBS} checks at compile time that every
 * operation of the contract has an implementation. `node:sqlite` is synchronous: in the desktop app this runs in a
 * utility process.
 */
import path from 'node:path';
import type { OcrClient, SubscribeOptions } from '../../common/api/client.ts';
import type { ServiceEvent } from '../../common/api/events.ts';
import { OPERATIONS, type OperationInput as In, type OperationName, type OperationOutput as Out } from '../../common/api/operations.ts';
import { JobNotFoundError } from '../../common/errors.ts';
import { jobSettingsSchema, type JobSettings } from '../../common/job-settings.ts';
import { parseSettings } from '../../common/validate.ts';
import { loadModelPack, packFiles, type ModelPack } from '../../node/model-pack.ts';
import { engineTuning } from '../../common/engine-tuning.ts';
import { DocumentPipeline } from '../pipeline/document-pipeline.ts';
import type { WorkerPool } from '../pool/worker-pool.ts';
import { JobQueue, type QueueEvent } from '../queue/queue.ts';
import { cacheDir } from '../settings.ts';
import { lockDataDir } from '../store/lock.ts';
import { Store } from '../store/store.ts';
import { authorOf, currentCaller } from './caller.ts';
import type { ServiceContext, ServiceSettings, Verbs } from './context.ts';
import type { OcrServiceOptions } from './options.ts';
import { APP_VERSION, type RecentError } from './diagnostics.ts';
import { EventHub, throttle } from './events.ts';
import { HotFolders } from './hot-folders.ts';
import { NetworkGuard, type NetworkOptions } from './network-guard.ts';
import { webhookSecret } from './network.ts';
import { resolveServiceSettings, settingsFromEnv, STORED_SETTINGS_KEY, type SettingsPatch } from './service-settings.ts';
import { adminVerbs } from './verbs-admin.ts';
import { documentVerbs } from './verbs-documents.ts';
import { addUploaded, jobVerbs, type UploadedFiles } from './verbs-jobs.ts';
import { newPool, retireWhenIdle } from './worker-pools.ts';
import { documentSummary, jobSummary } from './views.ts';

export type { NetworkOptions, OcrServiceOptions };



const PROGRESS_EVERY_MS = 250;

/** Every operation of the contract, implemented (the type refuses a missing one). */
const VERBS: Verbs<OperationName> = { ...jobVerbs, ...documentVerbs, ...adminVerbs };

export class OcrService implements OcrClient {
  readonly dataDir: string;
  readonly store: Store;
  readonly #options: OcrServiceOptions;
  readonly #unlock: () => void;
  readonly #events = new EventHub();
  readonly #errors: RecentError[] = [];
  readonly #progress = throttle(() => this.#events.emit({ type: 'progress', progress: this.#progressView() }), PROGRESS_EVERY_MS);
  #settings: ServiceSettings;
  #pack: ModelPack;
  #pool: WorkerPool;
  readonly #queue: JobQueue;
  readonly #hotFolders: HotFolders;
  readonly #network: NetworkGuard;
  readonly #ctx: ServiceContext;
  /** Workers started by pools since replaced (for the restart count). */
  #retiredStarts = 0;
  #closed = false;

  private constructor(options: OcrServiceOptions, unlock: () => void, store: Store, settings: ServiceSettings, pool: WorkerPool, pack: ModelPack) {
    this.#options = options;
    this.dataDir = options.dataDir;
    this.#unlock = unlock;
    this.store = store;
    this.#settings = settings;
    this.#pool = pool;
    this.#pack = pack;
    const pipeline = new DocumentPipeline({
      store,
      recogniser: { probe: (...a) => this.#probe(...a), recognisePage: (...a) => this.#pool.recognisePage(...a), renderPage: (...a) => this.#pool.renderPage(...a) },
      engine: () => ({
        models: this.#pack.manifest.id,
        version: APP_VERSION,
        modelFiles: packFiles(this.#pack.manifest).map((f) => f.sha256),
        tuning: engineTuning(this.#pool.options.env ?? process.env),
      }),
      onPage: (doc, page, pageCount, timings) => {
        this.#queue.pageDone(doc.job_id, doc.id, page);
        this.#events.emit({ type: 'page', jobId: doc.job_id, documentId: doc.id, page, pageCount, timings });
      },
    });
    this.#queue = new JobQueue(store, pipeline, { concurrency: pool.options.workers * 2, scope: options.jobs === 'own' ? 'adopted' : 'all', onEvent: (e) => this.#onQueueEvent(e) });
    this.#hotFolders = new HotFolders({
      store,
      queue: this.#queue,
      jobDefaults: () => this.#settings.values.jobDefaults,
      onActivity: (hotFolderId, activity) => {
        if (activity.kind === 'error') this.#recordError({ at: Date.now(), kind: 'hot-folder', message: activity.message ?? '', documentId: null, path: activity.path });
        this.#events.emit({ type: 'hot-folder-activity', hotFolderId, activity });
      },
      onChange: (hotFolder) => this.#events.emit({ type: 'hot-folder', hotFolder }),
    });
    store.auditActor = () => {
      const c = currentCaller();
      return { keyId: c.keyId, address: c.address };
    };
    this.#network = new NetworkGuard(store, options.network ?? {}, (jobId) => {
      const job = store.job(jobId);
      return job ? jobSummary(store, job) : { id: jobId, state: 'deleted' };
    });
    this.#ctx = this.#context();
  }

  /**
   * Opens the data folder: takes its lock (DataDirBusyError when another OCR Desk holds it), opens the store,
   * resolves the settings, starts the workers while the model pack is verified (a bad pack throws its own error),
   * recovers what a crash left, and starts the queue and the hot folders.
   */
  static async open(options: OcrServiceOptions): Promise<OcrService> {
    const dataDir = path.resolve(options.dataDir);
    const unlock = lockDataDir(dataDir);
    let store: Store | undefined;
    let pool: WorkerPool | undefined;
    try {
      store = Store.inDir(dataDir);
      const stored = store.setting(STORED_SETTINGS_KEY);
      const settings = resolveServiceSettings({
        stored: stored === undefined ? undefined : (JSON.parse(stored) as SettingsPatch),
        environment: settingsFromEnv(options.env ?? process.env),
        commandLine: options.commandLine,
      });
      pool = newPool(settings.values, dataDir, options);
      if (options.warmUp !== false) pool.warmUp();
      const pack = await loadModelPack(settings.values.modelDir, { verify: true });
      const service = new OcrService({ ...options, dataDir }, unlock, store, settings, pool, pack);
      await service.#queue.start();
      if (options.hotFolders !== false) await service.#hotFolders.startAll();
      service.#network.startRetention(
        (days) => service.purgeDocuments({ olderThanDays: days }),
        (error) => service.#recordError({ at: Date.now(), kind: 'retention', message: error.message, documentId: null, path: null }),
      );
      return service;
    } catch (error) {
      await pool?.close();
      store?.close();
      unlock();
      throw error;
    }
  }

  /** Stops the hot folders and the queue (work in flight goes back to the queue), the workers, and frees the data folder. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#progress.cancel();
    this.#network.close();
    await this.#hotFolders.close();
    await this.#queue.close();
    await this.#pool.close();
    // Closing the queue and the pool emits events, which may have scheduled a progress event: it would read the
    // closed store from a timer (an uncaught "statement has been finalized" that turned a SIGTERM's exit 143 into 1).
    this.#progress.stop();
    this.store.close();
    this.#unlock();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  subscribe(listener: (event: ServiceEvent) => void, options: SubscribeOptions = {}): () => void {
    return this.#events.subscribe(listener, options.signal);
  }

  /** The hot-folder runner behind a stored folder (the CLI's `watch --once` waits on it). */
  get hotFolders(): HotFolders {
    return this.#hotFolders;
  }

  /** Whether the service can work: its store answers and its model pack is loaded; the checks one by one. */
  readiness(): { ready: boolean; checks: Record<string, boolean> } {
    let store = false;
    try {
      this.store.sql('SELECT 1').get();
      store = !this.#closed;
    } catch {
      // closed or broken
    }
    const checks = { store, models: this.#pack !== undefined, workers: this.#pool.stats().workers.length > 0 || !this.#closed };
    return { ready: Object.values(checks).every(Boolean), checks };
  }

  /** Resolves when no document is in flight and none is runnable. */
  idle(): Promise<void> {
    return this.#queue.idle();
  }

  /** Job settings for a new job: the service's job defaults with `patch` on top, validated. */
  jobSettings(patch: In<'addJob'>['settings']): JobSettings {
    return this.#ctx.jobSettings(patch);
  }

  /** Adds a job for files already saved in an upload folder (the HTTP adapter streams them there). */
  addUploaded(upload: UploadedFiles): Out<'uploadFiles'> {
    return addUploaded(this.#ctx, upload);
  }

  /** The webhook secret of the local admin's jobs (keys have their own, shown when made). */
  webhookSecret(): string {
    return webhookSecret(this.store);
  }

  /** Figures for /metrics: the queue and the workers. */
  stats(): { remainingPages: number; inFlight: number; workers: number; busyWorkers: number; workerRestarts: number } {
    const p = this.#queue.progress();
    const pool = this.#pool.stats();
    return {
      remainingPages: p.remainingPages,
      inFlight: p.inFlight,
      workers: pool.workers.length,
      busyWorkers: pool.workers.filter((w) => w.state === 'busy').length,
      workerRestarts: this.#retiredStarts + Math.max(0, pool.started - this.#pool.options.workers),
    };
  }

  /** Refuses a network caller's new work while the queue is full (BusyError: 503 with Retry-After). */
  checkQueueRoom(): void {
    this.#ctx.checkQueueRoom();
  }

  // ---- the verbs of the contract (app/common/api/operations.ts), each validated, then run by its module ----

  addJob(i: In<'addJob'>) { return this.#verb('addJob', i); }
  uploadFiles(i: In<'uploadFiles'>) { return this.#verb('uploadFiles', i); }
  listJobs(i: In<'listJobs'> = {}) { return this.#verb('listJobs', i); }
  getJob(i: In<'getJob'>) { return this.#verb('getJob', i); }
  pauseJob(i: In<'pauseJob'>) { return this.#verb('pauseJob', i); }
  resumeJob(i: In<'resumeJob'>) { return this.#verb('resumeJob', i); }
  cancelJob(i: In<'cancelJob'>) { return this.#verb('cancelJob', i); }
  retryJob(i: In<'retryJob'>) { return this.#verb('retryJob', i); }
  setJobPriority(i: In<'setJobPriority'>) { return this.#verb('setJobPriority', i); }
  retryFailed(i: In<'retryFailed'> = {}) { return this.#verb('retryFailed', i); }
  pauseQueue(i: In<'pauseQueue'> = {}) { return this.#verb('pauseQueue', i); }
  resumeQueue(i: In<'resumeQueue'> = {}) { return this.#verb('resumeQueue', i); }
  getProgress(i: In<'getProgress'> = {}) { return this.#verb('getProgress', i); }
  listDocuments(i: In<'listDocuments'> = {}) { return this.#verb('listDocuments', i); }
  getDocument(i: In<'getDocument'>) { return this.#verb('getDocument', i); }
  getResult(i: In<'getResult'>) { return this.#verb('getResult', i); }
  getPage(i: In<'getPage'>) { return this.#verb('getPage', i); }
  getPageImage(i: In<'getPageImage'>) { return this.#verb('getPageImage', i); }
  exportDocument(i: In<'exportDocument'>) { return this.#verb('exportDocument', i); }
  exportDocuments(i: In<'exportDocuments'>) { return this.#verb('exportDocuments', i); }
  deleteDocument(i: In<'deleteDocument'>) { return this.#verb('deleteDocument', i); }
  search(i: In<'search'>) { return this.#verb('search', i); }
  getVersions(i: In<'getVersions'>) { return this.#verb('getVersions', i); }
  getPageVersion(i: In<'getPageVersion'>) { return this.#verb('getPageVersion', i); }
  editPage(i: In<'editPage'>) { return this.#verb('editPage', i); }
  revertPage(i: In<'revertPage'>) { return this.#verb('revertPage', i); }
  revertDocument(i: In<'revertDocument'>) { return this.#verb('revertDocument', i); }
  recogniseRegion(i: In<'recogniseRegion'>) { return this.#verb('recogniseRegion', i); }
  rewriteOutputs(i: In<'rewriteOutputs'>) { return this.#verb('rewriteOutputs', i); }
  reviewQueue(i: In<'reviewQueue'> = {}) { return this.#verb('reviewQueue', i); }
  listHotFolders(i: In<'listHotFolders'> = {}) { return this.#verb('listHotFolders', i); }
  addHotFolder(i: In<'addHotFolder'>) { return this.#verb('addHotFolder', i); }
  updateHotFolder(i: In<'updateHotFolder'>) { return this.#verb('updateHotFolder', i); }
  pauseHotFolder(i: In<'pauseHotFolder'>) { return this.#verb('pauseHotFolder', i); }
  resumeHotFolder(i: In<'resumeHotFolder'>) { return this.#verb('resumeHotFolder', i); }
  removeHotFolder(i: In<'removeHotFolder'>) { return this.#verb('removeHotFolder', i); }
  retryHotFolder(i: In<'retryHotFolder'>) { return this.#verb('retryHotFolder', i); }
  getSettings(i: In<'getSettings'> = {}) { return this.#verb('getSettings', i); }
  updateSettings(i: In<'updateSettings'> = {}) { return this.#verb('updateSettings', i); }
  getDiagnostics(i: In<'getDiagnostics'> = {}) { return this.#verb('getDiagnostics', i); }
  createApiKey(i: In<'createApiKey'>) { return this.#verb('createApiKey', i); }
  listApiKeys(i: In<'listApiKeys'> = {}) { return this.#verb('listApiKeys', i); }
  revokeApiKey(i: In<'revokeApiKey'>) { return this.#verb('revokeApiKey', i); }
  getAuditLog(i: In<'getAuditLog'> = {}) { return this.#verb('getAuditLog', i); }
  purgeDocuments(i: In<'purgeDocuments'> = {}) { return this.#verb('purgeDocuments', i); }
  deleteEverything(i: In<'deleteEverything'>) { return this.#verb('deleteEverything', i); }
  getNodeSettings(i: In<'getNodeSettings'> = {}) { return this.#verb('getNodeSettings', i); }
  updateNodeSettings(i: In<'updateNodeSettings'> = {}) { return this.#verb('updateNodeSettings', i); }

  // ---- internals ----

  #verb<N extends OperationName>(name: N, raw: unknown): Promise<Out<N>> {
    const verb = VERBS[name] as (ctx: ServiceContext, input: unknown) => Promise<Out<N>>;
    try {
      return verb(this.#ctx, parseSettings(OPERATIONS[name].input, raw ?? {}));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #context(): ServiceContext {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the context's functions reach this service's parts
    const service = this;
    return {
      dataDir: this.dataDir,
      store: this.store,
      options: this.#options,
      events: this.#events,
      queue: this.#queue,
      hotFolders: this.#hotFolders,
      network: this.#network,
      errors: this.#errors,
      pool: () => service.#pool,
      pack: () => service.#pack,
      settings: () => service.#settings,
      applySettings: (next, pack) => service.#applySettings(next, pack),
      cacheDir: () => cacheDir(service.#options.env ?? process.env, service.dataDir),
      jobSettings: (patch) => {
        const given = Object.fromEntries(Object.entries(patch ?? {}).filter(([, v]) => v !== undefined));
        return parseSettings(jobSettingsSchema, { ...service.#settings.values.jobDefaults, ...given }, 'settings.');
      },
      job: (jobId) => {
        const job = service.store.job(jobId);
        if (!job) throw new JobNotFoundError(jobId);
        return job;
      },
      emitJob: (jobId) => service.#emitJob(jobId),
      progress: () => service.#progress(),
      progressView: () => service.#progressView(),
      author: (given) => authorOf(given),
      checkQueueRoom: () => {
        const p = service.#queue.progress();
        service.#network.checkQueueRoom(p.remainingPages, p.pagesPerSecond);
      },
    };
  }

  #applySettings(next: ServiceSettings, pack: ModelPack): void {
    const before = this.#settings.values;
    const after = next.values;
    this.#settings = next;
    this.#pack = pack;
    const workersChange = (['workers', 'threads', 'pageTimeoutMs', 'gpu', 'modelDir'] as const).some((k) => after[k] !== before[k]);
    if (workersChange) {
      const old = this.#pool;
      this.#retiredStarts += Math.max(0, old.stats().started - old.options.workers);
      this.#pool = newPool(after, this.dataDir, this.#options);
      // A worker tries the GPU as it starts: start one now, so the settings screen soon says whether it works.
      if (after.gpu !== before.gpu && this.#options.warmUp !== false) this.#pool.warmUp(1);
      void retireWhenIdle(old);
    }
  }

  async #probe(...a: Parameters<WorkerPool['probe']>): ReturnType<WorkerPool['probe']> {
    const result = await this.#pool.probe(...a);
    this.#network.checkPages(a[0], result.pages);
    return result;
  }

  #emitJob(jobId: number): void {
    const job = this.store.job(jobId);
    if (job) this.#events.emit({ type: 'job', job: jobSummary(this.store, job) });
    this.#progress();
  }

  #onQueueEvent(e: QueueEvent): void {
    this.#hotFolders.onQueueEvent(e);
    if (e.type === 'job' && (e.state === 'done' || e.state === 'failed' || e.state === 'cancelled')) this.#network.jobEnded(e.jobId);
    if (e.type === 'job') this.#emitJob(e.jobId);
    else if (e.type === 'document') {
      const doc = this.store.document(e.documentId);
      if (doc) this.#events.emit({ type: 'document', document: documentSummary(this.store, doc) });
      if (e.state !== 'running') this.#emitJob(e.jobId);
    } else this.#progress();
  }

  #progressView(): Out<'getProgress'> {
    const p = this.#queue.progress();
    return { remainingPages: p.remainingPages, pagesPerSecond: p.pagesPerSecond, etaSeconds: p.etaSeconds ?? null, inFlight: p.inFlight, paused: p.paused };
  }

  #recordError(e: RecentError): void {
    this.#errors.unshift(e);
    this.#errors.length = Math.min(this.#errors.length, 50);
  }
}

export { discardUpload } from './jobs.ts';
