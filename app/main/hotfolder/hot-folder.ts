/**
 * A hot folder: files dropped into a watched folder are OCRed once each, with the folder's own settings.
 *
 * - Finding files: a full scan at start (files that arrived while OCR Desk was closed), change notifications
 *   (`fs.watch` on each folder, not per file) or, for network shares, polling every `pollMs`; plus a periodic full
 *   rescan as a safety net. A folder moved in as a whole is walked when it appears.
 * - Taking a file only when complete: size and mtime unchanged for `stableMs`, and the file opens for reading.
 *   Temporary and partial names (`~$*`, `*.part`, `*.crdownload`, `*.tmp`, dotfiles) are never looked at.
 * - Exactly once: a journal row keyed by path, size, mtime and content hash is written in the same transaction as
 *   the file's queue job. A file whose journal row exists is never taken again; the queue's own guarantees cover
 *   the rest. After success the original is kept, moved to `done/` or deleted; after failure it moves to `failed/`
 *   with a `<name>.error.txt` report. Those moves are recorded (journal `settled`) and redone after a crash.
 */
import { watch, type FSWatcher, type Stats } from 'node:fs';
import { open, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { serializeError } from '../../common/errors.ts';
import { writeFileAtomic } from '../../node/atomic-write.ts';
import { sha256File } from '../../node/model-pack.ts';
import { isInputName } from '../pipeline/discover.ts';
import { checkOutputFolder } from '../pipeline/outputs.ts';
import type { JobQueue, QueueEvent } from '../queue/queue.ts';
import type { JournalRow, Store } from '../store/store.ts';
import { isIgnoredName, pathFilter, type PathFilter } from './patterns.ts';
import { StabilityTracker } from './stability.ts';
import { checkWatchedFolder, DONE_DIR, FAILED_DIR, moveAway, moveBackFailed, sameFile } from './originals.ts';
import { hotFolderJobSettings, type WatchSettings } from './watch-settings.ts';

export { checkWatchedFolder, DONE_DIR, FAILED_DIR };

export type HotFolderEvent =
  | { readonly type: 'taken'; readonly path: string; readonly documentId: number }
  | { readonly type: 'done'; readonly path: string; readonly documentId: number | null }
  | { readonly type: 'failed'; readonly path: string; readonly reason: string; readonly documentId: number | null }
  /** The file is fine but its results could not be written: it stays where it is and is retried. */
  | { readonly type: 'waiting'; readonly path: string; readonly reason: string }
  | { readonly type: 'error'; readonly message: string };

export interface HotFolderOptions {
  readonly store: Store;
  readonly queue: JobQueue;
  /** Resolved settings (absolute folders; see resolveWatchSettings). */
  readonly settings: WatchSettings;
  readonly onEvent?: (event: HotFolderEvent) => void;
  /** @default Date.now */
  readonly now?: () => number;
}

/** How soon a hot folder waiting for a writable output folder tries again, and the longest it waits. */
const OUTPUT_RETRY_MS = 2000;
const MAX_OUTPUT_RETRY_MS = 60_000;


export class HotFolder {
  readonly settings: WatchSettings;
  readonly #store: Store;
  readonly #queue: JobQueue;
  readonly #jobSettings: string;
  readonly #onEvent: (event: HotFolderEvent) => void;
  readonly #now: () => number;
  readonly #filter: PathFilter;
  readonly #tracker: StabilityTracker;
  /** Files already journaled: path → size and mtime of the journaled version. */
  readonly #known = new Map<string, { size: number; mtimeMs: number }>();
  /** Originals being dealt with, by journal row: close() waits for them, and a row is never dealt with twice at once. */
  readonly #settling = new Map<number, Promise<void>>();
  #watchId: number | undefined;
  /** One non-recursive watcher per folder: Node's recursive mode on Linux opens an inotify watch per file. */
  readonly #watchers = new Map<string, FSWatcher>();
  #timers: NodeJS.Timeout[] = [];
  #busy: Promise<void> = Promise.resolve();
  #dirty = new Set<string>();
  #closed = false;
  /** Documents that failed to write their outputs: document id → journal row id. */
  readonly #waitingForOutput = new Map<number, number>();
  #outputRetryAt = 0;
  #outputRetryDelay = OUTPUT_RETRY_MS;

  constructor(options: HotFolderOptions) {
    this.settings = options.settings;
    this.#store = options.store;
    this.#queue = options.queue;
    this.#onEvent = options.onEvent ?? (() => undefined);
    this.#now = options.now ?? Date.now;
    this.#filter = pathFilter(this.settings.include, this.settings.exclude);
    this.#tracker = new StabilityTracker(this.settings.stableMs);
    this.#jobSettings = JSON.stringify(hotFolderJobSettings(this.settings));
  }

  get watchId(): number | undefined {
    return this.#watchId;
  }

  /** Files seen but not yet stable. */
  get pending(): number {
    return this.#tracker.size;
  }

  /**
   * Registers the folder, deals with originals left unsettled by a crash, scans, and starts watching. Closed while it
   * starts, it stops at its next step and starts no timers.
   */
  async start(): Promise<void> {
    const s = this.settings;
    await checkWatchedFolder(s.folder);
    if (this.#closed) return;
    this.#watchId = this.#store.watchFolder(s.folder, JSON.stringify(s));
    // A file that failed was moved to failed/: if it is back under its name (moved back by a person), it is new.
    for (const row of this.#store.journal(this.#watchId)) if (!(row.outcome === 'failed' && row.settled === 1)) this.#remember(row);
    for (const row of this.#store.unsettled(this.#watchId)) {
      if (this.#closed) return;
      await this.#settle(row);
    }
    await this.#serial(() => this.#fullScan());
    if (this.#closed) return;
    const tick = Math.max(50, Math.min(500, Math.floor(s.stableMs / 4) || 50));
    this.#timers.push(setInterval(() => void this.#serial(() => this.#check()), tick));
    this.#timers.push(setInterval(() => void this.#serial(() => this.#retryOutputs()), OUTPUT_RETRY_MS));
    this.#timers.push(setInterval(() => void this.#serial(() => this.#fullScan()), s.pollMs > 0 ? s.pollMs : s.rescanMs));
  }

  /** Feed the queue's events here: a finished or failed document settles its original. */
  onQueueEvent(event: QueueEvent): void {
    if (event.type !== 'document' || (event.state !== 'done' && event.state !== 'failed') || this.#watchId === undefined) return;
    const row = this.#store.sql('SELECT * FROM journal WHERE document_id = ?').get(event.documentId) as JournalRow | undefined;
    // Only an ended document settles its original (its journal row then has an outcome).
    if (row && row.watch_id === this.#watchId && row.settled === 0 && row.outcome !== null) void this.#settle(row);
  }

  /** Runs one scan and one stability check now (tests and `--once` use it to avoid waiting for timers). */
  async scanNow(): Promise<void> {
    await this.#serial(async () => {
      await this.#fullScan();
      await this.#check();
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const w of this.#watchers.values()) w.close();
    this.#watchers.clear();
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
    await this.#busy;
    await Promise.all(this.#settling.values());
  }

  // ---- internals ----

  #emit(event: HotFolderEvent): void {
    try {
      this.#onEvent(event);
    } catch {
      // ignore listener failures
    }
  }

  /** Scans and checks never overlap. */
  #serial(fn: () => Promise<void>): Promise<void> {
    const next = this.#busy.then(() => (this.#closed ? undefined : fn())).catch((error: unknown) => this.#emit({ type: 'error', message: serializeError(error).message }));
    this.#busy = next;
    return next;
  }

  #remember(row: JournalRow): void {
    this.#known.set(row.path, { size: row.size, mtimeMs: row.mtime_ms });
  }

  #relative(file: string): string {
    return path.relative(this.settings.folder, file).split(path.sep).join('/');
  }

  /** Whether a folder under the watched one is OCR Desk's own (done/, failed/, the output folder). */
  #isOwnFolder(dir: string): boolean {
    const rel = this.#relative(dir);
    return rel === DONE_DIR || rel === FAILED_DIR || dir === this.settings.out || dir.startsWith(this.settings.out + path.sep);
  }

  /** Files waiting for a writable output folder: retried once a test file can be written there again. */
  async #retryOutputs(): Promise<void> {
    if (this.#waitingForOutput.size === 0 || this.#now() < this.#outputRetryAt) return;
    // A folder that takes a test file may still be too full for the outputs: each try that ends waiting again
    // waits twice as long before the next, up to a minute.
    this.#outputRetryAt = this.#now() + this.#outputRetryDelay;
    this.#outputRetryDelay = Math.min(MAX_OUTPUT_RETRY_MS, this.#outputRetryDelay * 2);
    try {
      await checkOutputFolder(this.settings.out);
    } catch {
      return; // still not writable
    }
    const docs = [...this.#waitingForOutput.keys()];
    for (const [, journalId] of this.#waitingForOutput) this.#store.sql('UPDATE journal SET outcome = NULL WHERE id = ?').run(journalId);
    this.#waitingForOutput.clear();
    this.#queue.retryDocuments(docs);
  }

  /** Scans the whole folder, and stops watching folders that are gone. */
  async #fullScan(): Promise<void> {
    const seen = await this.#scan(this.settings.folder);
    for (const [dir, w] of this.#watchers) {
      if (!seen.has(dir)) {
        w.close();
        this.#watchers.delete(dir);
      }
    }
  }

  /** Watches one folder for changes (not in polling mode); what changes is looked at by the next check. */
  #watchDir(dir: string): void {
    if (this.settings.pollMs > 0 || this.#closed || this.#watchers.has(dir)) return;
    try {
      const w = watch(dir, (_event, name) => {
        if (name) this.#dirty.add(path.join(dir, name.toString()));
      });
      w.on('error', () => {
        w.close();
        this.#watchers.delete(dir);
      });
      this.#watchers.set(dir, w);
    } catch {
      // Gone already, or notifications unavailable here: the periodic rescan covers it.
    }
  }

  /** Walks `start`, watching its folders, and starts tracking files not journaled yet; returns the folders seen. */
  async #scan(start: string): Promise<Set<string>> {
    const seen = new Set<string>();
    const stack = [start];
    while (stack.length > 0) {
      const dir = stack.pop()!;
      seen.add(dir);
      this.#watchDir(dir);
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        continue; // vanished or unreadable; the next scan tries again
      }
      for (const e of entries) {
        if (isIgnoredName(e.name)) continue;
        const full = path.join(dir, e.name);
        if (e.isDirectory()) {
          if (this.settings.recursive && !this.#isOwnFolder(full)) stack.push(full);
        } else if (e.isFile()) {
          await this.#consider(full);
        }
      }
    }
    return seen;
  }

  async #consider(file: string): Promise<void> {
    const rel = this.#relative(file);
    if (!isInputName(file) || !this.#filter(rel)) return;
    const st = await this.#statOrForget(file);
    if (!st) return;
    const known = this.#known.get(file);
    if (known && known.size === st.size && known.mtimeMs === st.mtimeMs) return;
    this.#tracker.observe(file, { size: st.size, mtimeMs: st.mtimeMs }, this.#now());
  }

  /** The file's stats; a file that is gone (or cannot be stat'ed) stops being tracked, and gives undefined. */
  async #statOrForget(file: string): Promise<Stats | undefined> {
    try {
      return await stat(file);
    } catch {
      this.#tracker.forget(file);
      return undefined;
    }
  }

  /** Re-checks files being tracked (and paths notifications named); takes those that are complete. */
  async #check(): Promise<void> {
    const dirty = [...this.#dirty];
    this.#dirty.clear();
    for (const p of dirty) {
      if (isIgnoredName(path.basename(p)) || !p.startsWith(this.settings.folder + path.sep)) continue;
      const st = await this.#statOrForget(p);
      if (!st) continue;
      if (st.isDirectory()) {
        if (this.settings.recursive && !this.#isOwnFolder(p) && !this.#relative(p).split('/').some(isIgnoredName)) await this.#scan(p);
      } else if (st.isFile() && (this.settings.recursive || path.dirname(p) === this.settings.folder)) {
        await this.#consider(p);
      }
    }
    for (const file of [...this.#tracker.keys()].sort()) {
      if (this.#closed) return;
      const st = await this.#statOrForget(file);
      if (!st) continue;
      if (!this.#tracker.observe(file, { size: st.size, mtimeMs: st.mtimeMs }, this.#now())) continue;
      await this.#take(file, st.size, st.mtimeMs);
    }
  }

  async #take(file: string, size: number, mtimeMs: number): Promise<void> {
    // Complete means it also opens for reading (on Windows a file still being written is locked).
    let sha256: string;
    try {
      const handle = await open(file, 'r');
      await handle.close();
      sha256 = await sha256File(file);
      const after = await stat(file);
      if (after.size !== size || after.mtimeMs !== mtimeMs) return; // changed while hashing: keep waiting
    } catch {
      return; // not openable yet, or gone; tracked again on the next look
    }
    this.#tracker.forget(file);
    const entry = { watchId: this.#watchId!, path: file, size, mtimeMs, sha256 };
    const existing = this.#store.findJournal(entry);
    if (existing && existing.outcome === 'failed' && existing.settled === 1) {
      // It failed, went to failed/, and is back (moved by a person, or by retryFailed): take it again, and drop
      // the stale report.
      this.#store.forgetJournal(existing.id);
      await rm(`${path.join(this.settings.folder, FAILED_DIR, this.#relative(file))}.error.txt`, { force: true });
    } else if (existing) {
      this.#remember(existing);
      return;
    }
    const outputBase = path.join(this.settings.out, this.#relative(file).split('/').join(path.sep));
    const row = this.#store.takeFile(entry, this.#jobSettings, outputBase, this.settings.priority);
    this.#remember(row);
    this.#emit({ type: 'taken', path: file, documentId: row.document_id! });
    this.#queue.poke();
  }

  /**
   * Moves every file in failed/ back into the folder (its report removed), where it is taken again as new.
   * Returns how many were moved.
   */
  async retryFailed(): Promise<number> {
    const moved = await moveBackFailed(this.settings.folder);
    if (moved > 0) void this.scanNow();
    return moved;
  }

  /** Deals with an original after its document ended: keep, move to done/, delete; failures go to failed/. */
  #settle(row: JournalRow): Promise<void> {
    let settling = this.#settling.get(row.id);
    if (!settling) {
      settling = this.#settleNow(row).finally(() => this.#settling.delete(row.id));
      this.#settling.set(row.id, settling);
    }
    return settling;
  }

  async #settleNow(row: JournalRow): Promise<void> {
    try {
      const rel = this.#relative(row.path);
      const failedDoc = row.outcome === 'failed' && row.document_id !== null ? this.#store.document(row.document_id) : undefined;
      if (failedDoc?.error_kind === 'output-write') {
        // The input is fine; the output folder is not. Keep the file where it is, and retry once it is writable.
        this.#waitingForOutput.set(failedDoc.id, row.id);
        this.#emit({ type: 'waiting', path: row.path, reason: failedDoc.error_message ?? 'the results could not be written' });
        return;
      }
      if (row.outcome === 'failed') {
        const doc = failedDoc;
        const reason = doc?.error_message ?? 'unknown error';
        // The report is written first, so a crash never leaves a moved file without its reason.
        const target = await moveAway(row.path, path.join(this.settings.folder, FAILED_DIR, rel), (to) =>
          writeFileAtomic(`${to}.error.txt`, `${row.path}\n${doc?.error_kind ?? 'internal'}: ${reason}\n`),
        );
        this.#store.settle(row.id, target ? `moved to ${target}` : 'original already gone');
        this.#known.delete(row.path);
        this.#emit({ type: 'failed', path: row.path, reason, documentId: row.document_id });
        return;
      }
      this.#outputRetryDelay = OUTPUT_RETRY_MS; // the output folder takes files again
      let detail = 'kept';
      if (this.settings.originals === 'move') {
        const target = await moveAway(row.path, path.join(this.settings.folder, DONE_DIR, rel));
        detail = target ? `moved to ${target}` : 'original already gone';
        this.#known.delete(row.path);
      } else if (this.settings.originals === 'delete') {
        if (await sameFile(row)) await rm(row.path, { force: true });
        detail = 'deleted';
        this.#known.delete(row.path);
      }
      this.#store.settle(row.id, detail);
      this.#emit({ type: 'done', path: row.path, documentId: row.document_id });
    } catch (error) {
      this.#emit({ type: 'error', message: `Could not deal with the original ${row.path}: ${serializeError(error).message}` });
    }
  }
}
