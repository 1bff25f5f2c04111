/**
 * The service's hot folders: the watched folders stored in the store, each run by a {@link HotFolder} while it is
 * enabled. Adding a folder that is already watched gives it the new settings; pausing stops taking new files
 * (files already taken finish); removing stops watching and forgets which files were taken (results stay).
 */
import { HotFolderNotFoundError, serializeError } from '../../common/errors.ts';
import type { HotFolderActivity, HotFolderInfo } from '../../common/api/resources.ts';
import { hotFolderPatchSchema, type HotFolderPatch, type HotFolderSettings } from '../../common/hot-folder-settings.ts';
import type { JobSettingsPatch } from '../../common/job-settings.ts';
import { parseSettings } from '../../common/validate.ts';
import { checkWatchedFolder, HotFolder, type HotFolderEvent } from '../hotfolder/hot-folder.ts';
import { resolveWatchSettings } from '../hotfolder/watch-settings.ts';
import type { JobQueue, QueueEvent } from '../queue/queue.ts';
import type { Store } from '../store/store.ts';

interface WatchRow {
  readonly id: number;
  readonly path: string;
  readonly settings: string;
  readonly enabled: number;
}

export interface HotFoldersOptions {
  readonly store: Store;
  readonly queue: JobQueue;
  /** Job settings a new hot folder starts from (the service's job defaults). */
  readonly jobDefaults: () => JobSettingsPatch;
  readonly onActivity: (hotFolderId: number, activity: HotFolderActivity) => void;
  readonly onChange: (info: HotFolderInfo) => void;
}

const RECENT = 20;
/** How often a folder that could not be watched is tried again. */
const PROBLEM_RETRY_MS = 15_000;
const iso = (ms: number): string => new Date(ms).toISOString();

export class HotFolders {
  readonly #o: HotFoldersOptions;
  readonly #running = new Map<number, HotFolder>();
  /**
   * Folders whose start is under way. They hear the queue's events too: a start scans the whole folder, and a
   * document of theirs can end meanwhile (a queue resumed after a crash finishes its documents as the service
   * starts); an event missed then left the original unsettled (not moved to done/, its `done` never shown) until
   * the next start.
   */
  readonly #starting = new Map<number, { readonly hot: HotFolder; readonly started: Promise<void> }>();
  readonly #problems = new Map<number, string>();
  #retry: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: HotFoldersOptions) {
    this.#o = options;
  }

  /** Starts every enabled stored folder, and keeps trying those that cannot be watched (a share offline). */
  async startAll(): Promise<void> {
    for (const row of this.#rows()) if (row.enabled === 1) await this.#start(row);
    if (this.#closed) return;
    this.#retry = setInterval(() => void this.#retryProblems(), PROBLEM_RETRY_MS);
    this.#retry.unref();
  }

  async #retryProblems(): Promise<void> {
    for (const id of [...this.#problems.keys()]) {
      const row = this.#rows().find((r) => r.id === id);
      if (row?.enabled === 1 && !this.#running.has(id)) {
        await this.#start(row);
        if (this.#running.has(id)) this.#changed(id);
      }
    }
  }

  /** Watches a folder, or gives an already watched one the new settings; returns its id. */
  async add(input: HotFolderPatch & { folder: string; out: string }): Promise<number> {
    const patch = parseSettings(hotFolderPatchSchema, input, 'settings.');
    const settings = resolveWatchSettings({ ...this.#o.jobDefaults(), ...stripUndefined(patch), folder: input.folder, out: input.out });
    await checkWatchedFolder(settings.folder);
    const existing = this.#rows().find((r) => r.path === settings.folder);
    if (existing) return this.update(existing.id, patch);
    const id = this.#o.store.watchFolder(settings.folder, JSON.stringify(settings));
    this.#o.store.audit('hot-folder-added', null, null, settings.folder);
    await this.#start(this.#row(id));
    this.#changed(id);
    return id;
  }

  async update(id: number, patch: HotFolderPatch): Promise<number> {
    const row = this.#row(id);
    const parsed = parseSettings(hotFolderPatchSchema, patch, 'settings.');
    const settings = resolveWatchSettings({ ...this.settingsOf(row), ...stripUndefined(parsed) });
    if (settings.folder !== row.path) await checkWatchedFolder(settings.folder);
    this.#o.store.sql('UPDATE watch_folders SET path = ?, settings = ? WHERE id = ?').run(settings.folder, JSON.stringify(settings), id);
    this.#o.store.audit('hot-folder-changed', null, null, settings.folder);
    await this.#stop(id);
    if (row.enabled === 1) await this.#start(this.#row(id));
    this.#changed(id);
    return id;
  }

  async setEnabled(id: number, enabled: boolean): Promise<void> {
    const row = this.#row(id);
    this.#o.store.sql('UPDATE watch_folders SET enabled = ? WHERE id = ?').run(enabled ? 1 : 0, id);
    this.#o.store.audit(enabled ? 'hot-folder-resumed' : 'hot-folder-paused', null, null, row.path);
    if (enabled) await this.#start(this.#row(id));
    else await this.#stop(id);
    this.#changed(id);
  }

  async remove(id: number): Promise<void> {
    const row = this.#row(id);
    await this.#stop(id);
    this.#o.store.transaction(() => {
      this.#o.store.sql('DELETE FROM journal WHERE watch_id = ?').run(id);
      this.#o.store.sql('DELETE FROM watch_folders WHERE id = ?').run(id);
      this.#o.store.audit('hot-folder-removed', null, null, row.path);
    });
  }

  /** Takes the folder's failed files again: they go back from failed/ and are taken as new. Returns how many. */
  async retryFailed(id: number): Promise<number> {
    this.#row(id);
    const hot = this.#running.get(id);
    if (!hot) return 0;
    return hot.retryFailed();
  }

  /** Feed the queue's events here: a finished or failed document settles its original. */
  onQueueEvent(event: QueueEvent): void {
    for (const hot of this.#running.values()) hot.onQueueEvent(event);
    for (const { hot } of this.#starting.values()) hot.onQueueEvent(event);
  }

  /** The hot folder running for a stored folder, if it runs (tests and `watch --once` look at it). */
  running(id: number): HotFolder | undefined {
    return this.#running.get(id);
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#retry) clearInterval(this.#retry);
    await Promise.all([...new Set([...this.#running.keys(), ...this.#starting.keys()])].map((id) => this.#stop(id)));
  }

  list(): HotFolderInfo[] {
    return this.#rows().map((r) => this.info(r.id));
  }

  info(id: number): HotFolderInfo {
    const row = this.#row(id);
    const { password, ...settings } = this.settingsOf(row);
    const store = this.#o.store;
    const counts = store.sql(
      `SELECT count(*) AS taken, coalesce(sum(outcome = 'done'), 0) AS done, coalesce(sum(outcome = 'failed'), 0) AS failed,
              coalesce(sum(outcome IS NULL), 0) AS waiting FROM journal WHERE watch_id = ?`,
    ).get(id) as Omit<HotFolderInfo['counts'], 'arriving'>;
    const recent = store.sql(
      `SELECT j.path, j.outcome, j.document_id, coalesce(j.updated_at, j.created_at) AS at, d.error_message
       FROM journal j LEFT JOIN documents d ON d.id = j.document_id WHERE j.watch_id = ? ORDER BY coalesce(j.updated_at, j.created_at) DESC, j.id DESC LIMIT ?`,
    ).all(id, RECENT) as unknown as { path: string; outcome: string | null; document_id: number | null; at: number; error_message: string | null }[];
    const problem = this.#problems.get(id) ?? null;
    return {
      id,
      settings: { ...settings, passwordSet: password !== undefined },
      state: row.enabled !== 1 ? 'paused' : problem ? 'error' : this.#running.has(id) ? 'watching' : 'stopped',
      problem,
      counts: { ...counts, arriving: this.#running.get(id)?.pending ?? 0 },
      recent: recent.map((r) => ({
        at: iso(r.at),
        kind: r.outcome === 'done' ? 'done' : r.outcome === 'failed' ? 'failed' : 'taken',
        path: r.path,
        message: r.outcome === 'failed' ? r.error_message : null,
        documentId: r.document_id,
      })),
    };
  }

  settingsOf(row: WatchRow): HotFolderSettings {
    return resolveWatchSettings(JSON.parse(row.settings) as HotFolderSettings);
  }

  // ---- internals ----

  #rows(): WatchRow[] {
    return this.#o.store.sql('SELECT id, path, settings, enabled FROM watch_folders ORDER BY id').all() as unknown as WatchRow[];
  }

  #row(id: number): WatchRow {
    const row = this.#o.store.sql('SELECT id, path, settings, enabled FROM watch_folders WHERE id = ?').get(id) as WatchRow | undefined;
    if (!row) throw new HotFolderNotFoundError(id);
    return row;
  }

  async #start(row: WatchRow): Promise<void> {
    const pending = this.#starting.get(row.id);
    if (pending) return pending.started;
    if (this.#running.has(row.id) || this.#closed) return;
    const hot = new HotFolder({
      store: this.#o.store,
      queue: this.#o.queue,
      settings: this.settingsOf(row),
      onEvent: (e) => this.#onEvent(row.id, e),
    });
    const started = this.#run(row, hot).finally(() => this.#starting.delete(row.id));
    this.#starting.set(row.id, { hot, started });
    return started;
  }

  async #run(row: WatchRow, hot: HotFolder): Promise<void> {
    try {
      await hot.start();
      this.#problems.delete(row.id);
      this.#running.set(row.id, hot);
    } catch (error) {
      await hot.close();
      this.#problems.set(row.id, serializeError(error).message);
      this.#o.onActivity(row.id, { at: iso(Date.now()), kind: 'error', path: row.path, message: serializeError(error).message, documentId: null });
    }
  }

  /** Stops a folder, once its start (if one is under way) is over: a folder paused or closed as it starts stays stopped. */
  async #stop(id: number): Promise<void> {
    const pending = this.#starting.get(id);
    if (pending) await pending.started;
    // Taken out of #running at once (no await before): a start asked for right after this stop starts anew.
    const hot = this.#running.get(id);
    this.#running.delete(id);
    await hot?.close();
  }

  #onEvent(id: number, e: HotFolderEvent): void {
    const at = iso(Date.now());
    const activity: HotFolderActivity =
      e.type === 'taken'
        ? { at, kind: 'taken', path: e.path, message: null, documentId: e.documentId }
        : e.type === 'done'
          ? { at, kind: 'done', path: e.path, message: null, documentId: e.documentId }
          : e.type === 'failed'
            ? { at, kind: 'failed', path: e.path, message: e.reason, documentId: e.documentId }
            : e.type === 'waiting'
              ? { at, kind: 'waiting', path: e.path, message: e.reason, documentId: null }
              : { at, kind: 'error', path: null, message: e.message, documentId: null };
    this.#o.onActivity(id, activity);
    this.#changed(id);
  }

  #changed(id: number): void {
    try {
      this.#o.onChange(this.info(id));
    } catch {
      // Removed meanwhile.
    }
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
