/**
 * How the recognition stage batches crops (real models, a real receipt): every batch's input is its widest crop
 * plus the trailing blank columns, CPU runs stay within the column budget, and the text read is the receipt's.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_MODEL_DIR, loadModelPack, readAlphabet, type ModelPack } from '../../app/node/model-pack.ts';
import { decodeImage } from '../../app/worker/decode.ts';
import { cropLine, type LineCrop } from '../../app/worker/engine/crop.ts';
import { detect, fitScale } from '../../app/worker/engine/detect.ts';
import { DEFAULT_MAX_COLUMNS, DEFAULT_TRAILING_PAD, recognise, type RecogniseOptions } from '../../app/worker/engine/recognise.ts';
import { createOnnxSession, type InferenceSeam } from '../../app/worker/engine/session.ts';
import { sharedDir } from '../helpers.ts';

/** The real session, with the dims of every input it was given. */
function recording(seam: InferenceSeam): { seam: InferenceSeam; dims: number[][] } {
  const dims: number[][] = [];
  return { dims, seam: { ...seam, run: (input) => (dims.push([...input.dims]), seam.run(input)) } };
}

describe('recognition batches (real model)', () => {
  let pack: ModelPack;
  let rec: InferenceSeam;
  let alphabet: readonly string[];
  let crops: LineCrop[];
  let norm: Parameters<typeof recognise>[2];
  const base: RecogniseOptions = { batchSize: 8, widthTolerance: 0.97 };
  before(async () => {
    pack = await loadModelPack(DEFAULT_MODEL_DIR);
    const m = pack.manifest.models;
    const det = await createOnnxSession(pack.file(m.detection.file), { threads: 1, sourceSha256: m.detection.sha256 });
    rec = await createOnnxSession(pack.file(m.recognition.file), { threads: 1, sourceSha256: m.recognition.sha256 });
    alphabet = await readAlphabet(pack);
    const image = await decodeImage(path.join(sharedDir, 'eval', 'sroie-dev', 'images', '011.jpg'), 0, 50_000_000);
    const d = m.detection;
    const found = await detect(det, image, { channels: d.input.channels, scale: d.input.scale, mean: d.input.mean, std: d.input.std }, fitScale(image.width, image.height, 1280), {
      ...d.defaults,
      scoreMode: 'region',
      sizeMultiple: 32,
      tileSize: 1280,
      tileArea: 1152 * 1152,
      tileOverlap: 96,
    });
    await det.release();
    crops = found.boxes.map((b) => cropLine(image, b.box, m.recognition.input.height, m.recognition.input.maxWidth));
    const r = m.recognition.input;
    norm = { channels: r.channels, scale: r.scale, mean: r.mean, std: r.std };
  });
  after(() => rec.release());

  const text = (lines: Awaited<ReturnType<typeof recognise>>['lines']) => lines.map((l) => l.chars.map((c) => c.char).join(''));

  it('pads each batch after its widest crop and keeps CPU runs within the column budget', async () => {
    assert.ok(crops.length > 30, `${crops.length} lines on the receipt`);
    const { seam, dims } = recording(rec);
    const result = await recognise(seam, crops, norm, alphabet, base);
    const widths = crops.map((c) => c.image.width).sort((a, b) => b - a);
    assert.equal(dims.reduce((n, d) => n + d[0]!, 0), crops.length, 'every crop read once, in no padding crops');
    let next = 0;
    for (const [n, , h, w] of dims) {
      assert.equal(h, 48);
      // Batches take the crops widest first.
      assert.equal(w, widths[next]! + DEFAULT_TRAILING_PAD, `batch starting at crop ${next}`);
      assert.ok(n! * w! <= DEFAULT_MAX_COLUMNS || n === 1, `${n} × ${w} within ${DEFAULT_MAX_COLUMNS} columns`);
      next += n!;
    }
    const lines = text(result.lines);
    for (const expected of ['15.00', 'QUANTITY', 'CASH', 'CHANGE']) assert.ok(lines.some((l) => l.includes(expected)), `${expected} in ${JSON.stringify(lines)}`);
  });

  it('splits a batch of equal crops at the column budget, and reads each copy alike', async () => {
    // Eight copies of a line some 300 pixels wide (justified text gives such runs): 4 + 4 within 1280 columns, one
    // run of 8 without the budget.
    const line = crops.reduce((a, b) => (Math.abs(b.image.width - 300) < Math.abs(a.image.width - 300) ? b : a));
    const copies = Array.from({ length: 8 }, () => line);
    const budget = recording(rec);
    const split = text((await recognise(budget.seam, copies, norm, alphabet, base)).lines);
    const per = Math.floor(DEFAULT_MAX_COLUMNS / (line.image.width + DEFAULT_TRAILING_PAD));
    assert.ok(per >= 2 && per < 8, `${per} copies per run`);
    assert.deepEqual(budget.dims.map((d) => d[0]), Array.from({ length: Math.ceil(8 / per) }, (_, i) => Math.min(per, 8 - i * per)));
    const whole = recording(rec);
    const one = text((await recognise(whole.seam, copies, norm, alphabet, { ...base, maxColumns: Infinity })).lines);
    assert.deepEqual(whole.dims.map((d) => d[0]), [8]);
    assert.ok(split[0]!.length > 3, JSON.stringify(split[0]));
    assert.deepEqual([...new Set([...split, ...one])], [split[0]], 'every copy reads the same in either batching');
  });

  it('batches as before with no padding and no budget, and reads nearly the same text', async () => {
    const { seam, dims } = recording(rec);
    const plain = await recognise(seam, crops, norm, alphabet, { ...base, trailingPad: 0, maxColumns: Infinity });
    const widths = crops.map((c) => c.image.width).sort((a, b) => b - a);
    assert.equal(dims[0]![3], widths[0]);
    assert.equal(dims[0]![0], Math.min(8, widths.filter((w) => w >= widths[0]! * 0.97).length));
    const padded = text((await recognise(rec, crops, norm, alphabet, base)).lines);
    const same = text(plain.lines).filter((l, i) => l === padded[i]).length;
    assert.ok(same >= 0.8 * crops.length, `${same} of ${crops.length} lines read alike`);
  });
});
