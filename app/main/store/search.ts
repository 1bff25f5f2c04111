/**
 * The store's search: a query typed by a person, planned by search-query.ts, run against the word index
 * (`documents_fts`) or the CJK index (`documents_cjk`, see cjk-index.ts), with a snippet of each hit.
 */
import { textSnippet } from './cjk-index.ts';
import type { StoreDatabase } from './database.ts';
import type { SearchHit } from './rows.ts';
import { searchPlan } from './search-query.ts';

/**
 * Documents matching a query typed by a person (see search-query.ts: words, "phrases", AND, OR, NOT, prefix*),
 * best match first. Throws {@link InvalidQueryError} for a malformed query.
 */
export function searchDocuments(store: StoreDatabase, words: string, limit = 20): SearchHit[] {
  const plan = searchPlan(words);
  if (!plan) return [];
  // Words typed with punctuation inside must occur as typed, which the index alone cannot tell (see search-query.ts).
  const exact = plan.filter ? ` AND ${plan.filter.sql}` : '';
  // The word index makes its own snippets; the CJK index is contentless, so its hits' snippets come from the text.
  const rows = store.sql(
    plan.index === 'words'
      ? `SELECT f.rowid AS id, d.source_path, d.output_base, snippet(documents_fts, 0, '[', ']', '…', 10) AS snippet
         FROM documents_fts f JOIN documents d ON d.id = f.rowid JOIN results r ON r.document_id = f.rowid
         WHERE documents_fts MATCH ?${exact} ORDER BY rank LIMIT ?`
      : `SELECT c.rowid AS id, d.source_path, d.output_base, r.text
         FROM documents_cjk c JOIN documents d ON d.id = c.rowid JOIN results r ON r.document_id = c.rowid
         WHERE documents_cjk MATCH ?${exact} ORDER BY rank LIMIT ?`,
  ).all(plan.match, ...(plan.filter?.params ?? []), limit) as unknown as { id: number; source_path: string; output_base: string; snippet?: string; text?: string }[];
  return rows.map((r) => ({
    documentId: r.id,
    path: r.source_path,
    outputBase: r.output_base,
    snippet: r.snippet !== undefined ? r.snippet.replace(/\s+/g, ' ') : textSnippet(r.text ?? '', plan.needles),
  }));
}
