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
  /**
   * The folders started, by id; `up` once their start is over. A folder hears the queue's events from the moment it
   * starts: a start scans the whole folder, and a document of its can end meanwhile (a queue resumed after a crash
   * finishes its documents as the service starts); an event missed then left the original unsettled (not moved to
   * done/, its `done` never shown) until the next start.
   */
  readonly #folders = new Map<number, { readonly hot: HotFolder; up: boolean }>();
  /** Per folder, the last of its starts and stops: each waits for the one before (see {@link HotFolders.#turn}). */
  readonly #turns = new Map<number, Promise<void>>();
  readonly #problems = new Map<number, string>();
  #retry: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: HotFoldersOptions) {
    this.#o = options;
  }

  /** Starts every enabled stored folder, and keeps trying those that cannot be watched (a share offline). */
  async startAll(): Promise<void> {
    for (const row of this.#rows()) if (row.enabled === 1) await this.#start(row.id);
    if (this.#closed) return;
    this.#retry = setInterval(() => void this.#retryProblems(), PROBLEM_RETRY_MS);
    this.#retry.unref();
  }

  async #retryProblems(): Promise<void> {
    for (const id of [...this.#problems.keys()]) {
      const row = this.#rows().find((r) => r.id === id);
      if (row?.enabled === 1 && !this.#folders.has(id)) {
        await this.#start(id);
        if (this.running(id)) this.#changed(id);
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
    await this.#start(id);
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
    if (row.enabled === 1) await this.#start(id);
    this.#changed(id);
    return id;
  }

  async setEnabled(id: number, enabled: boolean): Promise<void> {
    const row = this.#row(id);
    this.#o.store.sql('UPDATE watch_folders SET enabled = ? WHERE id = ?').run(enabled ? 1 : 0, id);
    this.#o.store.audit(enabled ? 'hot-folder-resumed' : 'hot-folder-paused', null, null, row.path);
    if (enabled) await this.#start(id);
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
    const hot = this.running(id);
    if (!hot) return 0;
    return hot.retryFailed();
  }

  /** Feed the queue's events here: a finished or failed document settles its original. */
  onQueueEvent(event: QueueEvent): void {
    for (const { hot } of this.#folders.values()) hot.onQueueEvent(event);
  }

  /** The hot folder running for a stored folder, if it runs (tests and `watch --once` look at it). */
  running(id: number): HotFolder | undefined {
    const folder = this.#folders.get(id);
    return folder?.up ? folder.hot : undefined;
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#retry) clearInterval(this.#retry);
    await Promise.all([...this.#folders.keys()].map((id) => this.#stop(id)));
    await Promise.allSettled(this.#turns.values());
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
      state: row.enabled !== 1 ? 'paused' : problem ? 'error' : this.running(id) ? 'watching' : 'stopped',
      problem,
      counts: { ...counts, arriving: this.running(id)?.pending ?? 0 },
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

  /** Starts a folder, when its turn comes, if it is then still there and enabled (see {@link HotFolders.#turn}). */
  #start(id: number): Promise<void> {
    return this.#turn(id, async () => {
      const row = this.#rows().find((r) => r.id === id);
      if (row?.enabled !== 1 || this.#folders.has(id) || this.#closed) return;
      const hot = new HotFolder({
        store: this.#o.store,
        queue: this.#o.queue,
        settings: this.settingsOf(row),
        onEvent: (e) => this.#onEvent(row.id, e),
      });
      const folder = { hot, up: false };
      this.#folders.set(row.id, folder);
      try {
        await hot.start();
        // Stopped while it started: it is closed already.
        if (this.#folders.get(row.id) !== folder) return;
        folder.up = true;
        this.#problems.delete(row.id);
      } catch (error) {
        if (this.#folders.get(row.id) === folder) this.#folders.delete(row.id);
        await hot.close();
        this.#problems.set(row.id, serializeError(error).message);
        this.#o.onActivity(row.id, { at: iso(Date.now()), kind: 'error', path: row.path, message: serializeError(error).message, documentId: null });
      }
    });
  }

  /**
   * Stops a folder: the one there now at once (a folder still starting too: its start ends at its next step), and
   * any that a start asked for earlier brings up before this stop's turn.
   */
  #stop(id: number): Promise<void> {
    const closing = this.#close(id);
    return this.#turn(id, async () => {
      await Promise.all([closing, this.#close(id)]);
    });
  }

  #close(id: number): Promise<void> {
    const folder = this.#folders.get(id);
    this.#folders.delete(id);
    return folder ? folder.hot.close() : Promise.resolve();
  }

  /**
   * Runs `step` once the folder's earlier starts and stops are over, so that a pause and a resume in a row (two
   * clicks, the second while the folder still starts) end as the last one asked.
   */
  #turn(id: number, step: () => Promise<void>): Promise<void> {
    const done = (this.#turns.get(id) ?? Promise.resolve()).catch(() => undefined).then(step);
    this.#turns.set(id, done);
    const forget = () => {
      if (this.#turns.get(id) === done) this.#turns.delete(id);
    };
    done.then(forget, forget);
    return done;
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
