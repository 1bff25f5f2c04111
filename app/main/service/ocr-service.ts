/**
 * The OCR service: the one owner of a data folder. It holds the data-folder lock, the store, the worker pool, the
 * queue, the hot folders and the settings, and offers the typed commands and queries of app/common/api plus
 * `subscribe()` for events. The CLI, the HTTP server and Electron IPC are thin adapters over it.
 *
 * Every verb validates its input with the contract's schema, so a caller in the same process gets the same errors
 * as one over HTTP. `node:sqlite` is synchronous: in the desktop app this runs in a utility process.
 */
import { rm } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import type { OcrClient, SubscribeOptions } from '../../common/api/client.ts';
import type { ServiceEvent } from '../../common/api/events.ts';
import { OPERATIONS, type OperationInput, type OperationName, type OperationOutput, type Operations } from '../../common/api/operations.ts';
import type { SettingsView } from '../../common/api/resources.ts';
import { ForbiddenError, InvalidOptionError, JobNotFoundError, NotFoundError } from '../../common/errors.ts';
import { jobSettingsSchema, type JobSettings } from '../../common/job-settings.ts';
import { parseSettings } from '../../common/validate.ts';
import { loadModelPack, type ModelPack } from '../../node/model-pack.ts';
import { DocumentPipeline } from '../pipeline/document-pipeline.ts';
import { WorkerPool } from '../pool/worker-pool.ts';
import type { TransportFactory } from '../pool/transport.ts';
import { JobQueue, type QueueEvent } from '../queue/queue.ts';
import { cacheDir } from '../settings.ts';
import { lockDataDir } from '../store/lock.ts';
import { Store } from '../store/store.ts';
import { currentCaller } from './caller.ts';
import { APP_VERSION, diagnostics, type RecentError } from './diagnostics.ts';
import { deleteDocument, documentRow, exportMany, exportOne, pageImage, storedResult } from './documents.ts';
import { documentVersions, editPage, pageVersion, recogniseRegion, revertDocument, revertPage, reviewQueue, rewriteOutputs } from './editing.ts';
import { EventHub, throttle } from './events.ts';
import { HotFolders } from './hot-folders.ts';
import { addUploadJob, INTERACTIVE_PRIORITY, planJob, saveUploads } from './jobs.ts';
import { createKey, listKeys, revokeKey } from './keys.ts';
import { NetworkGuard, type NetworkOptions } from './network-guard.ts';
import { isLanAddress, nodeSettingsState, storeNodeSettings, STORED_NODE_SETTINGS_KEY, type NodeSettings, type NodeSettingsPatch } from './node-settings.ts';
import { auditLog, webhookSecret } from './network.ts';
import { purgeEverything, purgeOlderThan, type PurgeResult } from './retention.ts';
import { resolveServiceSettings, settingsFromEnv, storablePatch, STORED_SETTINGS_KEY, type SettingsPatch } from './service-settings.ts';
import { documentDetail, documentSummary, jobSummary, listDocuments, listJobs } from './views.ts';

export type { NetworkOptions };

export interface OcrServiceOptions {
  /** The data folder: store, caches, uploads. One service per data folder. */
  readonly dataDir: string;
  /** Settings given on the command line: they win over the environment and stored settings. */
  readonly commandLine?: SettingsPatch;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Work on every unfinished job in the store, or only on jobs added (or resumed) through this service. @default 'all' */
  readonly jobs?: 'all' | 'own';
  /** Watch the enabled hot folders stored in the data folder at start. @default true */
  readonly hotFolders?: boolean;
  /** Start the OCR workers at once rather than with the first page. @default true */
  readonly warmUp?: boolean;
  /** How OCR workers are started. @default child processes */
  readonly transport?: TransportFactory;
  /** Worker entry module (the packaged app's). @default app/worker/worker-main.ts */
  readonly workerEntry?: string;
  /** What network callers may do (see node-settings.ts); the local admin is never limited. */
  readonly network?: NetworkOptions;
  /** `ocr-desk serve`'s node settings: its flags (a layer of getNodeSettings) and the values it serves with now. */
  readonly node?: { readonly commandLine?: NodeSettingsPatch; readonly running?: NodeSettings };
}


const PROGRESS_EVERY_MS = 250;

export class OcrService implements OcrClient {
  readonly dataDir: string;
  readonly store: Store;
  readonly #options: OcrServiceOptions;
  readonly #unlock: () => void;
  readonly #events = new EventHub();
  readonly #errors: RecentError[] = [];
  readonly #progress = throttle(() => this.#events.emit({ type: 'progress', progress: this.#progressView() }), PROGRESS_EVERY_MS);
  #settings: Omit<SettingsView, 'dataDir'>;
  #pack: ModelPack;
  #pool: WorkerPool;
  readonly #queue: JobQueue;
  readonly #hotFolders: HotFolders;
  readonly #network: NetworkGuard;
  /** Workers started by pools since replaced (for the restart count). */
  #retiredStarts = 0;
  #closed = false;

  private constructor(options: OcrServiceOptions, unlock: () => void, store: Store, settings: Omit<SettingsView, 'dataDir'>, pool: WorkerPool, pack: ModelPack) {
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
      engine: () => ({ models: this.#pack.manifest.id, version: APP_VERSION }),
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

  // ---- jobs ----

  async addJob(raw: OperationInput<'addJob'>): Promise<OperationOutput<'addJob'>> {
    const input = await this.#network.checkJob(this.#input('addJob', raw));
    const settings = this.#jobSettings(input.settings);
    const webhook = this.#network.webhookFor(input.webhookUrl);
    this.checkQueueRoom();
    const plan = await planJob(input, settings);
    // Links inside an allowed folder may point out of it: every file found must be inside too.
    if (!currentCaller().localAdmin) await this.#network.checkPaths(plan.documents.map((d) => d.path));
    const info = { skipped: plan.skipped, failures: plan.failures };
    if (input.resume) {
      const existing = this.store.resumableJob(plan.resumeKey);
      if (existing) {
        if (existing.state === 'paused') this.#queue.resume(existing.id);
        this.#queue.adopt(existing.id);
        this.#emitJob(existing.id);
        return { jobId: existing.id, resumed: true, documents: this.store.documents(existing.id).length, ...info };
      }
    }
    const { jobId } = this.store.addJob('interactive', input.priority ?? INTERACTIVE_PRIORITY, JSON.stringify(settings), plan.documents, {
      label: plan.label,
      outputDir: plan.outputDir,
      resumeKey: plan.resumeKey,
      force: input.force ?? false,
    });
    this.#network.register(jobId, webhook);
    this.#queue.adopt(jobId);
    // Nothing to read (a folder of no images): the job is over as soon as it exists.
    if (plan.documents.length === 0) this.#queue.settle(jobId);
    this.#emitJob(jobId);
    return { jobId, resumed: false, documents: plan.documents.length, ...info };
  }

  async uploadFiles(raw: OperationInput<'uploadFiles'>): Promise<OperationOutput<'uploadFiles'>> {
    const input = this.#input('uploadFiles', raw);
    const settings = this.#jobSettings(input.settings);
    const earlier = input.idempotencyKey === undefined ? undefined : this.store.jobByIdempotencyKey(input.idempotencyKey);
    if (earlier) return { jobId: earlier.id, resumed: true, documents: this.store.documents(earlier.id).length, skipped: [], failures: [] };
    this.#network.webhookFor(input.webhookUrl);
    const saved = await saveUploads(this.dataDir, input.files);
    return this.addUploaded(saved.files, settings, input.priority, input.idempotencyKey, input.label, input.webhookUrl);
  }

  /** Adds a job for files already saved in an upload folder (the HTTP adapter streams them there). */
  addUploaded(files: readonly { path: string; name: string }[], settings: JobSettings, priority?: number, idempotencyKey?: string, label?: string, webhookUrl?: string): OperationOutput<'uploadFiles'> {
    const earlier = idempotencyKey === undefined ? undefined : this.store.jobByIdempotencyKey(idempotencyKey);
    if (earlier) return { jobId: earlier.id, resumed: true, documents: this.store.documents(earlier.id).length, skipped: [], failures: [] };
    const webhook = this.#network.webhookFor(webhookUrl);
    this.checkQueueRoom();
    const jobId = addUploadJob(this.store, files, settings, priority ?? INTERACTIVE_PRIORITY, idempotencyKey, label);
    this.#network.register(jobId, webhook);
    this.#queue.adopt(jobId);
    this.#emitJob(jobId);
    return { jobId, resumed: false, documents: files.length, skipped: [], failures: [] };
  }

  /** Job settings for a new job: the service's job defaults with `patch` on top, validated. */
  jobSettings(patch: OperationInput<'addJob'>['settings']): JobSettings {
    return this.#jobSettings(patch);
  }

  async listJobs(raw: OperationInput<'listJobs'> = {}): Promise<OperationOutput<'listJobs'>> {
    const input = this.#input('listJobs', raw);
    const { rows, total } = listJobs(this.store, input.state, input.limit ?? 100, input.offset ?? 0);
    return { jobs: rows.map((j) => jobSummary(this.store, j)), total };
  }

  async getJob(raw: OperationInput<'getJob'>): Promise<OperationOutput<'getJob'>> {
    const { jobId } = this.#input('getJob', raw);
    const job = this.#job(jobId);
    return { ...jobSummary(this.store, job), documentList: this.store.documents(jobId).map((d) => documentSummary(this.store, d)) };
  }

  async pauseJob(raw: OperationInput<'pauseJob'>): Promise<OperationOutput<'pauseJob'>> {
    const { jobId } = this.#input('pauseJob', raw);
    await this.#queue.pause(this.#job(jobId).id);
    return jobSummary(this.store, this.#job(jobId));
  }

  async resumeJob(raw: OperationInput<'resumeJob'>): Promise<OperationOutput<'resumeJob'>> {
    const { jobId } = this.#input('resumeJob', raw);
    this.#queue.resume(this.#job(jobId).id);
    return jobSummary(this.store, this.#job(jobId));
  }

  async cancelJob(raw: OperationInput<'cancelJob'>): Promise<OperationOutput<'cancelJob'>> {
    const { jobId } = this.#input('cancelJob', raw);
    await this.#queue.cancel(this.#job(jobId).id);
    return jobSummary(this.store, this.#job(jobId));
  }

  async retryJob(raw: OperationInput<'retryJob'>): Promise<OperationOutput<'retryJob'>> {
    const { jobId } = this.#input('retryJob', raw);
    this.#queue.retry(this.#job(jobId).id);
    this.#queue.adopt(jobId);
    return jobSummary(this.store, this.#job(jobId));
  }

  async setJobPriority(raw: OperationInput<'setJobPriority'>): Promise<OperationOutput<'setJobPriority'>> {
    const { jobId, priority } = this.#input('setJobPriority', raw);
    this.#job(jobId);
    this.store.setJobPriority(jobId, priority);
    this.store.audit('job-priority', jobId, null, String(priority));
    this.#emitJob(jobId);
    this.#queue.poke();
    return jobSummary(this.store, this.#job(jobId));
  }

  async retryFailed(): Promise<OperationOutput<'retryFailed'>> {
    const failed = this.store.sql("SELECT id FROM documents WHERE state = 'failed'").all() as unknown as { id: number }[];
    this.#queue.retryDocuments(failed.map((d) => d.id));
    return { documents: failed.length };
  }

  async pauseQueue(): Promise<OperationOutput<'pauseQueue'>> {
    await this.#queue.pause();
    this.#progress();
    return this.#progressView();
  }

  async resumeQueue(): Promise<OperationOutput<'resumeQueue'>> {
    this.#queue.resume();
    this.#progress();
    return this.#progressView();
  }

  async getProgress(): Promise<OperationOutput<'getProgress'>> {
    return this.#progressView();
  }

  // ---- documents ----

  async listDocuments(raw: OperationInput<'listDocuments'> = {}): Promise<OperationOutput<'listDocuments'>> {
    const input = this.#input('listDocuments', raw);
    const { rows, total } = listDocuments(this.store, input);
    return { documents: rows.map((d) => documentSummary(this.store, d)), total };
  }

  async getDocument(raw: OperationInput<'getDocument'>): Promise<OperationOutput<'getDocument'>> {
    const { documentId } = this.#input('getDocument', raw);
    return documentDetail(this.store, documentRow(this.store, documentId));
  }

  async getResult(raw: OperationInput<'getResult'>): Promise<OperationOutput<'getResult'>> {
    const { documentId } = this.#input('getResult', raw);
    return storedResult(this.store, documentId);
  }

  async getPage(raw: OperationInput<'getPage'>): Promise<OperationOutput<'getPage'>> {
    const { documentId, page } = this.#input('getPage', raw);
    const result = storedResult(this.store, documentId);
    const found = result.pages.find((p) => p.index === page);
    if (!found) throw new NotFoundError(`Document ${documentId} has ${result.pages.length} page(s); there is no page ${page + 1}.`);
    return found;
  }

  async getPageImage(raw: OperationInput<'getPageImage'>): Promise<OperationOutput<'getPageImage'>> {
    const { documentId, page, maxSide } = this.#input('getPageImage', raw);
    return pageImage(this.store, this.#pool, this.#cacheDir, documentId, page, maxSide ?? 2048);
  }

  async exportDocument(raw: OperationInput<'exportDocument'>): Promise<OperationOutput<'exportDocument'>> {
    const { documentId, format } = this.#input('exportDocument', raw);
    return exportOne(this.store, this.#pool, documentId, format);
  }

  async exportDocuments(raw: OperationInput<'exportDocuments'>): Promise<OperationOutput<'exportDocuments'>> {
    const input = this.#input('exportDocuments', raw);
    await this.#network.checkPaths([input.folder]);
    const result = await exportMany(this.store, this.#pool, input.documentIds, input.formats, path.resolve(input.folder));
    this.store.audit('documents-exported', null, null, `${input.documentIds.length} document(s) to ${input.folder}`);
    return { files: result.files, failures: result.failures as OperationOutput<'exportDocuments'>['failures'] };
  }

  async deleteDocument(raw: OperationInput<'deleteDocument'>): Promise<OperationOutput<'deleteDocument'>> {
    const { documentId } = this.#input('deleteDocument', raw);
    const jobId = documentRow(this.store, documentId).job_id;
    const deletedFiles = await deleteDocument(this.store, this.#cacheDir, documentId);
    this.#events.emit({ type: 'document-deleted', documentId });
    if (this.store.job(jobId)) this.#emitJob(jobId);
    else this.#events.emit({ type: 'job-removed', jobId });
    return { deletedFiles };
  }

  async search(raw: OperationInput<'search'>): Promise<OperationOutput<'search'>> {
    const { q, limit } = this.#input('search', raw);
    return { hits: this.store.search(q, limit ?? 20).map((h) => ({ documentId: h.documentId, path: h.path, name: path.basename(h.path), snippet: h.snippet })) };
  }

  // ---- the result editor ----

  async getVersions(raw: OperationInput<'getVersions'>): Promise<OperationOutput<'getVersions'>> {
    const { documentId } = this.#input('getVersions', raw);
    return documentVersions(this.store, documentId);
  }

  async getPageVersion(raw: OperationInput<'getPageVersion'>): Promise<OperationOutput<'getPageVersion'>> {
    const { documentId, page, version } = this.#input('getPageVersion', raw);
    return pageVersion(this.store, documentId, page, version);
  }

  async editPage(raw: OperationInput<'editPage'>): Promise<OperationOutput<'editPage'>> {
    const input = this.#input('editPage', raw);
    const author = this.#author(input.author);
    const saved = editPage(this.store, input, author);
    this.#events.emit({ type: 'page-edited', documentId: input.documentId, page: input.page, version: saved.version, author });
    return { version: saved.version, page: saved.page };
  }

  async revertPage(raw: OperationInput<'revertPage'>): Promise<OperationOutput<'revertPage'>> {
    const input = this.#input('revertPage', raw);
    const author = this.#author(input.author);
    const saved = revertPage(this.store, input.documentId, input.page, input.toVersion ?? 0, author);
    if (saved.changed) this.#events.emit({ type: 'page-edited', documentId: input.documentId, page: input.page, version: saved.version, author });
    return { version: saved.version, page: saved.page };
  }

  async revertDocument(raw: OperationInput<'revertDocument'>): Promise<OperationOutput<'revertDocument'>> {
    const input = this.#input('revertDocument', raw);
    const author = this.#author(input.author);
    const { pages } = revertDocument(this.store, input.documentId, author);
    for (const p of pages) this.#events.emit({ type: 'page-edited', documentId: input.documentId, page: p.page, version: p.version, author });
    return { pages };
  }

  async recogniseRegion(raw: OperationInput<'recogniseRegion'>): Promise<OperationOutput<'recogniseRegion'>> {
    const input = this.#input('recogniseRegion', raw);
    return recogniseRegion(this.store, this.#pool, input);
  }

  async rewriteOutputs(raw: OperationInput<'rewriteOutputs'>): Promise<OperationOutput<'rewriteOutputs'>> {
    const input = this.#input('rewriteOutputs', raw);
    return rewriteOutputs(this.store, this.#pool, input.documentId, input.force ?? false, this.#author(undefined));
  }

  async reviewQueue(raw: OperationInput<'reviewQueue'> = {}): Promise<OperationOutput<'reviewQueue'>> {
    const input = this.#input('reviewQueue', raw);
    return reviewQueue(this.store, input);
  }

  // ---- hot folders ----

  async listHotFolders(): Promise<OperationOutput<'listHotFolders'>> {
    return { hotFolders: this.#hotFolders.list() };
  }

  async addHotFolder(raw: OperationInput<'addHotFolder'>): Promise<OperationOutput<'addHotFolder'>> {
    const { settings } = this.#input('addHotFolder', raw);
    await this.#network.checkPaths([settings.folder, settings.out]);
    return this.#hotFolders.info(await this.#hotFolders.add(settings));
  }

  async updateHotFolder(raw: OperationInput<'updateHotFolder'>): Promise<OperationOutput<'updateHotFolder'>> {
    const { hotFolderId, settings } = this.#input('updateHotFolder', raw);
    await this.#network.checkPaths([settings.folder, settings.out]);
    return this.#hotFolders.info(await this.#hotFolders.update(hotFolderId, settings));
  }

  async pauseHotFolder(raw: OperationInput<'pauseHotFolder'>): Promise<OperationOutput<'pauseHotFolder'>> {
    const { hotFolderId } = this.#input('pauseHotFolder', raw);
    await this.#hotFolders.setEnabled(hotFolderId, false);
    return this.#hotFolders.info(hotFolderId);
  }

  async resumeHotFolder(raw: OperationInput<'resumeHotFolder'>): Promise<OperationOutput<'resumeHotFolder'>> {
    const { hotFolderId } = this.#input('resumeHotFolder', raw);
    await this.#hotFolders.setEnabled(hotFolderId, true);
    return this.#hotFolders.info(hotFolderId);
  }

  async removeHotFolder(raw: OperationInput<'removeHotFolder'>): Promise<OperationOutput<'removeHotFolder'>> {
    const { hotFolderId } = this.#input('removeHotFolder', raw);
    await this.#hotFolders.remove(hotFolderId);
    this.#events.emit({ type: 'hot-folder-removed', hotFolderId });
    return { ok: true };
  }

  async retryHotFolder(raw: OperationInput<'retryHotFolder'>): Promise<OperationOutput<'retryHotFolder'>> {
    const { hotFolderId } = this.#input('retryHotFolder', raw);
    return { files: await this.#hotFolders.retryFailed(hotFolderId) };
  }

  // ---- settings and diagnostics ----

  async getSettings(): Promise<OperationOutput<'getSettings'>> {
    return { ...this.#settings, dataDir: this.dataDir };
  }

  /** Changes settings; a new worker count, thread count, timeout or model pack starts new workers (old ones finish their pages). */
  async updateSettings(raw: OperationInput<'updateSettings'> = {}): Promise<OperationOutput<'updateSettings'>> {
    const patch = storablePatch(this.#input('updateSettings', raw), this.#settings);
    await this.#network.checkPaths([patch.modelDir]);
    const storedText = this.store.setting(STORED_SETTINGS_KEY);
    const stored = (storedText === undefined ? {} : JSON.parse(storedText)) as SettingsPatch;
    const merged: SettingsPatch = { ...stored, ...patch, jobDefaults: { ...stored.jobDefaults, ...patch.jobDefaults } };
    const next = resolveServiceSettings({ stored: merged, environment: settingsFromEnv(this.#options.env ?? process.env), commandLine: this.#options.commandLine });
    const before = this.#settings.values;
    const after = next.values;
    if (after.modelDir !== before.modelDir) this.#pack = await loadModelPack(after.modelDir, { verify: true });
    this.store.setSetting(STORED_SETTINGS_KEY, JSON.stringify(merged));
    this.store.audit('settings-changed', null, null, JSON.stringify(patch));
    this.#settings = next;
    if (after.workers !== before.workers || after.threads !== before.threads || after.pageTimeoutMs !== before.pageTimeoutMs || after.modelDir !== before.modelDir) {
      const old = this.#pool;
      this.#retiredStarts += Math.max(0, old.stats().started - old.options.workers);
      this.#pool = newPool(after, this.dataDir, this.#options);
      void retireWhenIdle(old);
    }
    const view = { ...next, dataDir: this.dataDir };
    this.#events.emit({ type: 'settings', settings: view });
    return view;
  }

  async getDiagnostics(): Promise<OperationOutput<'getDiagnostics'>> {
    return diagnostics({
      store: this.store,
      dataDir: this.dataDir,
      pack: this.#pack,
      pool: this.#pool.stats(),
      gpu: { enabled: this.#settings.values.gpu, available: false, adapter: null, reason: 'OCR runs on the CPU: this build has no GPU support.' },
      errors: this.#errors,
      logFile: null,
    });
  }

  // ---- access, audit and retention ----

  async createApiKey(raw: OperationInput<'createApiKey'>): Promise<OperationOutput<'createApiKey'>> {
    const input = this.#input('createApiKey', raw);
    if (input.webhookUrl !== undefined) this.#network.checkWebhook(input.webhookUrl);
    return createKey(this.store, input);
  }

  async listApiKeys(): Promise<OperationOutput<'listApiKeys'>> {
    return { keys: listKeys(this.store) };
  }

  async revokeApiKey(raw: OperationInput<'revokeApiKey'>): Promise<OperationOutput<'revokeApiKey'>> {
    return revokeKey(this.store, this.#input('revokeApiKey', raw).keyId);
  }

  async getAuditLog(raw: OperationInput<'getAuditLog'> = {}): Promise<OperationOutput<'getAuditLog'>> {
    return { entries: auditLog(this.store, this.#input('getAuditLog', raw)) };
  }

  async purgeDocuments(raw: OperationInput<'purgeDocuments'> = {}): Promise<OperationOutput<'purgeDocuments'>> {
    const { olderThanDays } = this.#input('purgeDocuments', raw);
    const days = olderThanDays ?? this.#network.options.retentionDays;
    if (days === undefined || (olderThanDays === undefined && days <= 0)) {
      throw new InvalidOptionError('No retention is set: say how old a document must be (olderThanDays, ocr-desk purge --older-than-days N), or set --retention-days.');
    }
    return this.#purged(await purgeOlderThan(this.store, this.#cacheDir, days));
  }

  async deleteEverything(raw: OperationInput<'deleteEverything'>): Promise<OperationOutput<'deleteEverything'>> {
    this.#input('deleteEverything', raw);
    await this.#queue.cancel();
    await this.#queue.idle();
    return this.#purged(await purgeEverything(this.store, this.#cacheDir));
  }

  async getNodeSettings(): Promise<OperationOutput<'getNodeSettings'>> {
    return this.#nodeView();
  }

  /** Stores how `ocr-desk serve` serves the network; only the local admin may (a key could widen its own reach). */
  async updateNodeSettings(raw: OperationInput<'updateNodeSettings'> = {}): Promise<OperationOutput<'updateNodeSettings'>> {
    const patch = this.#input('updateNodeSettings', raw);
    if (!currentCaller().localAdmin) throw new ForbiddenError("Only this machine's admin (the app, or the token OCR Desk printed) may change how it serves the network.");
    const next = storeNodeSettings(this.#nodeLayers(), patch);
    this.store.setSetting(STORED_NODE_SETTINGS_KEY, next);
    this.store.audit('node-settings-changed', null, null, JSON.stringify(patch));
    return this.#nodeView();
  }

  #nodeLayers() {
    return { commandLine: this.#options.node?.commandLine ?? {}, env: this.#options.env ?? process.env, stored: this.store.setting(STORED_NODE_SETTINGS_KEY) };
  }

  #nodeView(): OperationOutput<'getNodeSettings'> {
    const state = nodeSettingsState(this.#nodeLayers());
    const running = this.#options.node?.running;
    const lan = isLanAddress(state.values.listen, this.#options.env ?? process.env);
    const restartNeeded = running !== undefined && (['listen', 'port', 'allowedRoots', 'retentionDays'] as const).some((k) => JSON.stringify(running[k]) !== JSON.stringify(state.values[k]));
    return { values: { ...state.values, allowedRoots: [...state.values.allowedRoots] }, sources: state.sources, lan, restartNeeded };
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

  #purged(result: PurgeResult): OperationOutput<'purgeDocuments'> {
    for (const documentId of result.ids) this.#events.emit({ type: 'document-deleted', documentId });
    this.#progress();
    return { documents: result.documents, deletedFiles: result.deletedFiles };
  }

  /** Refuses a network caller's new work while the queue is full (BusyError: 503 with Retry-After). */
  checkQueueRoom(): void {
    const p = this.#queue.progress();
    this.#network.checkQueueRoom(p.remainingPages, p.pagesPerSecond);
  }

  async #probe(...a: Parameters<WorkerPool['probe']>): ReturnType<WorkerPool['probe']> {
    const result = await this.#pool.probe(...a);
    this.#network.checkPages(a[0], result.pages);
    return result;
  }

  // ---- internals ----

  get #cacheDir(): string {
    return cacheDir(this.#options.env ?? process.env, this.dataDir);
  }

  #input<N extends OperationName>(name: N, raw: unknown): z.output<Operations[N]['input']> {
    return parseSettings(OPERATIONS[name].input, raw ?? {}) as z.output<Operations[N]['input']>;
  }

  /**
   * Who made a change. Over the network the API key is who (a key cannot pass as someone else: the name it gives is
   * kept beside its id); locally, the name given, else the OS user the service runs as.
   */
  #author(given: string | undefined): string {
    const caller = currentCaller();
    if (caller.keyId !== null) return `${given ? `${given}, ` : ''}key ${caller.keyId}`;
    if (given) return given;
    try {
      return userInfo().username || 'local user';
    } catch {
      return 'local user';
    }
  }

  #jobSettings(patch: OperationInput<'addJob'>['settings']): JobSettings {
    const defaults = this.#settings.values.jobDefaults;
    const given = Object.fromEntries(Object.entries(patch ?? {}).filter(([, v]) => v !== undefined));
    return parseSettings(jobSettingsSchema, { ...defaults, ...given }, 'settings.');
  }

  #job(jobId: number) {
    const job = this.store.job(jobId);
    if (!job) throw new JobNotFoundError(jobId);
    return job;
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

  #progressView(): OperationOutput<'getProgress'> {
    const p = this.#queue.progress();
    return { remainingPages: p.remainingPages, pagesPerSecond: p.pagesPerSecond, etaSeconds: p.etaSeconds ?? null, inFlight: p.inFlight, paused: p.paused };
  }

  #recordError(e: RecentError): void {
    this.#errors.unshift(e);
    this.#errors.length = Math.min(this.#errors.length, 50);
  }
}

function newPool(s: SettingsView['values'], dataDir: string, o: OcrServiceOptions): WorkerPool {
  return new WorkerPool({
    modelDir: s.modelDir,
    workers: s.workers ?? undefined,
    threads: s.threads ?? undefined,
    pageTimeoutMs: s.pageTimeoutMs,
    trustModels: true,
    cacheDir: path.join(cacheDir(o.env ?? process.env, dataDir), 'models'),
    env: o.env ?? process.env,
    ...(o.transport ? { transport: o.transport } : {}),
    ...(o.workerEntry ? { entry: o.workerEntry } : {}),
  });
}

/** Closes a replaced pool once its pages are done. */
async function retireWhenIdle(pool: WorkerPool): Promise<void> {
  for (;;) {
    const s = pool.stats();
    if (s.queued === 0 && s.workers.every((w) => w.state !== 'busy')) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  await pool.close();
}

/** Removes an upload folder that never became a job. */
export async function discardUpload(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
