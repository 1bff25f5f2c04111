/**
 * The store's connection to its SQLite file: opening it (WAL, `synchronous = NORMAL`, migrations), cached prepared
 * statements, transactions, the settings table and the audit trail. Store extends it with the queue's tables;
 * the modules beside it that take a StoreDatabase (search.ts, journal.ts) need no more than this.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { migrate } from './migrations.ts';

/** Who an audit row is about: the API key and the client's address (null: the local admin or the service). */
export interface AuditActor {
  readonly keyId: string | null;
  readonly address: string | null;
}

export class StoreDatabase {
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
