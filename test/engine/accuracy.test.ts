/**
 * Accuracy floors on real pages, scored by the shared scorer (../shared/eval/score.mjs) exactly as the benchmark
 * scores whole sets: one page of each hard kind, so a regression shows here before the benchmark.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_MODEL_DIR, loadModelPack } from '../../app/node/model-pack.ts';
import { decodeImage } from '../../app/worker/decode.ts';
import { OcrEngine, type RecognisedPage } from '../../app/worker/engine/engine.ts';
import { sharedDir, tempDir } from '../helpers.ts';

const evalDir = path.join(sharedDir, 'eval');

/** Scores one page of a set: the engine's result written where score.mjs looks for it. */
async function scorePage(engine: OcrEngine, set: string, image: string, dir: string): Promise<{ cer: number; wordF1: number; page: RecognisedPage }> {
  const id = image.replace(/\.[^.]+$/, '');
  const page = await engine.recognise(await decodeImage(path.join(evalDir, set, 'images', image), 0, 1e8));
  const gtDir = path.join(dir, `${set}-${id}-gt`);
  const predDir = path.join(dir, `${set}-${id}-pred`);
  await mkdir(gtDir, { recursive: true });
  await mkdir(predDir, { recursive: true });
  const gt = path.join(evalDir, set, 'gt', `${id}.gt.json`);
  await copyFile(gt, path.join(gtDir, `${id}.gt.json`));
  await writeFile(path.join(predDir, `${id}.json`), JSON.stringify({ pages: [page] }));
  const out = execFileSync(process.execPath, [path.join(evalDir, 'score.mjs'), '--gt', gtDir, '--pred', predDir, '--json']).toString();
  return { ...(JSON.parse(out) as { cer: number; wordF1: number }), page };
}

/** Scores a page image against ground truth lines written to a temporary set. */
async function scoreImage(engine: OcrEngine, image: string, gt: object, dir: string, name: string): Promise<{ cer: number; wordF1: number }> {
  const gtDir = path.join(dir, `${name}-gt`);
  const predDir = path.join(dir, `${name}-pred`);
  await mkdir(gtDir, { recursive: true });
  await mkdir(predDir, { recursive: true });
  await writeFile(path.join(gtDir, 'page.gt.json'), JSON.stringify(gt));
  const page = await engine.recognise(await decodeImage(image, 0, 1e8));
  await writeFile(path.join(predDir, 'page.json'), JSON.stringify({ pages: [page] }));
  const out = execFileSync(process.execPath, [path.join(evalDir, 'score.mjs'), '--gt', gtDir, '--pred', predDir, '--json']).toString();
  return JSON.parse(out) as { cer: number; wordF1: number };
}

describe('accuracy on hard pages (real model, shared scorer)', () => {
  let engine: OcrEngine;
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => {
    engine = await OcrEngine.create(await loadModelPack(DEFAULT_MODEL_DIR), { threads: 1 });
    ({ dir, cleanup } = await tempDir('accuracy'));
  });
  after(async () => {
    await engine.release();
    await cleanup();
  });

  it('reads a dense 2800 × 1700 table of small figures, lone zeros included', async () => {
    // At cdb8e00: cer 0.34, word F1 0.59 (Tesseract 5: 0.13 / 0.95).
    const { page, ...s } = await scorePage(engine, 'docs-wide-dev', 'nics-background-checks-2015-11.png', dir);
    assert.ok(s.cer <= 0.05 && s.wordF1 >= 0.93, JSON.stringify(s));
    // A row of the table is one line, its cells in order.
    const texts = page.lines.map((l) => l.text);
    assert.ok(texts.includes('Alabama 18,870 23,022 22,650 859 1,178 0 14 15 0 2,179 2,307 11 0 0 0 13 14 0 3 2 0 71,137'), texts.slice(0, 60).join('\n'));
  });

  it('reads the dot leaders between the labels and amounts of a receipt', async () => {
    // Before leaders.ts: "CASH.. RM 70.30" (the detector drops the dots); the receipt prints 20 of them.
    const { page } = await scorePage(engine, 'sroie-dev', '001.jpg', dir);
    const texts = page.lines.map((l) => l.text);
    assert.ok(texts.includes('CASH.................... RM 70.30'), texts.join('\n'));
    assert.ok(texts.some((t) => /^TOTAL AMT\.{15,} RM 60\.31$/.test(t)), texts.join('\n'));
    // A row without a leader keeps its gap: no dots invented.
    assert.ok(texts.includes('#Total Qty 2'), texts.join('\n'));
  });

  it('reads a three-column page column after column', async () => {
    // At cdb8e00: cer 0.14 (Tesseract 5: 0.08); the columns' lines were read across the page.
    const { page, ...s } = await scorePage(engine, 'docs-wide-dev', 'federal-register-2020-17221.png', dir);
    assert.ok(s.cer <= 0.06 && s.wordF1 >= 0.95, JSON.stringify(s));
    const at = (start: string) => page.lines.findIndex((l) => l.text.startsWith(start));
    const sequence = ['(dispatch) of an airplane', 'inoperative systems only', 'unsafe condition on these', 'FOR FURTHER INFORMATION', 'Won, Manager, Seattle', 'placed in the public docket of this'];
    const found = sequence.map(at);
    assert.ok(found.every((i) => i >= 0), JSON.stringify(found));
    assert.deepEqual([...found].sort((a, b) => a - b), found, 'column 1, then column 2, then column 3');
    // Their left edges share the column's margin.
    const x1 = (start: string) => Math.min(...page.lines[at(start)]!.box.map((p) => p[0]));
    assert.equal(x1('(dispatch) of an airplane'), x1('inoperative systems only'));
  });

  it('reads a page rendered at 150 and at 600 dpi alike', async () => {
    // docs-dev's invoice, rendered from its PDF with pdftoppm; the truth boxes (200 dpi) scaled to each resolution.
    const gt = JSON.parse(await readFile(path.join(evalDir, 'docs-dev', 'gt', 'inv_AmazonWebServices.gt.json'), 'utf8')) as { lines: { text: string; box: number[] }[] };
    const scores: Record<number, { cer: number; wordF1: number }> = {};
    for (const dpi of [150, 600]) {
      const base = path.join(dir, `aws-${dpi}`);
      execFileSync('pdftoppm', ['-r', String(dpi), '-f', '1', '-l', '1', '-png', '-singlefile', path.join(sharedDir, 'data', 'pdfs', 'digital', 'inv_AmazonWebServices.pdf'), base]);
      const scaled = { ...gt, lines: gt.lines.map((l) => ({ ...l, box: l.box.map((v) => (v * dpi) / 200) })) };
      scores[dpi] = await scoreImage(engine, `${base}.png`, scaled, dir, `aws-${dpi}`);
    }
    assert.ok(scores[150]!.cer <= 0.03 && scores[600]!.cer <= 0.03, JSON.stringify(scores));
    assert.ok(Math.abs(scores[150]!.cer - scores[600]!.cer) <= 0.01, JSON.stringify(scores));
  });
});
