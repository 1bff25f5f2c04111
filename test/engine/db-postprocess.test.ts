import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { binarize, boxesFromMap, DEFAULT_DB_PARAMS, findRegions, unclip } from '../../app/worker/engine/db-postprocess.ts';
import { minAreaRect } from '../../app/worker/engine/geometry.ts';

/** A probability map with filled axis-aligned rectangles [x1, y1, x2, y2] (inclusive) at probability p. */
function map(width: number, height: number, rects: [number, number, number, number][], p = 0.9) {
  const data = new Float32Array(width * height);
  for (const [x1, y1, x2, y2] of rects) for (let y = y1; y <= y2; y++) for (let x = x1; x <= x2; x++) data[y * width + x] = p;
  return { data, width, height };
}

describe('DB post-processing', () => {
  it('binarises strictly above the threshold', () => {
    const m = { data: Float32Array.from([0.1, 0.29, 0.31, 0.9]), width: 4, height: 1 };
    assert.deepEqual([...binarize(m, 0.3)], [0, 0, 1, 1]);
  });

  it('finds 8-connected regions, largest first, with their mean probability', () => {
    const m = map(20, 10, [[1, 1, 8, 3], [12, 6, 14, 7]]);
    // A diagonal neighbour joins a region under 8-connectivity.
    m.data[4 * 20 + 9] = 0.5;
    const regions = findRegions(binarize(m, 0.3), 20, 10, m.data);
    assert.equal(regions.length, 2);
    assert.equal(regions[0]!.pixels, 8 * 3 + 1);
    assert.equal(regions[1]!.pixels, 6);
    assert.ok(Math.abs(regions[1]!.score - 0.9) < 1e-6);
    assert.ok(regions[0]!.score < 0.9 && regions[0]!.score > 0.88);
  });

  it('finds the same boxes and scores in a byte map (a stitched page map) as in the float one', () => {
    const m = map(60, 30, [[5, 5, 40, 12], [10, 18, 50, 24]], 0.8);
    m.data[7 * 60 + 20] = 0.31;
    const bytes = { data: Uint8Array.from(m.data, (v) => Math.round(v * 255)), width: 60, height: 30, scale: 1 / 255 };
    const source = { width: 60, height: 30, scaleX: 1, scaleY: 1 };
    const floats = boxesFromMap(m, DEFAULT_DB_PARAMS, source);
    const quantised = boxesFromMap(bytes, DEFAULT_DB_PARAMS, source);
    assert.equal(floats.length, 2);
    assert.deepEqual(quantised.map((b) => b.box), floats.map((b) => b.box));
    quantised.forEach((b, i) => assert.ok(Math.abs(b.score - floats[i]!.score) < 1 / 255));
    assert.deepEqual([...binarize(bytes, 0.3)], [...binarize(m, 0.3)]);
  });

  it('fits the minimum-area rectangle of a rotated rectangle', () => {
    const a = Math.PI / 6;
    const pts: [number, number][] = [];
    for (let u = 0; u <= 40; u += 2) for (let v = 0; v <= 10; v += 2) pts.push([100 + u * Math.cos(a) - v * Math.sin(a), 50 + u * Math.sin(a) + v * Math.cos(a)]);
    const r = minAreaRect(pts);
    assert.ok(Math.abs(Math.max(r.width, r.height) - 40) < 1e-6);
    assert.ok(Math.abs(Math.min(r.width, r.height) - 10) < 1e-6);
    const [tl, tr, br, bl] = r.corners;
    assert.ok(tl[0] < tr[0] && bl[0] < br[0], 'left points before right points');
    assert.ok(tl[1] < bl[1] && tr[1] < br[1], 'top points above bottom points');
  });

  it('gives width along the top edge and height along the side, whichever hull edge the rectangle came from', () => {
    // The hull of a real text line's region (federal register page, map pixels) whose smallest rectangle lies on
    // its short vertical edge: width and height came out swapped, and unclip grew the box 30× along the line.
    const hull: [number, number][] = [[651, 204], [652, 203], [695, 201], [748, 200], [856, 201], [873, 202], [880, 203], [882, 204], [882, 207], [881, 208], [652, 208], [651, 207]];
    const r = minAreaRect(hull);
    const [tl, tr, , bl] = r.corners;
    assert.ok(Math.abs(r.width - Math.hypot(tr[0] - tl[0], tr[1] - tl[1])) < 1e-9, `width ${r.width}`);
    assert.ok(Math.abs(r.height - Math.hypot(bl[0] - tl[0], bl[1] - tl[1])) < 1e-9, `height ${r.height}`);
    assert.ok(r.width > 200 && r.height < 10);
    const grown = unclip(r, 1.5);
    const xs = grown.corners.map((p) => p[0]);
    assert.ok(Math.min(...xs) > 640 && Math.max(...xs) < 895, `grown box ${JSON.stringify(grown.corners)}`);
  });

  it('unclips a rectangle by area × ratio / perimeter on every side', () => {
    const grown = unclip({ corners: [[0, 0], [40, 0], [40, 10], [0, 10]], width: 40, height: 10 }, 1.5);
    const d = (40 * 10 * 1.5) / 100;
    assert.deepEqual(grown.corners, [[-d, -d], [40 + d, -d], [40 + d, 10 + d], [-d, 10 + d]]);
    assert.equal(grown.width, 40 + 2 * d);
  });

  it('maps boxes back to source pixels and drops weak and tiny regions', () => {
    const m = map(64, 32, [[10, 10, 49, 15], [55, 2, 56, 3]]);
    // A faint region below the box threshold.
    for (let x = 5; x < 30; x++) for (let y = 24; y < 28; y++) m.data[y * 64 + x] = 0.4;
    const boxes = boxesFromMap(m, DEFAULT_DB_PARAMS, { width: 128, height: 64, scaleX: 2, scaleY: 2 });
    assert.equal(boxes.length, 1);
    const [tl, tr, br, bl] = boxes[0]!.box;
    // Region 39×5 (pixel centres), unclipped by d = 39·5·1.5/88 ≈ 3.3, then doubled.
    assert.ok(Math.abs(tl[0] - 13) <= 1 && Math.abs(tl[1] - 13) <= 1, `tl ${tl}`);
    assert.ok(Math.abs(br[0] - 105) <= 1 && Math.abs(br[1] - 37) <= 1, `br ${br}`);
    assert.equal(tr[1], tl[1]);
    assert.equal(bl[0], tl[0]);
    assert.ok(boxes[0]!.score > 0.89);
  });
});

describe('connected regions against a pixel-by-pixel flood fill', () => {
  /** Reference: flood fill from each unvisited set pixel in raster order, 8-connected. */
  function floodRegions(mask: Uint8Array, width: number, height: number, prob: Float32Array) {
    const seen = new Uint8Array(mask.length);
    const out: { pixels: number; points: [number, number][]; score: number }[] = [];
    for (let start = 0; start < mask.length; start++) {
      if (!mask[start] || seen[start]) continue;
      const members: number[] = [];
      const stack = [start];
      seen[start] = 1;
      while (stack.length) {
        const i = stack.pop()!;
        members.push(i);
        const [x, y] = [i % width, Math.floor(i / width)];
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            const [nx, ny] = [x + dx, y + dy];
            const j = ny * width + nx;
            if (nx >= 0 && ny >= 0 && nx < width && ny < height && mask[j] && !seen[j]) {
              seen[j] = 1;
              stack.push(j);
            }
          }
      }
      members.sort((a, b) => a - b);
      const points: [number, number][] = [];
      let sum = 0;
      for (let k = 0; k < members.length; ) {
        const y = Math.floor(members[k]! / width);
        const x1 = members[k]! % width;
        let x2 = x1;
        for (; k < members.length && Math.floor(members[k]! / width) === y; k++) x2 = members[k]! % width;
        points.push([x1, y]);
        if (x2 !== x1) points.push([x2, y]);
      }
      for (const i of members) sum += prob[i]!;
      out.push({ pixels: members.length, points, score: sum / members.length });
    }
    return out.sort((a, b) => b.pixels - a.pixels);
  }

  it('finds the same regions, in the same order, on random masks', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 40; round++) {
      const [width, height] = [5 + Math.floor(random() * 40), 3 + Math.floor(random() * 30)];
      const density = 0.2 + random() * 0.5;
      const prob = Float32Array.from({ length: width * height }, () => random());
      const mask = Uint8Array.from(prob, (p) => (p < density ? 1 : 0));
      const got = findRegions(mask, width, height, prob).map((r) => ({ ...r, score: Math.round(r.score * 1e9) }));
      const want = floodRegions(mask, width, height, prob).map((r) => ({ ...r, score: Math.round(r.score * 1e9) }));
      assert.deepEqual(got, want, `round ${round}: ${width}×${height}`);
    }
  });
});
