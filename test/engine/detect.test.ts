import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { quadBounds } from '../../app/common/result.ts';
import { DEFAULT_MODEL_DIR, loadModelPack, type ModelPack } from '../../app/node/model-pack.ts';
import { decodeImage } from '../../app/worker/decode.ts';
import { detect, type DetectOptions } from '../../app/worker/engine/detect.ts';
import { createOnnxSession, type InferenceSeam } from '../../app/worker/engine/session.ts';
import { sharedDir } from '../helpers.ts';

const wide = (name: string) => path.join(sharedDir, 'eval', 'docs-wide-dev', 'images', name);

function iou(a: readonly number[], b: readonly number[]): number {
  const ix = Math.max(0, Math.min(a[2]!, b[2]!) - Math.max(a[0]!, b[0]!));
  const iy = Math.max(0, Math.min(a[3]!, b[3]!) - Math.max(a[1]!, b[1]!));
  const area = (r: readonly number[]) => (r[2]! - r[0]!) * (r[3]! - r[1]!);
  return (ix * iy) / (area(a) + area(b) - ix * iy);
}

describe('detection in tiles (real model)', () => {
  let pack: ModelPack;
  let session: InferenceSeam;
  let options: DetectOptions;
  let norm: Parameters<typeof detect>[2];
  before(async () => {
    pack = await loadModelPack(DEFAULT_MODEL_DIR);
    const m = pack.manifest.models.detection;
    session = await createOnnxSession(pack.file(m.file), { threads: 1, sourceSha256: m.sha256 });
    options = { ...m.defaults, scoreMode: 'region', sizeMultiple: 32, tileSize: 1280, tileArea: 1152 * 1152, tileOverlap: 96 };
    norm = { channels: m.input.channels, scale: m.input.scale, mean: m.input.mean, std: m.input.std };
  });
  after(() => session.release());

  it('finds the same lines in stitched tiles as in one pass, lines across seams included', async () => {
    // The dense table page at 0.78: 2176 × 1312 detection pixels, two by two tiles of 1152 × 704 with seams through it.
    const image = await decodeImage(wide('nics-background-checks-2015-11.png'), 0, 1e8);
    const tiled = await detect(session, image, norm, 0.78, options);
    const whole = await detect(session, image, norm, 0.78, { ...options, tileSize: 2304, tileArea: 2304 * 2304 });
    assert.equal(tiled.runs, 4);
    assert.equal(whole.runs, 1);
    const a = tiled.boxes.map((b) => quadBounds(b.box));
    const b = whole.boxes.map((b) => quadBounds(b.box));
    // The model sees less context in a tile, so small boxes (lone digits) move by a pixel or so; lines match.
    const matched = a.filter((r) => b.some((s) => iou(r, s) > 0.5)).length;
    assert.ok(a.length > 1000, `${a.length} boxes`);
    assert.ok(matched >= 0.97 * b.length && Math.abs(a.length - b.length) <= 0.01 * b.length, `${matched} of ${a.length} tiled boxes match ${b.length}`);
    // The title line crosses the vertical seam: one box, not two halves.
    const seamX = 1088 / 0.78;
    const across = a.filter((r) => r[0] < seamX - 50 && r[2] > seamX + 50);
    assert.ok(across.length > 0, 'a line spans the seam');
  });

  it('skips blank tiles of a large page and still finds its text', async () => {
    // 6182 × 8111 with ten lines in one corner: 20 tiles at 0.63, most of them empty paper.
    const image = await decodeImage(wide('issue-1054-example.png'), 0, 1e8);
    const det = await detect(session, image, norm, 0.63, options);
    assert.ok(det.runs < 10, `${det.runs} model runs`);
    assert.ok(det.boxes.length >= 10, `${det.boxes.length} boxes`);
  });
});
