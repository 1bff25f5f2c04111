import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import * as ort from 'onnxruntime-node';
import { DEFAULT_MODEL_DIR, loadModelPack } from '../../app/node/model-pack.ts';
import { decodeImage } from '../../app/worker/decode.ts';
import { cropLine } from '../../app/worker/engine/crop.ts';
import { keepClasses, rewriteGraph } from '../../app/worker/engine/graph-rewrite.ts';
import { writeChw } from '../../app/worker/engine/raster.ts';
import { phototest } from '../helpers.ts';

async function maxDiff(file: string, input: Float32Array, dims: number[]): Promise<{ diff: number; stats: ReturnType<typeof rewriteGraph>['stats'] }> {
  const bytes = await readFile(file);
  const { bytes: rewritten, stats } = rewriteGraph(bytes);
  const run = async (model: Uint8Array) => {
    const s = await ort.InferenceSession.create(model, { graphOptimizationLevel: 'all', intraOpNumThreads: 1 });
    const out = (await s.run({ [s.inputNames[0]!]: new ort.Tensor('float32', input, dims) }))[s.outputNames[0]!]!.data as Float32Array;
    await s.release();
    return out;
  };
  const [a, b] = [await run(bytes), await run(rewritten)];
  assert.equal(a.length, b.length);
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
  return { diff, stats };
}

describe('graph rewrite', () => {
  it('leaves every model output unchanged on a real page while removing nodes', async () => {
    const pack = await loadModelPack(DEFAULT_MODEL_DIR, { verify: false });
    const m = pack.manifest.models;
    const page = await decodeImage(phototest, 0, 1e8);
    const norm = { channels: 'BGR' as const, scale: 1 / 255, mean: [0.5, 0.5, 0.5] as const, std: [0.5, 0.5, 0.5] as const };

    const crop = cropLine(page, [[30, 30], [600, 30], [600, 75], [30, 75]], 48, 3200).image;
    const recIn = new Float32Array(3 * 48 * crop.width);
    writeChw(crop, norm, recIn, 0, crop.width);
    const rec = await maxDiff(pack.file(m.recognition.file), recIn, [1, 3, 48, crop.width]);
    assert.ok(rec.diff < 1e-4, `recognition output differs by ${rec.diff}`);
    assert.ok(rec.stats.hardSwish > 0 && rec.stats.foldedAfterConv > 0 && rec.stats.nodesAfter < rec.stats.nodesBefore * 0.75, JSON.stringify(rec.stats));
    // The affine shifts in front of padded depthwise convs (13 in the backbone) and the scalar affines before SE.
    assert.ok(rec.stats.affineAsConv >= 13, JSON.stringify(rec.stats));

    const detIn = new Float32Array(3 * 480 * 640);
    writeChw(page, { channels: 'BGR', scale: 1 / 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] }, detIn, 0, 640);
    const det = await maxDiff(pack.file(m.detection.file), detIn, [1, 3, 480, 640]);
    assert.ok(det.diff < 1e-4, `detection output differs by ${det.diff}`);
    assert.ok(det.stats.nodesAfter < det.stats.nodesBefore);
    // Detection's RSE-FPN neck computes x + x·se eight times.
    assert.ok(det.stats.affineAsConv > 0 && det.stats.residualScale === 8, JSON.stringify(det.stats));
  });

  it('keeps only the chosen output classes, with the same best class among them', async () => {
    const pack = await loadModelPack(DEFAULT_MODEL_DIR, { verify: false });
    const file = pack.file(pack.manifest.models.recognition.file);
    const full = rewriteGraph(await readFile(file)).bytes;
    const keep = [0, ...Array.from({ length: 95 }, (_, i) => i + 1), 6624];
    const pruned = keepClasses(full, keep);
    const crop = cropLine(await decodeImage(phototest, 0, 1e8), [[30, 30], [600, 30], [600, 75], [30, 75]], 48, 3200).image;
    const input = new Float32Array(3 * 48 * crop.width);
    writeChw(crop, { channels: 'BGR', scale: 1 / 255, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] }, input, 0, crop.width);
    const run = async (model: Uint8Array) => {
      const s = await ort.InferenceSession.create(model, { graphOptimizationLevel: 'all', intraOpNumThreads: 1 });
      const out = (await s.run({ x: new ort.Tensor('float32', input, [1, 3, 48, crop.width]) }))[s.outputNames[0]!]!;
      await s.release();
      return out;
    };
    const [a, b] = [await run(full), await run(pruned)];
    const frames = a.dims[1]!;
    assert.deepEqual(b.dims, [1, frames, keep.length]);
    const pa = a.data as Float32Array;
    const pb = b.data as Float32Array;
    for (let t = 0; t < frames; t++) {
      let bestA = 0;
      for (let j = 1; j < keep.length; j++) if (pa[t * 6625 + keep[j]!]! > pa[t * 6625 + keep[bestA]!]!) bestA = j;
      let bestB = 0;
      let sum = 0;
      for (let j = 0; j < keep.length; j++) {
        sum += pb[t * keep.length + j]!;
        if (pb[t * keep.length + j]! > pb[t * keep.length + bestB]!) bestB = j;
      }
      assert.equal(bestB, bestA, `frame ${t}`);
      assert.ok(Math.abs(sum - 1) < 1e-4, 'the kept classes are renormalised');
    }
  });
});
