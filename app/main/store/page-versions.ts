/**
 * The store's side of the result editor (migration 6, `page_versions`): the versions of edited pages, the
 * document's result kept current with them (its text and search entries too), the OCR original of a result for
 * reuse, and the per-document figures of the review queue. Synchronous, like the store; callers group changes
 * in `store.transaction`.
 */
import { CJK_INDEX_FUNCTION } from './cjk-index.ts';
import type { Store } from './store.ts';

export type PageVersionKind = 'ocr' | 'edit' | 'revert';

export interface PageVersionRow {
  readonly document_id: number;
  readonly page: number;
  readonly version: number;
  readonly kind: PageVersionKind;
  /** OcrPage JSON of this version. */
  readonly result: string;
  /** JSON: the edits (kind `edit`) or `{ "to": n }` (kind `revert`); null for the OCR's version. */
  readonly edits: string | null;
  readonly author: string | null;
  readonly created_at: number;
}

export interface NewPageVersion {
  readonly documentId: number;
  readonly page: number;
  readonly version: number;
  readonly kind: PageVersionKind;
  readonly result: string;
  readonly edits: string | null;
  readonly author: string | null;
  readonly createdAt: number;
}

/** Versions of a document's pages (of one page when given), oldest first, without their page JSON unless asked. */
export function pageVersions(store: Store, documentId: number, page?: number): PageVersionRow[] {
  return (
    page === undefined
      ? store.sql('SELECT * FROM page_versions WHERE document_id = ? ORDER BY page, version').all(documentId)
      : store.sql('SELECT * FROM page_versions WHERE document_id = ? AND page = ? ORDER BY version').all(documentId, page)
  ) as unknown as PageVersionRow[];
}

/** A page's current version: 0 when it was never edited. */
export function currentVersion(store: Store, documentId: number, page: number): number {
  return (store.sql('SELECT coalesce(max(version), 0) AS v FROM page_versions WHERE document_id = ? AND page = ?').get(documentId, page) as { v: number }).v;
}

/** One version's page JSON, if stored. */
export function versionResult(store: Store, documentId: number, page: number, version: number): string | undefined {
  return (store.sql('SELECT result FROM page_versions WHERE document_id = ? AND page = ? AND version = ?').get(documentId, page, version) as { result: string } | undefined)?.result;
}

export function addPageVersion(store: Store, v: NewPageVersion): void {
  store.sql('INSERT INTO page_versions (document_id, page, version, kind, result, edits, author, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
    v.documentId, v.page, v.version, v.kind, v.result, v.edits, v.author, v.createdAt,
  );
}

/**
 * Replaces a document's stored result (its pages' current versions) and its text; a document that search finds
 * (the newest of its path) is indexed again, so search finds the corrected words and no longer the wrong ones.
 */
export function replaceResult(store: Store, documentId: number, documentJson: string, text: string): void {
  store.transaction(() => {
    store.sql('UPDATE results SET document = ?, text = ? WHERE document_id = ?').run(documentJson, text, documentId);
    if (store.sql('SELECT 1 FROM documents_fts WHERE rowid = ?').get(documentId) === undefined) return;
    store.sql('DELETE FROM documents_fts WHERE rowid = ?').run(documentId);
    store.sql('INSERT INTO documents_fts (rowid, text) VALUES (?, ?)').run(documentId, text);
    store.sql('DELETE FROM documents_cjk WHERE rowid = ?').run(documentId);
    store.sql(`INSERT INTO documents_cjk (rowid, text) VALUES (?, ${CJK_INDEX_FUNCTION}(?))`).run(documentId, text);
  });
}

/** Records the sha256 of an output file written again (the output keeps its path and format). */
export function setOutputSha(store: Store, documentId: number, format: string, sha256: string): void {
  store.sql('UPDATE outputs SET sha256 = ? WHERE document_id = ? AND format = ?').run(sha256, documentId, format);
}

/**
 * A stored result for this content and settings as OCR made it: identical content is reused without OCR, and what
 * it reuses is the OCR's reading, not another document's corrections (those belong to that document, its history
 * and its audit trail). Edited pages are put back to their version 0.
 */
export function originalResultFor(store: Store, contentKey: string): string | undefined {
  const row = store.sql('SELECT document_id, document FROM results WHERE content_key = ? ORDER BY document_id NOT IN (SELECT document_id FROM page_versions) DESC LIMIT 1').get(contentKey) as
    | { document_id: number; document: string }
    | undefined;
  if (!row) return undefined;
  const originals = store.sql('SELECT page, result FROM page_versions WHERE document_id = ? AND version = 0').all(row.document_id) as unknown as { page: number; result: string }[];
  if (originals.length === 0) return row.document;
  const doc = JSON.parse(row.document) as { pages: { index: number }[] };
  const byPage = new Map(originals.map((o) => [o.page, JSON.parse(o.result) as { index: number }]));
  return JSON.stringify({ ...doc, pages: doc.pages.map((p) => byPage.get(p.index) ?? p) });
}

/** Pages whose current version differs from what OCR read. */
export function editedPages(store: Store, documentId: number): number {
  return (
    store
      .sql(
        `SELECT count(*) AS n FROM (SELECT page, max(version) AS v FROM page_versions WHERE document_id = ? GROUP BY page) m
         JOIN page_versions c ON c.document_id = ? AND c.page = m.page AND c.version = m.v
         JOIN page_versions o ON o.document_id = ? AND o.page = m.page AND o.version = 0
         WHERE c.result <> o.result`,
      )
      .get(documentId, documentId, documentId) as { n: number }
  ).n;
}

export interface ReviewRow {
  readonly id: number;
  readonly job_id: number;
  readonly source_path: string;
  readonly pages: number;
  readonly words: number;
  readonly low: number;
  readonly lowest: number;
}

/**
 * Finished documents with words under `threshold`, worst first (most such words, then the lowest confidence). Read
 * from the stored results by SQLite's JSON functions, so any threshold works without a second copy of the words.
 */
export function reviewRows(store: Store, threshold: number, jobId?: number): ReviewRow[] {
  return store.db
    .prepare(
      `SELECT d.id, d.job_id, d.source_path, json_array_length(r.document, '$.pages') AS pages, count(*) AS words,
              sum(w.value ->> '$.confidence' < ?) AS low, min(w.value ->> '$.confidence') AS lowest
       FROM documents d JOIN results r ON r.document_id = d.id,
            json_each(r.document, '$.pages') p, json_each(p.value, '$.lines') l, json_each(l.value, '$.words') w
       WHERE d.state = 'done'${jobId === undefined ? '' : ' AND d.job_id = ?'}
       GROUP BY d.id HAVING low > 0
       ORDER BY low DESC, lowest ASC, d.id`,
    )
    .all(...(jobId === undefined ? [threshold] : [threshold, jobId])) as unknown as ReviewRow[];
}
