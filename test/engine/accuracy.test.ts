/**
 * Accuracy floors on real pages, scored by the shared scorer (../shared/eval/score.mjs) exactly as the benchmark
 * scores whole sets: one page of each hard kind, so a regression shows here before the benchmark.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_MODEL_DIR, loadModelPack } from '../../app/node/model-pack.ts';
import { decodeImage } from '../../app/worker/decode.ts';
import { OcrEngine } from '../../app/worker/engine/engine.ts';
import { sharedDir, tempDir } from '../helpers.ts';

const evalDir = path.join(sharedDir, 'eval');

/** Scores one page of a set: the engine's result written where score.mjs looks for it. */
async function scorePage(engine: OcrEngine, set: string, image: string, dir: string): Promise<{ cer: number; wordF1: number }> {
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
    const s = await scorePage(engine, 'docs-wide-dev', 'nics-background-checks-2015-11.png', dir);
    assert.ok(s.cer <= 0.05 && s.wordF1 >= 0.93, JSON.stringify(s));
  });
});
