/**
 * The UI's own small database (IndexedDB through Dexie): preferences (theme, language, last tab, filters) and
 * recent searches. Only UI state lives here; the service's store stays the record of jobs and documents.
 */
import { Dexie, type EntityTable } from 'dexie';

export interface PrefRow {
  readonly key: string;
  readonly value: unknown;
}

export interface RecentSearch {
  readonly id?: number;
  readonly q: string;
  /** When it was last searched (ms since the epoch). */
  readonly at: number;
}

export class UiDatabase extends Dexie {
  // `declare`: a class field would overwrite the tables Dexie sets up in its constructor.
  declare prefs: EntityTable<PrefRow, 'key'>;
  declare searches: EntityTable<RecentSearch, 'id'>;

  constructor(name = 'ocr-desk-ui') {
    super(name);
    this.version(1).stores({ prefs: 'key', searches: '++id, &q, at' });
  }
}

/** How many recent searches are kept. */
export const RECENT_SEARCHES = 8;

export async function rememberSearch(db: UiDatabase, q: string): Promise<void> {
  await db.transaction('rw', db.searches, async () => {
    await db.searches.where('q').equals(q).delete();
    await db.searches.add({ q, at: Date.now() });
    const old = await db.searches.orderBy('at').reverse().offset(RECENT_SEARCHES).primaryKeys();
    await db.searches.bulkDelete(old);
  });
}

export async function recentSearches(db: UiDatabase): Promise<string[]> {
  return (await db.searches.orderBy('at').reverse().limit(RECENT_SEARCHES).toArray()).map((s) => s.q);
}
