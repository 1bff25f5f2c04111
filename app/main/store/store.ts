/**
 * The job store: one SQLite database (`ocr-desk.db` in the data folder) holding jobs, documents, pages, results,
 * outputs, edits, watch folders and their journal, settings, an audit trail and a full-text index.
 *
 * It uses `node:sqlite` (built into Node 24, and so into Electron 40+): no native addon to build or ship per
 * platform, and its SQLite has FTS5. WAL mode lets readers (`ocr-desk search`, the UI) query while a batch writes;
 * `synchronous = NORMAL` in WAL keeps every committed transaction across a process crash (`kill -9`), which is the
 * failure the queue is built to survive.
 *
 * All methods are synchronous (SQLite calls are short); multi-statement changes run in one transaction.
 */
import path from 'node:path';
import type { DocumentState, JobKind, JobState } from '../../common/api/resources.ts';
import { CJK_INDEX_FUNCTION } from './cjk-index.ts';
import { StoreDatabase } from './database.ts';
import { findJournal, forgetJournal, journalEntry, journalRows, settleJournal, unsettledJournal, watchFolder } from './journal.ts';
import type { DocumentRow, JobRow, JournalEntry, JournalRow, NewDocument, NewJobMeta, OutputRow, SearchHit } from './rows.ts';
import { searchDocuments } from './search.ts';

export type { DocumentState, JobKind, JobState };
export type { AuditActor } from './database.ts';
export type { DocumentRow, JobRow, JournalEntry, JournalRow, NewDocument, NewJobMeta, OutputRow, SearchHit } from './rows.ts';

/** Job priorities: higher runs first. An interactive drop goes ahead of a hot-folder backlog. */
export const PRIORITY = { interactive: 10, hotfolder: 0 } as const;

export const DATABASE_NAME = 'ocr-desk.db';

/**
 * The store callers open: the connection (StoreDatabase: statements, transactions, settings, audit) with jobs and
 * documents here, and search (search.ts) and watch folders and their journal (journal.ts) delegated.
 */
export class Store extends StoreDatabase {
  static inDir(dataDir: string, options: { readOnly?: boolean } = {}): Store {
    return new Store(path.join(dataDir, DATABASE_NAME), options);
  }

  // ---- jobs and documents ----

  /** Adds a job with its documents, all queued; returns the job id and the document ids in order. */
  addJob(kind: JobKind, priority: number, settings: string, documents: readonly NewDocument[], meta: NewJobMeta = {}): { jobId: number; documentIds: number[] } {
    return this.transaction(() => {
      const now = Date.now();
      const jobId = Number(
        this.sql('INSERT INTO jobs (kind, priority, state, settings, label, output_dir, resume_key, idempotency_key, force, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
          kind, priority, 'queued', settings, meta.label ?? '', meta.outputDir ?? null, meta.resumeKey ?? null, meta.idempotencyKey ?? null, meta.force ? 1 : 0, now, now,
        ).lastInsertRowid,
      );
      const insert = this.sql('INSERT INTO documents (job_id, source_path, output_base, owned_source, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
      const documentIds = documents.map((d) => Number(insert.run(jobId, d.path, d.outputBase ?? null, d.ownedSource ? 1 : 0, 'queued', now, now).lastInsertRowid));
      this.audit('job-added', jobId, null, `${documents.length} file(s)`);
      return { jobId, documentIds };
    });
  }

  job(id: number): JobRow | undefined {
    return this.sql('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
  }

  jobs(): JobRow[] {
    return this.sql('SELECT * FROM jobs ORDER BY id').all() as unknown as JobRow[];
  }

  setJobState(id: number, state: JobState): void {
    this.sql('UPDATE jobs SET state = ?, updated_at = ? WHERE id = ?').run(state, Date.now(), id);
  }

  setJobPriority(id: number, priority: number): void {
    this.sql('UPDATE jobs SET priority = ?, updated_at = ? WHERE id = ?').run(priority, Date.now(), id);
  }

  /** The unfinished job with this resume key, if any (newest first). */
  resumableJob(resumeKey: string): JobRow | undefined {
    return this.sql("SELECT * FROM jobs WHERE resume_key = ? AND state IN ('queued', 'running', 'paused') ORDER BY id DESC LIMIT 1").get(resumeKey) as JobRow | undefined;
  }

  jobByIdempotencyKey(key: string): JobRow | undefined {
    return this.sql('SELECT * FROM jobs WHERE idempotency_key = ?').get(key) as JobRow | undefined;
  }

  document(id: number): DocumentRow | undefined {
    return this.sql('SELECT * FROM documents WHERE id = ?').get(id) as DocumentRow | undefined;
  }

  documents(jobId: number): DocumentRow[] {
    return this.sql('SELECT * FROM documents WHERE job_id = ? ORDER BY id').all(jobId) as unknown as DocumentRow[];
  }

  /** Sets the state of a job's documents that are in one of `from`; returns how many changed. */
  setDocumentStates(jobId: number | undefined, from: readonly DocumentState[], to: DocumentState): number {
    const list = from.map(() => '?').join(', ');
    const where = jobId === undefined ? '' : ' AND job_id = ?';
    const args = jobId === undefined ? [to, Date.now(), ...from] : [to, Date.now(), ...from, jobId];
    return Number(this.db.prepare(`UPDATE documents SET state = ?, updated_at = ?, error_kind = NULL, error_message = NULL WHERE state IN (${list})${where}`).run(...args).changes);
  }

  setDocumentState(id: number, state: DocumentState): void {
    this.sql('UPDATE documents SET state = ?, updated_at = ? WHERE id = ?').run(state, Date.now(), id);
  }

  /**
   * The next document to work on: queued, in a queued or running job, highest job priority first, then oldest job,
   * then the job's order. `skip` excludes documents already handed out.
   */
  nextDocument(skip: ReadonlySet<number> = new Set()): (DocumentRow & { settings: string }) | undefined {
    const rows = this.sql(
      `SELECT d.*, j.settings FROM documents d JOIN jobs j ON j.id = d.job_id
       WHERE d.state = 'queued' AND j.state IN ('queued', 'running')
       ORDER BY j.priority DESC, d.job_id, d.work DESC, d.id LIMIT ?`,
    ).all(skip.size + 1) as unknown as (DocumentRow & { settings: string })[];
    return rows.find((r) => !skip.has(r.id));
  }

  setDocumentContent(id: number, sha256: string, bytes: number, contentKey: string): void {
    this.sql('UPDATE documents SET sha256 = ?, bytes = ?, content_key = ?, updated_at = ? WHERE id = ?').run(sha256, bytes, contentKey, Date.now(), id);
  }

  setPageCount(id: number, pages: number): void {
    this.sql('UPDATE documents SET page_count = ? WHERE id = ?').run(pages, id);
  }

  /** Records a document's probe: its page count, and its work estimate for ordering. */
  setProbe(id: number, probeJson: string, pages: number, work: number): void {
    this.sql('UPDATE documents SET probe = ?, page_count = ?, work = ?, updated_at = ? WHERE id = ?').run(probeJson, pages, work, Date.now(), id);
  }

  /** The stored result of one document (OcrDocument JSON), if it has one. */
  result(documentId: number): string | undefined {
    return (this.sql('SELECT document FROM results WHERE document_id = ?').get(documentId) as { document: string } | undefined)?.document;
  }

  /** A stored result (OcrDocument JSON) for this content and settings, if any document has one. */
  resultFor(contentKey: string): string | undefined {
    return (this.sql('SELECT document FROM results WHERE content_key = ? LIMIT 1').get(contentKey) as { document: string } | undefined)?.document;
  }

  /** Stored pages of a document: index → OcrPage JSON. */
  pages(documentId: number): Map<number, string> {
    const rows = this.sql('SELECT idx, result FROM pages WHERE document_id = ?').all(documentId) as unknown as { idx: number; result: string }[];
    return new Map(rows.map((r) => [r.idx, r.result]));
  }

  /** Stores one recognised page (once: a page already stored is kept). */
  savePage(documentId: number, index: number, pageJson: string): void {
    this.sql('INSERT OR IGNORE INTO pages (document_id, idx, result, created_at) VALUES (?, ?, ?, ?)').run(documentId, index, pageJson, Date.now());
  }

  /**
   * Records a finished recognition before any output file is written: the result, and each output's path and
   * sha256. The document is then `writing`; a restart finds it so and completes the files from these rows.
   */
  beginWriting(documentId: number, contentKey: string, documentJson: string, text: string, outputs: readonly OutputRow[], reused: boolean, notesJson: string | null = null): void {
    this.transaction(() => {
      this.sql('INSERT OR REPLACE INTO results (document_id, content_key, document, text) VALUES (?, ?, ?, ?)').run(documentId, contentKey, documentJson, text);
      this.sql('DELETE FROM outputs WHERE document_id = ?').run(documentId);
      const insert = this.sql('INSERT INTO outputs (document_id, format, path, sha256) VALUES (?, ?, ?, ?)');
      for (const o of outputs) insert.run(documentId, o.format, o.path, o.sha256);
      this.sql('UPDATE documents SET state = ?, reused = ?, notes = ?, updated_at = ? WHERE id = ?').run('writing', reused ? 1 : 0, notesJson, Date.now(), documentId);
    });
  }

  outputs(documentId: number): OutputRow[] {
    return this.sql('SELECT format, path, sha256 FROM outputs WHERE document_id = ? ORDER BY format').all(documentId) as unknown as OutputRow[];
  }

  /** Documents that crashed between "outputs recorded" and "done". */
  writingDocuments(): DocumentRow[] {
    return this.sql("SELECT * FROM documents WHERE state = 'writing'").all() as unknown as DocumentRow[];
  }

  /** Marks a document done once its files exist: indexes its text, settles its journal row and audits it. */
  finishDocument(documentId: number): void {
    this.transaction(() => {
      const doc = this.document(documentId);
      if (!doc || doc.state === 'done') return;
      this.setDocumentState(documentId, 'done');
      this.sql('DELETE FROM documents_fts WHERE rowid = ?').run(documentId);
      // The newest result of a file is the one search finds: older documents of the same path (a file replaced
      // in a hot folder, a batch run again) leave the index.
      this.sql('DELETE FROM documents_fts WHERE rowid IN (SELECT id FROM documents WHERE source_path = ? AND id <> ?)').run(doc.source_path, documentId);
      this.sql('INSERT INTO documents_fts (rowid, text) SELECT document_id, text FROM results WHERE document_id = ?').run(documentId);
      this.sql('DELETE FROM documents_cjk WHERE rowid = ?').run(documentId);
      this.sql('DELETE FROM documents_cjk WHERE rowid IN (SELECT id FROM documents WHERE source_path = ? AND id <> ?)').run(doc.source_path, documentId);
      this.sql(`INSERT INTO documents_cjk (rowid, text) SELECT document_id, ${CJK_INDEX_FUNCTION}(text) FROM results WHERE document_id = ?`).run(documentId);
      this.sql("UPDATE journal SET outcome = 'done', updated_at = ? WHERE document_id = ?").run(Date.now(), documentId);
      this.audit('document-done', doc.job_id, documentId, doc.reused ? 'reused a stored result' : null);
    });
  }

  failDocument(documentId: number, kind: string, message: string): void {
    this.transaction(() => {
      const doc = this.document(documentId);
      if (!doc) return;
      this.sql("UPDATE documents SET state = 'failed', error_kind = ?, error_message = ?, updated_at = ? WHERE id = ?").run(kind, message, Date.now(), documentId);
      this.sql("UPDATE journal SET outcome = 'failed', updated_at = ? WHERE document_id = ?").run(Date.now(), documentId);
      this.audit('document-failed', doc.job_id, documentId, `${kind}: ${message}`);
    });
  }

  /** Counts of a job's documents by state. */
  documentCounts(jobId: number): Record<DocumentState, number> {
    const counts: Record<DocumentState, number> = { queued: 0, running: 0, writing: 0, done: 0, failed: 0, cancelled: 0 };
    for (const r of this.sql('SELECT state, count(*) AS n FROM documents WHERE job_id = ? GROUP BY state').all(jobId) as unknown as { state: DocumentState; n: number }[]) counts[r.state] = r.n;
    return counts;
  }

  /** Pages known to be left (documents not yet probed count as one page) and pages stored for them. */
  remainingPages(): { total: number; stored: number } {
    const r = this.sql(
      `SELECT coalesce(sum(coalesce(d.page_count, 1)), 0) AS total,
              coalesce(sum((SELECT count(*) FROM pages p WHERE p.document_id = d.id)), 0) AS stored
       FROM documents d JOIN jobs j ON j.id = d.job_id
       WHERE d.state IN ('queued', 'running') AND j.state IN ('queued', 'running')`,
    ).get() as { total: number; stored: number };
    return r;
  }

  // ---- search (search.ts) ----

  search(words: string, limit = 20): SearchHit[] {
    return searchDocuments(this, words, limit);
  }

  // ---- watch folders and journal (journal.ts) ----

  watchFolder(folder: string, settings: string): number {
    return watchFolder(this, folder, settings);
  }

  journal(watchId: number): JournalRow[] {
    return journalRows(this, watchId);
  }

  journalEntry(id: number): JournalRow | undefined {
    return journalEntry(this, id);
  }

  findJournal(e: JournalEntry): JournalRow | undefined {
    return findJournal(this, e);
  }

  /** Takes a file: its journal row and a one-document job, in one transaction. */
  takeFile(e: JournalEntry, settings: string, outputBase: string, priority: number = PRIORITY.hotfolder): JournalRow {
    return this.transaction(() => {
      const { documentIds } = this.addJob('hotfolder', priority, settings, [{ path: e.path, outputBase }], { label: path.basename(e.path) });
      // The queue works on exactly the version the journal names.
      this.sql('UPDATE documents SET sha256 = ?, bytes = ? WHERE id = ?').run(e.sha256, e.size, documentIds[0]!);
      const now = Date.now();
      const id = Number(
        this.sql('INSERT INTO journal (watch_id, path, size, mtime_ms, sha256, document_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(e.watchId, e.path, e.size, e.mtimeMs, e.sha256, documentIds[0]!, now, now).lastInsertRowid,
      );
      return this.journalEntry(id)!;
    });
  }

  forgetJournal(id: number): void {
    forgetJournal(this, id);
  }

  unsettled(watchId: number): JournalRow[] {
    return unsettledJournal(this, watchId);
  }

  settle(journalId: number, detail: string): void {
    settleJournal(this, journalId, detail);
  }
}
