import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_MODEL_DIR, loadModelPack, readInt8Ranges, type ModelPack } from '../../app/node/model-pack.ts';
import { decodeImage } from '../../app/worker/decode.ts';
import { OcrEngine } from '../../app/worker/engine/engine.ts';
import { pointwiseConvs, quantizePointwise, quantizeWeights, uint8Params } from '../../app/worker/engine/graph-quantize.ts';
import { DEFAULT_QUANTIZE } from '../../app/worker/engine/quantize-options.ts';
import { rewriteGraph } from '../../app/worker/engine/graph-rewrite.ts';
import { Graph, onnx } from '../../app/worker/engine/onnx-graph.ts';
import { DEFAULT_ENGINE_PARAMS } from '../../app/worker/engine/params.ts';
import { phototest, sharedDir } from '../helpers.ts';

const words = (lines: readonly { text: string }[]) => lines.flatMap((l) => l.text.split(/\s+/)).filter(Boolean);

describe('int8 recognition (graph-quantize.ts)', () => {
  let pack: ModelPack;
  before(async () => {
    pack = await loadModelPack(DEFAULT_MODEL_DIR, { verify: false });
  });

  it('uint8 grids hold 0 exactly, and int8 weights round trip within half a step per output channel', () => {
    for (const r of [{ min: -0.375, max: 15.2 }, { min: -30, max: 12 }, { min: 0, max: 4 }]) {
      const { scale, zeroPoint } = uint8Params(r);
      assert.ok(Number.isInteger(zeroPoint) && zeroPoint >= 0 && zeroPoint <= 255);
      assert.ok(scale * 255 >= r.max - r.min - 1e-6, `covers ${JSON.stringify(r)}`);
    }
    const w = Float32Array.from([0.5, -0.25, 0.125, 0, 8, -4, 2, 1]);
    const { q, scales } = quantizeWeights(w, 2);
    // Each channel's scale maps its largest weight to ±127.
    [0.5, 8].forEach((amax, o) => assert.ok(Math.abs(scales[o]! * 127 - amax) < 1e-6, `channel ${o} scale ${scales[o]}`));
    w.forEach((v, i) => assert.ok(Math.abs(q[i]! * scales[i >> 2]! - v) <= (scales[i >> 2]! / 2) * (1 + 1e-6), `weight ${i}`));
  });

  it("rewrites exactly the recogniser's wide pointwise convolutions the pack has ranges for", async () => {
    const int8 = await readInt8Ranges(pack);
    assert.ok(int8, 'the default pack has int8 ranges');
    const rewritten = rewriteGraph(await readFile(pack.file(pack.manifest.models.recognition.file))).bytes;
    const wide = pointwiseConvs(new Graph(onnx.ModelProto.decode(rewritten)), DEFAULT_QUANTIZE);
    assert.ok(wide.length >= 8, `${wide.length} convolutions with ≥ ${DEFAULT_QUANTIZE.minInputChannels} channels in`);
    for (const c of wide) assert.ok(int8.ranges[c.input![0]!] && int8.ranges[c.output![0]!], `ranges for ${c.name}`);
    assert.equal(quantizePointwise(rewritten, int8.ranges, DEFAULT_QUANTIZE).quantized, wide.length);
    assert.equal(quantizePointwise(rewritten, int8.ranges, { minInputChannels: 4096 }).quantized, 0);
    assert.equal(quantizePointwise(rewritten, {}, DEFAULT_QUANTIZE).quantized, 0, 'no ranges, no rewrite');
  });

  it('is off by default', () => assert.equal(DEFAULT_ENGINE_PARAMS.int8.enabled, false));

  describe('reads real pages as float does (OCR_DESK_REC_INT8=1)', () => {
    let int8: OcrEngine;
    let float: OcrEngine;
    before(async () => {
      int8 = await OcrEngine.create(pack, { threads: 1, params: { ...DEFAULT_ENGINE_PARAMS, int8: { ...DEFAULT_ENGINE_PARAMS.int8, enabled: true } } });
      float = await OcrEngine.create(pack, { threads: 1 });
    });
    after(async () => {
      await int8?.release();
      await float?.release();
    });

    for (const file of [phototest, path.join(sharedDir, 'eval', 'sroie-dev', 'images', '001.jpg'), path.join(sharedDir, 'eval', 'funsd-dev', 'images', '0000971160.png')]) {
      it(path.basename(file), async () => {
        const image = await decodeImage(file, 0, 1e8);
        const [a, b] = [words((await int8.recognise(image)).lines), words((await float.recognise(image)).lines)];
        const bag = new Map<string, number>();
        for (const w of b) bag.set(w, (bag.get(w) ?? 0) + 1);
        let same = 0;
        for (const w of a) {
          const left = bag.get(w) ?? 0;
          if (left === 0) continue;
          same++;
          bag.set(w, left - 1);
        }
        const share = (2 * same) / (a.length + b.length);
        assert.ok(b.length > 20 && share >= 0.95, `${(share * 100).toFixed(1)}% of words alike:\n${a.join(' ')}\n${b.join(' ')}`);
      });
    }
  });
});
