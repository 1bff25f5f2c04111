/**
 * The store's schema history. Each step moves the database from version `i` to `i + 1` (the version is SQLite's
 * `PRAGMA user_version`) and runs in one transaction with the version bump, so a crash mid-migration leaves the old
 * version intact. Steps are never edited once released: a change is a new step at the end.
 */
import type { DatabaseSync } from 'node:sqlite';
import { oneLine, StoreMigrationError, StoreVersionError } from '../../common/errors.ts';
import { CJK_INDEX_FUNCTION, cjkIndexText } from './cjk-index.ts';

export const MIGRATIONS: readonly string[] = [
  // 1: the queue. A job is a list of documents (input files); a document is a list of pages, each stored as soon as
  // it is recognised, so work resumes page by page after a crash.
  `
  CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('interactive', 'hotfolder')),
    priority INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL,
    settings TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    job_id INTEGER NOT NULL REFERENCES jobs(id),
    source_path TEXT NOT NULL,
    output_base TEXT NOT NULL,
    state TEXT NOT NULL,
    sha256 TEXT,
    bytes INTEGER,
    content_key TEXT,
    page_count INTEGER,
    reused INTEGER NOT NULL DEFAULT 0,
    error_kind TEXT,
    error_message TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX documents_by_state ON documents(state, job_id);
  CREATE INDEX documents_by_job ON documents(job_id);
  CREATE TABLE pages (
    document_id INTEGER NOT NULL REFERENCES documents(id),
    idx INTEGER NOT NULL,
    result TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (document_id, idx)
  ) WITHOUT ROWID;
  CREATE TABLE results (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id),
    content_key TEXT NOT NULL,
    document TEXT NOT NULL,
    text TEXT NOT NULL
  );
  CREATE INDEX results_by_content ON results(content_key);
  CREATE TABLE outputs (
    document_id INTEGER NOT NULL REFERENCES documents(id),
    format TEXT NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (document_id, format)
  ) WITHOUT ROWID;
  `,
  // 2: hot folders and their journal (one row per file taken, keyed by path, size, mtime and content hash), settings,
  // edits made in the result editor, and an audit trail.
  `
  CREATE TABLE watch_folders (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    settings TEXT NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE journal (
    id INTEGER PRIMARY KEY,
    watch_id INTEGER NOT NULL REFERENCES watch_folders(id),
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ms REAL NOT NULL,
    sha256 TEXT NOT NULL,
    document_id INTEGER REFERENCES documents(id),
    outcome TEXT CHECK (outcome IN ('done', 'failed')),
    settled INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    UNIQUE (watch_id, path, size, mtime_ms, sha256)
  );
  CREATE INDEX journal_by_document ON journal(document_id);
  CREATE INDEX journal_unsettled ON journal(watch_id) WHERE settled = 0;
  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE edits (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    page INTEGER NOT NULL,
    line INTEGER NOT NULL,
    before TEXT NOT NULL,
    after TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    event TEXT NOT NULL,
    job_id INTEGER,
    document_id INTEGER,
    detail TEXT
  );
  CREATE INDEX audit_by_document ON audit(document_id);
  `,
  // 3: full-text search over recognised text (rowid = document id), filled from the results stored so far.
  `
  CREATE VIRTUAL TABLE documents_fts USING fts5(text, tokenize = 'unicode61 remove_diacritics 2');
  INSERT INTO documents_fts(rowid, text) SELECT document_id, text FROM results;
  `,
  // 4: a second full-text index beside the word index, for Chinese, Japanese and Korean, whose runs of characters
  // the word index holds as single tokens (see cjk-index.ts). It indexes the same documents as documents_fts (all
  // of their text, so a query mixing CJK and Latin words needs only this one), from the text rewritten by the
  // ocr_desk_cjk_index() function. Contentless: results.text already holds the text, and snippets come from there.
  `
  CREATE VIRTUAL TABLE documents_cjk USING fts5(text, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2');
  INSERT INTO documents_cjk(rowid, text)
    SELECT document_id, ocr_desk_cjk_index(text) FROM results WHERE document_id IN (SELECT rowid FROM documents_fts);
  `,
  // 5: the OCR service. Jobs get a label, their output folder, a resume key (an interrupted batch is taken up again)
  // an idempotency key (a retried upload is not a second job) and `force` (recognise again, reusing nothing).
  // Documents may have no output files (results kept in the store only), keep their probe and its work estimate
  // (largest first), their page notes (unusable text layers, language hints), and may own their source (an
  // uploaded copy, deleted with the document). SQLite cannot drop NOT NULL from a column, so documents is rebuilt.
  `
  ALTER TABLE jobs ADD COLUMN label TEXT NOT NULL DEFAULT '';
  ALTER TABLE jobs ADD COLUMN output_dir TEXT;
  ALTER TABLE jobs ADD COLUMN resume_key TEXT;
  ALTER TABLE jobs ADD COLUMN idempotency_key TEXT;
  ALTER TABLE jobs ADD COLUMN force INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX jobs_by_resume_key ON jobs(resume_key) WHERE resume_key IS NOT NULL;
  CREATE UNIQUE INDEX jobs_by_idempotency_key ON jobs(idempotency_key) WHERE idempotency_key IS NOT NULL;
  CREATE TABLE documents_v5 (
    id INTEGER PRIMARY KEY,
    job_id INTEGER NOT NULL REFERENCES jobs(id),
    source_path TEXT NOT NULL,
    output_base TEXT,
    state TEXT NOT NULL,
    sha256 TEXT,
    bytes INTEGER,
    content_key TEXT,
    page_count INTEGER,
    probe TEXT,
    work REAL NOT NULL DEFAULT 0,
    owned_source INTEGER NOT NULL DEFAULT 0,
    notes TEXT,
    reused INTEGER NOT NULL DEFAULT 0,
    error_kind TEXT,
    error_message TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  INSERT INTO documents_v5 (id, job_id, source_path, output_base, state, sha256, bytes, content_key, page_count, reused, error_kind, error_message, created_at, updated_at)
    SELECT id, job_id, source_path, output_base, state, sha256, bytes, content_key, page_count, reused, error_kind, error_message, created_at, updated_at FROM documents;
  DROP TABLE documents;
  ALTER TABLE documents_v5 RENAME TO documents;
  CREATE INDEX documents_by_state ON documents(state, job_id);
  CREATE INDEX documents_by_job ON documents(job_id);
  CREATE INDEX documents_by_update ON documents(updated_at);
  ALTER TABLE journal ADD COLUMN updated_at INTEGER;
  UPDATE journal SET updated_at = created_at;
  `,
  // 6: the LAN node. API keys, kept as SHA-256 hashes of random keys (never the key), with their scopes and an optional
  // webhook; who did what in the audit trail (the key and the client's address); webhooks waiting to be delivered,
  // with their attempts (they survive a restart). Self-contained: it touches only its own tables and adds columns.
  `
  CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    scopes TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    webhook_url TEXT,
    webhook_secret TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at INTEGER
  );
  ALTER TABLE audit ADD COLUMN key_id TEXT;
  ALTER TABLE audit ADD COLUMN address TEXT;
  CREATE INDEX audit_by_key ON audit(key_id);
  CREATE TABLE webhooks (
    id INTEGER PRIMARY KEY,
    job_id INTEGER NOT NULL,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    key_id TEXT,
    state TEXT NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'due', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at INTEGER,
    last_error TEXT,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX webhooks_by_job ON webhooks(job_id);
  CREATE INDEX webhooks_due ON webhooks(state, next_at);
  `,
  // 7: the result editor. Every saved version of an edited page: version 0 is the page as OCR read it (kept when the
  // page is first edited, never changed), each save or revert adds the next, with the edits that made it (JSON), who
  // and when. The document's result (results.document, its text and search entries) holds each page's newest
  // version. Self-contained: it only adds this table.
  `
  CREATE TABLE page_versions (
    document_id INTEGER NOT NULL REFERENCES documents(id),
    page INTEGER NOT NULL,
    version INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('ocr', 'edit', 'revert')),
    result TEXT NOT NULL,
    edits TEXT,
    author TEXT,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (document_id, page, version)
  ) WITHOUT ROWID;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function schemaVersion(db: DatabaseSync): number {
  return (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
}

/** SQL functions the migrations and the store's statements call; they live on the connection, not in the file. */
export function registerFunctions(db: DatabaseSync): void {
  db.function(CJK_INDEX_FUNCTION, { deterministic: true }, (text) => cjkIndexText(String(text ?? '')));
}

/**
 * Brings the database up to `target` (default: the latest), one transaction per step. Throws
 * {@link StoreVersionError} for a database newer than this code.
 */
export function migrate(db: DatabaseSync, file: string, target = SCHEMA_VERSION): number {
  registerFunctions(db);
  const from = schemaVersion(db);
  if (from > SCHEMA_VERSION) throw new StoreVersionError(file, from, SCHEMA_VERSION);
  if (from >= target) return from;
  // A step that rebuilds a table drops the old one, which foreign keys would refuse; as SQLite's ALTER TABLE
  // procedure says, they are switched off for the migration (outside any transaction) and checked before each commit.
  const fk = (db.prepare('PRAGMA foreign_keys').get() as { foreign_keys: number }).foreign_keys;
  db.exec('PRAGMA foreign_keys = OFF');
  try {
    for (let v = from; v < target; v++) {
      db.exec('BEGIN IMMEDIATE');
      try {
        db.exec(MIGRATIONS[v]!);
        const broken = db.prepare('PRAGMA foreign_key_check').all();
        if (broken.length > 0) throw new Error(`Migration to version ${v + 1} of ${file} would break ${broken.length} reference(s): ${JSON.stringify(broken[0])}`);
        db.exec(`PRAGMA user_version = ${v + 1}`);
        db.exec('COMMIT');
      } catch (error) {
        db.exec('ROLLBACK');
        throw new StoreMigrationError(file, v, v + 1, oneLine((error as Error).message));
      }
    }
  } finally {
    db.exec(`PRAGMA foreign_keys = ${fk ? 'ON' : 'OFF'}`);
  }
  return from;
}
