/**
 * The UI's own small database (IndexedDB through Dexie): preferences (theme, language, last tab, filters), recent
 * searches, and the result editor's drafts. Only UI state lives here; the service's store stays the record of jobs,
 * documents and saved corrections.
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

/**
 * Corrections made in the result editor and not yet saved to the service, kept on every change so that a crash or
 * a reload loses none: the page version they were made on, the actions (for undo and redo), and the text being
 * typed into a word or line that was not applied yet. One per document page.
 */
export interface DraftRow {
  readonly documentId: number;
  readonly page: number;
  readonly baseVersion: number;
  /** Applied actions (each a list of edits, app/common/edits.ts), oldest first. */
  readonly done: readonly { readonly edits: readonly unknown[] }[];
  readonly undone: readonly { readonly edits: readonly unknown[] }[];
  /** The in-place editor's text, if one was open. */
  readonly typing: { readonly kind: 'word' | 'line'; readonly id: string; readonly text: string } | null;
  /** ms since the epoch. */
  readonly updatedAt: number;
}

export class UiDatabase extends Dexie {
  // `declare`: a class field would overwrite the tables Dexie sets up in its constructor.
  declare prefs: EntityTable<PrefRow, 'key'>;
  declare searches: EntityTable<RecentSearch, 'id'>;
  declare drafts: Dexie.Table<DraftRow, [number, number]>;

  constructor(name = 'ocr-desk-ui') {
    super(name);
    this.version(1).stores({ prefs: 'key', searches: '++id, &q, at' });
    this.version(2).stores({ prefs: 'key', searches: '++id, &q, at', drafts: '[documentId+page], documentId, updatedAt' });
  }
}

/** The draft of a document page, if one was kept. */
export async function loadDraft(db: UiDatabase, documentId: number, page: number): Promise<DraftRow | undefined> {
  try {
    return await db.drafts.get([documentId, page]);
  } catch {
    return undefined;
  }
}

export async function saveDraft(db: UiDatabase, row: DraftRow): Promise<void> {
  await db.drafts.put(row);
}

export async function dropDraft(db: UiDatabase, documentId: number, page: number): Promise<void> {
  await db.drafts.delete([documentId, page]).catch(() => undefined);
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
