import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isFlat, pasteTile, tileGrid, tilePixels, type TileLimits } from '../../app/worker/engine/tiles.ts';

/** Tiles of at most 1280 px a side, overlapping by 96, of any area. */
const SQUARE: TileLimits = { side: 1280, area: 1280 * 1280, overlap: 96, multiple: 32 };

describe('detection tiles', () => {
  it('gives one tile to a page that fits', () => {
    assert.deepEqual(tileGrid(992, 1280, SQUARE), [{ x: 0, y: 0, width: 992, height: 1280, keep: { x1: 0, y1: 0, x2: 992, y2: 1280 } }]);
  });

  it('covers a large page with overlapping tiles whose kept parts partition it', () => {
    const [w, h] = [3904, 5120];
    const tiles = tileGrid(w, h, SQUARE);
    const owner = new Uint8Array(w * h);
    for (const t of tiles) {
      assert.ok(t.width <= 1280 && t.height <= 1280 && t.x >= 0 && t.y >= 0 && t.x + t.width <= w && t.y + t.height <= h);
      // Kept inside the tile, at least a third of the overlap away from any inner edge.
      assert.ok(t.keep.x1 >= t.x && t.keep.x2 <= t.x + t.width && t.keep.y1 >= t.y && t.keep.y2 <= t.y + t.height);
      if (t.keep.x1 > 0) assert.ok(t.keep.x1 - t.x >= 32);
      if (t.keep.x2 < w) assert.ok(t.x + t.width - t.keep.x2 >= 32);
      const from = (v: number) => Math.ceil(v / 7) * 7;
      for (let y = from(t.keep.y1); y < t.keep.y2; y += 7) for (let x = from(t.keep.x1); x < t.keep.x2; x += 7) owner[y * w + x]!++;
    }
    for (let y = 0; y < h; y += 7) for (let x = 0; x < w; x += 7) assert.equal(owner[y * w + x], 1, `pixel ${x},${y} kept by exactly one tile`);
    // Neighbours overlap by at least the asked overlap.
    const xs = [...new Set(tiles.map((t) => t.x))].sort((a, b) => a - b);
    for (let i = 1; i < xs.length; i++) assert.ok(xs[i - 1]! + 1280 - xs[i]! >= 96);
  });

  it('makes tiles no larger than needed, so neighbours overlap by about what was asked', () => {
    // 1344 px in two tiles of 1280 would overlap by 1216: two of 736 overlap by 128 (96, rounded up to 32s).
    const tiles = tileGrid(1344, 800, SQUARE);
    assert.deepEqual(tiles.map((t) => [t.x, t.width]), [[0, 736], [608, 736]]);
    // The dense table at 0.78, 2176 × 1312: four tiles of 1152 × 704 (3.2 Mpx) instead of four of 1280 × 1280 (6.6).
    const table = tileGrid(2176, 1312, SQUARE);
    assert.deepEqual([table.length, table[0]!.width, table[0]!.height], [4, 1152, 704]);
  });

  it('keeps each tile within the area, and runs a page within it whole whatever its shape', () => {
    const limits: TileLimits = { ...SQUARE, area: 1152 * 1152 };
    // A letter page's coarse pass (1280 × 992) and a tall receipt (448 × 1280) are one run each.
    assert.equal(tileGrid(992, 1280, limits).length, 1);
    assert.equal(tileGrid(448, 1280, limits).length, 1);
    // 1280 × 1280 is over the area: two tiles, not four.
    const square = tileGrid(1280, 1280, limits);
    assert.equal(square.length, 2);
    for (const [w, h] of [[1280, 1280], [3904, 5120], [2176, 1312], [1600, 416], [6176, 8128]] as const) {
      const tiles = tileGrid(w, h, limits);
      for (const t of tiles) {
        assert.ok(t.width * t.height <= limits.area && t.width <= 1280 && t.height <= 1280, `${w}×${h}: ${t.width}×${t.height}`);
        assert.ok(t.width % 32 === 0 && t.height % 32 === 0, `${w}×${h}: ${t.width}×${t.height} not multiples of 32`);
      }
      // Every pixel is covered: the last tile of each row and column ends at the page's edge.
      assert.equal(Math.max(...tiles.map((t) => t.x + t.width)), w);
      assert.equal(Math.max(...tiles.map((t) => t.y + t.height)), h);
    }
  });

  it('refuses an overlap as large as the tile', () => {
    assert.throws(() => tileGrid(4000, 4000, { ...SQUARE, side: 256, overlap: 256 }), RangeError);
  });

  it('cuts tile pixels out and pastes the kept part of a tile map back in place', () => {
    const [w, h] = [2600, 300];
    const tiles = tileGrid(w, h, SQUARE);
    assert.equal(tiles.length, 3);
    const rgb = new Uint8Array(w * h * 3).map((_, i) => i % 251);
    const page = new Float32Array(w * h);
    for (const t of tiles) {
      const px = tilePixels(rgb, w, t);
      assert.equal(px[0], rgb[(t.y * w + t.x) * 3]);
      // A tile "map" that holds each pixel's page index: pasting must put every value back where it came from.
      const tileMap = new Float32Array(t.width * t.height).map((_, i) => (t.y + Math.floor(i / t.width)) * w + t.x + (i % t.width));
      pasteTile(page, w, t, tileMap);
    }
    for (let i = 0; i < page.length; i += 13) assert.equal(page[i], i);
  });

  it('pastes into a byte map as probability × 255, rounded and clamped', () => {
    const tile = tileGrid(4, 1, { side: 4, area: 16, overlap: 2, multiple: 1 })[0]!;
    const page = new Uint8Array(4);
    pasteTile(page, 4, tile, Float32Array.from([0, 0.3, 0.9999, 1.2]));
    assert.deepEqual([...page], [0, 77, 255, 255]);
  });

  it('calls a tile flat only when every channel stays within the range', () => {
    const white = new Uint8Array(3000).fill(250);
    white[100] = 240;
    assert.equal(isFlat(white, 12), true);
    white[200] = 200;
    assert.equal(isFlat(white, 12), false);
  });
});
