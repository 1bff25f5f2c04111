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
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { DocumentState, JobKind, JobState } from '../../common/api/resources.ts';
import { CJK_INDEX_FUNCTION, textSnippet } from './cjk-index.ts';
import { migrate } from './migrations.ts';
import { searchPlan } from './search-query.ts';

export type { DocumentState, JobKind, JobState };

/** Job priorities: higher runs first. An interactive drop goes ahead of a hot-folder backlog. */
export const PRIORITY = { interactive: 10, hotfolder: 0 } as const;

export interface JobRow {
  readonly id: number;
  readonly kind: JobKind;
  readonly priority: number;
  readonly state: JobState;
  /** JSON of the job's settings (see app/common/job-settings.ts). */
  readonly settings: string;
  readonly label: string;
  /** Folder results are written to; null when they are kept in the store only. */
  readonly output_dir: string | null;
  /** Inputs, output folder and settings hashed: an unfinished job with the same key is resumed, not added again. */
  readonly resume_key: string | null;
  readonly idempotency_key: string | null;
  /** 1: recognise every document again, even where an identical one has a stored result. */
  readonly force: number;
  readonly created_at: number;
  readonly updated_at: number;
}

export interface DocumentRow {
  readonly id: number;
  readonly job_id: number;
  readonly source_path: string;
  /** Output path without the format extension; null when no files are written for it. */
  readonly output_base: string | null;
  readonly state: DocumentState;
  readonly sha256: string | null;
  readonly bytes: number | null;
  readonly content_key: string | null;
  readonly page_count: number | null;
  /** The worker's probe (ProbeResult JSON), kept so pages are not probed twice. */
  readonly probe: string | null;
  /** Pages × pixels, from the probe: a job's largest documents run first. */
  readonly work: number;
  /** 1 when the source is OCR Desk's own copy (an upload), deleted with the document. */
  readonly owned_source: number;
  /** JSON of the page notes (app/common/page-notes.ts), once recognised; null when there are none. */
  readonly notes: string | null;
  readonly reused: number;
  readonly error_kind: string | null;
  readonly error_message: string | null;
  readonly created_at: number;
  readonly updated_at: number;
}

export interface JournalRow {
  readonly id: number;
  readonly watch_id: number;
  readonly path: string;
  readonly size: number;
  readonly mtime_ms: number;
  readonly sha256: string;
  readonly document_id: number | null;
  readonly outcome: 'done' | 'failed' | null;
  readonly settled: number;
}

export interface OutputRow {
  readonly format: string;
  readonly path: string;
  readonly sha256: string;
}

export interface SearchHit {
  readonly documentId: number;
  readonly path: string;
  readonly outputBase: string;
  /** Matching words in context, marked with [ and ]. */
  readonly snippet: string;
}

export interface NewDocument {
  readonly path: string;
  /** @default null (no output files) */
  readonly outputBase?: string | null;
  /** The source is OCR Desk's own copy (an upload). @default false */
  readonly ownedSource?: boolean;
}

export interface NewJobMeta {
  /** @default '' */
  readonly label?: string;
  readonly outputDir?: string | null;
  readonly resumeKey?: string | null;
  readonly idempotencyKey?: string | null;
  /** @default false */
  readonly force?: boolean;
}

export interface JournalEntry {
  readonly watchId: number;
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly sha256: string;
}

export const DATABASE_NAME = 'ocr-desk.db';

/** Who an audit row is about: the API key and the client's address (null: the local admin or the service). */
export interface AuditActor {
  readonly keyId: string | null;
  readonly address: string | null;
}

export class Store {
  readonly file: string;
  readonly db: DatabaseSync;
  /** The schema version the file had before this open (0 for a new file). */
  readonly migratedFrom: number;
  readonly #statements = new Map<string, StatementSync>();
  /** Who is acting now, for the audit trail (the service sets it from the request's caller). */
  auditActor: () => AuditActor | undefined = () => undefined;

  /** Opens (creating if needed) the database at `file`, or `<dir>/ocr-desk.db` when given a folder via {@link Store.inDir}. */
  constructor(file: string, options: { readOnly?: boolean } = {}) {
    this.file = file;
    if (!options.readOnly) mkdirSync(path.dirname(file), { recursive: true });
    this.db = new DatabaseSync(file, { readOnly: options.readOnly ?? false });
    this.db.exec('PRAGMA busy_timeout = 10000');
    if (options.readOnly) {
      this.migratedFrom = -1;
      return;
    }
    this.db.exec('PRAGMA journal_mode = WAL');
    this.db.exec('PRAGMA synchronous = NORMAL');
    this.migratedFrom = migrate(this.db, file);
  }

  static inDir(dataDir: string, options: { readOnly?: boolean } = {}): Store {
    return new Store(path.join(dataDir, DATABASE_NAME), options);
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }

  /** A cached prepared statement. */
  sql(text: string): StatementSync {
    let s = this.#statements.get(text);
    if (!s) {
      s = this.db.prepare(text);
      this.#statements.set(text, s);
    }
    return s;
  }

  /** Runs fn in one transaction (nested calls join the outer one). */
  transaction<T>(fn: () => T): T {
    if (this.db.isTransaction) return fn();
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = fn();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
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

  // ---- search ----

  /**
   * Documents matching a query typed by a person (see search-query.ts: words, "phrases", AND, OR, NOT, prefix*),
   * best match first. Throws {@link InvalidQueryError} for a malformed query.
   */
  search(words: string, limit = 20): SearchHit[] {
    const plan = searchPlan(words);
    if (!plan) return [];
    // Words typed with punctuation inside must occur as typed, which the index alone cannot tell (see search-query.ts).
    const exact = plan.filter ? ` AND ${plan.filter.sql}` : '';
    // The word index makes its own snippets; the CJK index is contentless, so its hits' snippets come from the text.
    const rows = this.sql(
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

  // ---- watch folders and journal ----

  /** The id of the watch folder at `folder`, added (or its settings updated) as given. */
  watchFolder(folder: string, settings: string): number {
    return this.transaction(() => {
      const row = this.sql('SELECT id FROM watch_folders WHERE path = ?').get(folder) as { id: number } | undefined;
      if (row) {
        this.sql('UPDATE watch_folders SET settings = ? WHERE id = ?').run(settings, row.id);
        return row.id;
      }
      return Number(this.sql('INSERT INTO watch_folders (path, settings, created_at) VALUES (?, ?, ?)').run(folder, settings, Date.now()).lastInsertRowid);
    });
  }

  journal(watchId: number): JournalRow[] {
    return this.sql('SELECT * FROM journal WHERE watch_id = ?').all(watchId) as unknown as JournalRow[];
  }

  journalEntry(id: number): JournalRow | undefined {
    return this.sql('SELECT * FROM journal WHERE id = ?').get(id) as JournalRow | undefined;
  }

  /** The journal row of the same file, if it was taken before. */
  findJournal(e: JournalEntry): JournalRow | undefined {
    return this.sql('SELECT * FROM journal WHERE watch_id = ? AND path = ? AND size = ? AND mtime_ms = ? AND sha256 = ?').get(e.watchId, e.path, e.size, e.mtimeMs, e.sha256) as JournalRow | undefined;
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

  /** Forgets a journal row (its file is taken again as new); the document it made stays. */
  forgetJournal(id: number): void {
    this.transaction(() => {
      const row = this.journalEntry(id);
      this.sql('DELETE FROM journal WHERE id = ?').run(id);
      this.audit('journal-forgotten', null, row?.document_id ?? null, row?.path ?? null);
    });
  }

  /** Journal rows whose document ended but whose original file has not been dealt with yet. */
  unsettled(watchId: number): JournalRow[] {
    return this.sql('SELECT * FROM journal WHERE watch_id = ? AND settled = 0 AND outcome IS NOT NULL').all(watchId) as unknown as JournalRow[];
  }

  settle(journalId: number, detail: string): void {
    this.transaction(() => {
      this.sql('UPDATE journal SET settled = 1 WHERE id = ?').run(journalId);
      const row = this.journalEntry(journalId);
      this.audit('original-settled', null, row?.document_id ?? null, detail);
    });
  }

  // ---- settings and audit ----

  setting(key: string): string | undefined {
    return (this.sql('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }

  setSetting(key: string, value: string | undefined): void {
    if (value === undefined) this.sql('DELETE FROM settings WHERE key = ?').run(key);
    else this.sql('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** Appends to the audit trail (never updated or deleted), with the current actor's key and address. */
  audit(event: string, jobId: number | null, documentId: number | null, detail: string | null): void {
    const actor = this.auditActor();
    this.sql('INSERT INTO audit (at, event, job_id, document_id, detail, key_id, address) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      Date.now(), event, jobId, documentId, detail, actor?.keyId ?? null, actor?.address ?? null,
    );
  }
}
