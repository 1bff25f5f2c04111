/**
 * Chinese search: FTS5's word tokenizer keeps a run of CJK characters as one token, so only a run's start could be
 * found. The CJK index (migration 4) must find any word of two or more characters anywhere inside a run.
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { documentText, RESULT_VERSION, type OcrDocument, type OcrPage } from '../app/common/result.ts';
import { WorkerPool } from '../app/main/pool/worker-pool.ts';
import { cjkIndexText, cjkQueryTokens } from '../app/main/store/cjk-index.ts';
import { migrate, SCHEMA_VERSION, schemaVersion } from '../app/main/store/migrations.ts';
import { Store } from '../app/main/store/store.ts';
import { sharedDir, tempDir } from './helpers.ts';

const labReport = path.join(sharedDir, 'eval', 'zh-dev', 'images', 'issue-461-example.png');
const settings = JSON.stringify({ formats: ['json'], pageOptions: { languages: ['zh'] }, models: 'm' });

/** Stores `text` as the finished result of a new document at `file`, as the queue does. */
function storeText(store: Store, file: string, text: string, page?: OcrPage): number {
  const { documentIds } = store.addJob('interactive', 10, settings, [{ path: file, outputBase: `${file}.out` }]);
  const id = documentIds[0]!;
  if (page) store.savePage(id, 0, JSON.stringify(page));
  store.beginWriting(id, `key-${id}`, '{}', text, [], false);
  store.finishDocument(id);
  return id;
}

describe('CJK index text', () => {
  it('cuts runs of CJK characters into bigrams and the run-final character, apart from Latin words', () => {
    assert.equal(cjkIndexText('白细胞计数(WBC)').trim().split(/\s+/).join(' '), '白细 细胞 胞计 计数 数 (WBC)');
    assert.equal(cjkIndexText('年龄：50岁').trim().split(/\s+/).join(' '), '年龄 龄 ：50 岁');
    assert.equal(cjkIndexText('invoice 4711'), 'invoice 4711');
  });

  it('turns a query word into the same tokens, as a phrase whose end may continue in the text', () => {
    const exact = { prefix: false, followed: false };
    assert.deepEqual(cjkQueryTokens('细胞', exact), { tokens: ['细胞'], prefix: false });
    assert.deepEqual(cjkQueryTokens('白细胞计数', exact), { tokens: ['白细', '细胞', '胞计', '计数'], prefix: false });
    assert.deepEqual(cjkQueryTokens('数', exact), { tokens: ['数'], prefix: true });
    // A run followed by more of the word ends there in the text too, so it carries its final character.
    assert.deepEqual(cjkQueryTokens('计数WBC', exact), { tokens: ['计数', '数', 'WBC'], prefix: false });
    assert.deepEqual(cjkQueryTokens('WBC白细胞', { prefix: true, followed: false }), { tokens: ['WBC', '白细', '细胞'], prefix: false });
    assert.deepEqual(cjkQueryTokens('细胞', { prefix: false, followed: true }), { tokens: ['细胞', '胞'], prefix: false });
  });
});

describe('Chinese search', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ dir, cleanup } = await tempDir('search-cjk'));
  });
  after(() => cleanup());

  it('finds words inside a run of characters in the real recognised text of a Chinese lab report', async () => {
    const pool = new WorkerPool({ workers: 1, threads: 2 });
    let page: OcrPage;
    try {
      ({ page } = await pool.recognisePage(labReport, 0, { languages: ['zh'] }));
    } finally {
      await pool.close();
    }
    const doc: OcrDocument = { version: RESULT_VERSION, source: { path: labReport, name: 'issue-461-example.png' }, engine: { models: 'm', createdAt: '' }, pages: [page] };
    const text = documentText(doc);
    for (const w of ['计数', '细胞', '白细胞']) assert.ok(text.includes(w), `the page reads ${w}`);

    const store = Store.inDir(path.join(dir, 'real'));
    try {
      const id = storeText(store, labReport, text, page);
      storeText(store, '/in/receipt.jpg', 'TOTAL RM 12.50 thank you');
      // Inside runs such as 白细胞计数(WBC), 中性粒细胞百分比, at their start, middle and end.
      for (const w of ['计数', '细胞', '白细胞', '粒细胞', '百分比', '血小板', '仪器法', '胞计']) {
        assert.deepEqual(store.search(w).map((h) => h.documentId), [id], w);
      }
      assert.match(store.search('计数')[0]!.snippet, /\[计数\]/);
      // Every word must occur, as before; a Latin word in a Chinese query is found too.
      assert.deepEqual(store.search('细胞 WBC').map((h) => h.documentId), [id]);
      assert.deepEqual(store.search('细胞 thank'), []);
      assert.deepEqual(store.search('肝功能'), [], 'a word that is not on the page');
      assert.deepEqual(store.search('胞细'), [], 'the characters in another order');
    } finally {
      store.close();
    }
  });

  it('migration 4 indexes the Chinese results already stored by an older version', async () => {
    const file = path.join(dir, 'old', 'ocr-desk.db');
    await mkdir(path.dirname(file));
    const old = new DatabaseSync(file);
    migrate(old, file, 3);
    old.exec(`INSERT INTO jobs (id, kind, priority, state, settings, created_at, updated_at) VALUES (1, 'interactive', 10, 'done', '${settings}', 0, 0);
      INSERT INTO documents (id, job_id, source_path, output_base, state, created_at, updated_at) VALUES (1, 1, '/in/report.png', '/out/report', 'done', 0, 0);
      INSERT INTO results (document_id, content_key, document, text) VALUES (1, 'k', '{}', '项目 检验方法\n白细胞计数(WBC) 仪器法 3.9\n平均红细胞体积 (MCV)');
      INSERT INTO documents_fts (rowid, text) SELECT document_id, text FROM results;`);
    old.close();

    const store = new Store(file);
    try {
      assert.equal(store.migratedFrom, 3);
      assert.equal(schemaVersion(store.db), SCHEMA_VERSION);
      for (const w of ['计数', '细胞', '红细胞体积', '方法']) assert.deepEqual(store.search(w).map((h) => h.path), ['/in/report.png'], w);
      // A document finished again (recognised anew) replaces its entry rather than adding a second one.
      const other = storeText(store, '/in/other.png', '血红蛋白');
      assert.deepEqual(store.search('红蛋').map((h) => h.path), ['/in/other.png']);
      store.beginWriting(other, 'k2', '{}', '血小板计数', [], false);
      store.finishDocument(other);
      assert.deepEqual(store.search('红蛋'), []);
      assert.deepEqual(store.search('小板').map((h) => h.path), ['/in/other.png']);
    } finally {
      store.close();
    }
  });
});
