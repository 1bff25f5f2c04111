/**
 * Watch folders and their journal: one row per file a hot folder took (its path, size, mtime and hash), the
 * document it made, that document's outcome, and whether its original has been dealt with (moved, kept or
 * deleted). Taking a file also adds its job, so that one is Store.takeFile.
 */
import type { StoreDatabase } from './database.ts';
import type { JournalEntry, JournalRow } from './rows.ts';

/** The id of the watch folder at `folder`, added (or its settings updated) as given. */
export function watchFolder(store: StoreDatabase, folder: string, settings: string): number {
  return store.transaction(() => {
    const row = store.sql('SELECT id FROM watch_folders WHERE path = ?').get(folder) as { id: number } | undefined;
    if (row) {
      store.sql('UPDATE watch_folders SET settings = ? WHERE id = ?').run(settings, row.id);
      return row.id;
    }
    return Number(store.sql('INSERT INTO watch_folders (path, settings, created_at) VALUES (?, ?, ?)').run(folder, settings, Date.now()).lastInsertRowid);
  });
}

export function journalRows(store: StoreDatabase, watchId: number): JournalRow[] {
  return store.sql('SELECT * FROM journal WHERE watch_id = ?').all(watchId) as unknown as JournalRow[];
}

export function journalEntry(store: StoreDatabase, id: number): JournalRow | undefined {
  return store.sql('SELECT * FROM journal WHERE id = ?').get(id) as JournalRow | undefined;
}

/** The journal row of the same file, if it was taken before. */
export function findJournal(store: StoreDatabase, e: JournalEntry): JournalRow | undefined {
  return store.sql('SELECT * FROM journal WHERE watch_id = ? AND path = ? AND size = ? AND mtime_ms = ? AND sha256 = ?').get(e.watchId, e.path, e.size, e.mtimeMs, e.sha256) as JournalRow | undefined;
}

/** Forgets a journal row (its file is taken again as new); the document it made stays. */
export function forgetJournal(store: StoreDatabase, id: number): void {
  store.transaction(() => {
    const row = journalEntry(store, id);
    store.sql('DELETE FROM journal WHERE id = ?').run(id);
    store.audit('journal-forgotten', null, row?.document_id ?? null, row?.path ?? null);
  });
}

/** Journal rows whose document ended but whose original file has not been dealt with yet. */
export function unsettledJournal(store: StoreDatabase, watchId: number): JournalRow[] {
  return store.sql('SELECT * FROM journal WHERE watch_id = ? AND settled = 0 AND outcome IS NOT NULL').all(watchId) as unknown as JournalRow[];
}

export function settleJournal(store: StoreDatabase, journalId: number, detail: string): void {
  store.transaction(() => {
    store.sql('UPDATE journal SET settled = 1 WHERE id = ?').run(journalId);
    const row = journalEntry(store, journalId);
    store.audit('original-settled', null, row?.document_id ?? null, detail);
  });
}
