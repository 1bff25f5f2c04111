/**
 * Wrong language, no hint: a Chinese page read with the default `-l en` lost every Chinese word without a word of
 * explanation. Now a page that reads far better with another installed language says so in its result and in the
 * summary. The decision is pure (language-hint.ts); the real models decide on a real Chinese lab report (hint) and
 * an English receipt (none).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { documentSchema, type OcrDocument } from '../app/common/result.ts';
import { pageNotes } from '../app/common/page-notes.ts';
import { formatSummary } from '../app/main/cli/summary.ts';
import { languageHint, lineReading, needsLanguageCheck, type LineReading } from '../app/worker/engine/language-hint.ts';
import { cliMain, receipts, repoRoot, sharedDir, tempDir } from './helpers.ts';

const labReport = path.join(sharedDir, 'eval', 'zh-dev', 'images', 'issue-461-example.png');
const read = (text: string, confidence = 0.95, coverage = 1): LineReading => ({ text, confidence, coverage });

describe('language hint decision', () => {
  it('measures how much of a line its reading fills', () => {
    const chars = [...'TOTAL'].map((char) => ({ char, prob: 0.9 }));
    const r = lineReading(chars, { width: 5 * 0.55 * 48, height: 48 });
    assert.deepEqual([r.text, r.confidence.toFixed(2), r.coverage.toFixed(2)], ['TOTAL', '0.90', '1.00']);
    // 性别：男 read as English: one colon on a line four characters wide.
    assert.ok(lineReading([{ char: ':', prob: 0.99 }], { width: 4 * 48, height: 48 }).coverage < 0.35);
    assert.equal(lineReading([], { width: 100, height: 48 }).confidence, 0);
  });

  it('checks a page only when many of its lines read poorly, and never when zh was chosen', () => {
    const poor = [read(':', 0.99, 0.14), read('', 0, 0), ...Array.from({ length: 6 }, () => read('2.33'))];
    assert.equal(needsLanguageCheck(['en'], poor, 0.6), true, '2 of 8 lines read poorly');
    assert.equal(needsLanguageCheck(['en'], [read(':', 0.99, 0.14), ...Array.from({ length: 9 }, () => read('TOTAL'))], 0.6), false, '1 of 10');
    assert.equal(needsLanguageCheck(['en', 'zh'], poor, 0.6), false);
    assert.equal(needsLanguageCheck(['en'], poor.slice(0, 2), 0.6), false, 'too few lines to judge');
  });

  it('hints at zh when the other reading finds the Chinese the first one missed, confidently', () => {
    const chosen = [read('(WBC)'), read(':')];
    const hint = languageHint(['en'], chosen, [read('白细胞计数(WBC)'), read('性别：男')]);
    assert.deepEqual(hint?.suggested, ['en', 'zh']);
    assert.equal(hint?.reason, 'with -l en, 2 of its lines read as 6 characters; with zh, as 14, 8 of them Chinese (mean confidence 0.95)');
    assert.equal(languageHint(['en'], chosen, [read('白细胞计数(WBC)', 0.4), read('性别：男', 0.4)]), undefined, 'not confident');
    assert.equal(languageHint(['en'], chosen, [read('(WBC) total'), read(': amount')]), undefined, 'more Latin is not a language hint');
    assert.equal(languageHint(['en'], [read('白细胞计数(WBC)')], [read('白细胞计数(WBC)')]), undefined, 'nothing gained');
  });

  it('the summary says which pages look like zh and how to rerun', () => {
    const page = { index: 0, width: 10, height: 10, orientation: 0, lines: [], blocks: [], languageHint: { suggested: ['en', 'zh'], reason: 'because' } } as const;
    const notes = [...pageNotes([page]).map((n) => ({ path: '/in/a.png', ...n })), ...pageNotes([page, { ...page, index: 1 }]).map((n) => ({ path: '/in/b.pdf', ...n }))];
    const text = formatSummary({ files: { total: 2, ok: 2, failed: 0, skipped: 0, reused: 0, unfinished: 0 }, failures: [], pages: 3, elapsedMs: 1000, pagesPerSecond: 3, stageTotalsMs: { decodeMs: 0, detectMs: 0, classifyMs: 0, recogniseMs: 0, layoutMs: 0 }, notes });
    assert.match(text, /Notes \(3\):\n {2}\/in\/a\.png page 1\n {4}looks like zh: because\n/);
    assert.match(text, /\n3 pages look like zh; rerun with -l en,zh\n$/);
  });
});

describe('language hint with the real models', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let stdout = '';
  before(async () => {
    ({ dir, cleanup } = await tempDir('language-hint'));
    const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OCR_DESK_'))), OCR_DESK_DATA_DIR: path.join(dir, 'data') };
    // The default languages: en.
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, [cliMain, labReport, receipts[0]!, '--out', path.join(dir, 'out'), '-w', '2', '-t', '1'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'ignore'] });
      child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
      child.on('error', reject);
      child.on('close', resolve);
    });
    assert.equal(code, 0, stdout);
  });
  after(() => cleanup());
  const result = async (rel: string) => documentSchema.parse(JSON.parse(await readFile(path.join(dir, 'out', rel), 'utf8'))) as OcrDocument;

  it('a Chinese lab report read with -l en gets a hint to rerun with en,zh, in its result and the summary', async () => {
    const doc = await result('zh-dev/images/issue-461-example.json');
    const hint = doc.pages[0]!.languageHint;
    assert.deepEqual(hint?.suggested, ['en', 'zh']);
    assert.match(hint!.reason, /^with -l en, 8 of its lines read as \d+ characters; with zh, as \d+, \d+ of them Chinese \(mean confidence (0\.\d\d|1\.00)\)$/);
    assert.match(stdout, /zh-dev\/images\/issue-461-example\.png page 1\n {4}looks like zh: /);
    assert.match(stdout, /^1 page looks like zh; rerun with -l en,zh$/m);
  });

  it('an English receipt read with -l en gets none', async () => {
    const doc = await result('sroie-dev/images/000.json');
    assert.equal(doc.pages[0]!.languageHint, undefined);
    assert.ok(doc.pages[0]!.lines.length > 20, 'and was read');
    assert.doesNotMatch(stdout, /000\.jpg page/);
  });
});
