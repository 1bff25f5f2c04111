import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { DataDirBusyError, StoreMigrationError, StoreVersionError } from '../app/common/errors.ts';
import { LOCK_NAME, lockDataDir } from '../app/main/store/lock.ts';
import { migrate, SCHEMA_VERSION, schemaVersion } from '../app/main/store/migrations.ts';
import { PRIORITY, Store } from '../app/main/store/store.ts';
import { tempDir } from './helpers.ts';

const settings = JSON.stringify({ formats: ['json'], pageOptions: {}, models: 'm' });

test('a new store is at the latest schema version, in WAL mode', async () => {
  const { dir, cleanup } = await tempDir('store');
  try {
    const store = Store.inDir(dir);
    assert.equal(store.migratedFrom, 0);
    assert.equal(schemaVersion(store.db), SCHEMA_VERSION);
    assert.equal((store.db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode, 'wal');
    const tables = (store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name);
    for (const t of ['jobs', 'documents', 'pages', 'results', 'edits', 'watch_folders', 'journal', 'settings', 'audit', 'documents_fts']) assert.ok(tables.includes(t), t);
    store.close();
  } finally {
    await cleanup();
  }
});

test('an old-version database file is migrated, keeping its data and indexing its stored text', async () => {
  const { dir, cleanup } = await tempDir('store-old');
  try {
    const file = path.join(dir, 'ocr-desk.db');
    // A database as version 1 left it, with one finished document.
    const old = new DatabaseSync(file);
    migrate(old, file, 1);
    assert.equal(schemaVersion(old), 1);
    old.exec(`INSERT INTO jobs (id, kind, priority, state, settings, created_at, updated_at) VALUES (1, 'interactive', 10, 'done', '${settings}', 0, 0);
      INSERT INTO documents (id, job_id, source_path, output_base, state, created_at, updated_at) VALUES (1, 1, '/in/receipt.jpg', '/out/receipt', 'done', 0, 0);
      INSERT INTO results (document_id, content_key, document, text) VALUES (1, 'k', '{}', 'TOTAL RM 12.50 thank you');`);
    old.close();

    const store = new Store(file);
    assert.equal(store.migratedFrom, 1);
    assert.equal(schemaVersion(store.db), SCHEMA_VERSION);
    assert.equal(store.job(1)?.state, 'done');
    assert.deepEqual(store.search('thank').map((h) => h.path), ['/in/receipt.jpg']);
    store.close();
  } finally {
    await cleanup();
  }
});

test('a database a step cannot be applied to (a development build made its tables) is refused with StoreMigrationError, that step undone', async () => {
  const { dir, cleanup } = await tempDir('store-foreign');
  try {
    const file = path.join(dir, 'ocr-desk.db');
    const db = new DatabaseSync(file);
    migrate(db, file, SCHEMA_VERSION - 1);
    db.exec('CREATE TABLE page_versions (x INTEGER)');
    db.close();
    assert.throws(() => new Store(file), (error: unknown) => {
      assert.ok(error instanceof StoreMigrationError);
      assert.equal(error.kind, 'store-migration');
      assert.match(error.message, new RegExp(`could not be brought from schema version ${SCHEMA_VERSION - 1} to ${SCHEMA_VERSION} \\(table page_versions already exists\\); that step was undone\\. It may come from a development build`));
      return true;
    });
    const after = new DatabaseSync(file);
    assert.equal(schemaVersion(after), SCHEMA_VERSION - 1);
    after.close();
  } finally {
    await cleanup();
  }
});

test('a database from a newer OCR Desk is refused with StoreVersionError', async () => {
  const { dir, cleanup } = await tempDir('store-new');
  try {
    const file = path.join(dir, 'ocr-desk.db');
    const db = new DatabaseSync(file);
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    assert.throws(() => new Store(file), (e: unknown) => e instanceof StoreVersionError && /newer OCR Desk/.test(e.message));
  } finally {
    await cleanup();
  }
});

test('nextDocument: higher priority first (an interactive drop goes ahead of a hot-folder backlog), then job order', async () => {
  const { dir, cleanup } = await tempDir('store-prio');
  try {
    const store = Store.inDir(dir);
    const backlog = store.addJob('hotfolder', PRIORITY.hotfolder, settings, [{ path: '/h/1', outputBase: '/o/1' }, { path: '/h/2', outputBase: '/o/2' }]);
    const drop = store.addJob('interactive', PRIORITY.interactive, settings, [{ path: '/i/1', outputBase: '/o/i1' }]);
    assert.equal(store.nextDocument()?.id, drop.documentIds[0]);
    assert.equal(store.nextDocument(new Set(drop.documentIds))?.id, backlog.documentIds[0]);
    store.setJobState(drop.jobId, 'paused');
    assert.equal(store.nextDocument()?.id, backlog.documentIds[0], 'a paused job is passed over');
    store.setDocumentState(backlog.documentIds[0]!, 'running');
    assert.equal(store.nextDocument()?.id, backlog.documentIds[1]);
    store.close();
  } finally {
    await cleanup();
  }
});

test('journal: a file is taken once per path, size, mtime and hash; outcome follows its document', async () => {
  const { dir, cleanup } = await tempDir('store-journal');
  try {
    const store = Store.inDir(dir);
    const watchId = store.watchFolder('/watched', '{}');
    assert.equal(store.watchFolder('/watched', '{"x":1}'), watchId);
    const entry = { watchId, path: '/watched/a.png', size: 10, mtimeMs: 1.5, sha256: 'abc' };
    const row = store.takeFile(entry, settings, '/out/a.png');
    assert.equal(store.findJournal(entry)?.id, row.id);
    assert.throws(() => store.takeFile(entry, settings, '/out/a.png'), /UNIQUE/);
    assert.equal(store.document(row.document_id!)?.sha256, 'abc');
    store.beginWriting(row.document_id!, 'key', '{}', 'hello journal', [], false);
    store.finishDocument(row.document_id!);
    assert.equal(store.journalEntry(row.id)?.outcome, 'done');
    assert.deepEqual(store.unsettled(watchId).map((r) => r.id), [row.id]);
    store.settle(row.id, 'kept');
    assert.deepEqual(store.unsettled(watchId), []);
    assert.equal(store.search('journal')[0]?.documentId, row.document_id);
    store.close();
  } finally {
    await cleanup();
  }
});

test('search takes plain words: every word must occur, prefixes match', async () => {
  const { dir, cleanup } = await tempDir('store-fts');
  try {
    const store = Store.inDir(dir);
    const { documentIds } = store.addJob('interactive', 10, settings, [{ path: '/a', outputBase: '/oa' }, { path: '/b', outputBase: '/ob' }]);
    store.beginWriting(documentIds[0]!, 'k1', '{}', 'Café invoice number 4711', [], false);
    store.finishDocument(documentIds[0]!);
    store.beginWriting(documentIds[1]!, 'k2', '{}', 'receipt total 12.50', [], false);
    store.finishDocument(documentIds[1]!);
    assert.deepEqual(store.search('cafe invoice').map((h) => h.path), ['/a']);
    assert.deepEqual(store.search('rece').map((h) => h.path), ['/b']);
    assert.deepEqual(store.search('invoice receipt'), []);
    assert.match(store.search('4711')[0]!.snippet, /\[4711\]/);
    store.close();
  } finally {
    await cleanup();
  }
});

test('one working process per data folder: a live owner refuses, a dead one is taken over', async () => {
  const { dir, cleanup } = await tempDir('store-lock');
  const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  try {
    await writeFile(path.join(dir, LOCK_NAME), String(sleeper.pid));
    assert.throws(() => lockDataDir(dir), (e: unknown) => e instanceof DataDirBusyError && e.message.includes(`process ${sleeper.pid}`));
    sleeper.kill('SIGKILL');
    await new Promise((r) => sleeper.once('exit', r));
    const unlock = lockDataDir(dir);
    assert.equal(await readFile(path.join(dir, LOCK_NAME), 'utf8'), String(process.pid));
    unlock();
    await assert.rejects(readFile(path.join(dir, LOCK_NAME)), { code: 'ENOENT' });
  } finally {
    sleeper.kill('SIGKILL');
    await cleanup();
  }
});
