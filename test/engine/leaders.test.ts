import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_LEADERS, leaderDots } from '../../app/worker/engine/leaders.ts';
import type { RgbImage } from '../../app/worker/engine/raster.ts';
import { inkedRaster } from './raster-fixtures.ts';

/** A white `w`×`h` page with black squares of `size` px at the given top-left corners. */
const page = (w: number, h: number, squares: readonly (readonly [number, number, number])[]): RgbImage =>
  inkedRaster(w, h, squares.map(([x, y, size]) => [x, y, x + size, y + size] as const));

const gap = { x1: 0, y1: 0, x2: 200, y2: 30 };

describe('dot leaders', () => {
  it('counts evenly spaced dots on one baseline', () => {
    const dots = Array.from({ length: 20 }, (_, i) => [5 + i * 10, 22, 3] as const);
    assert.equal(leaderDots(page(200, 30, dots), gap, 30), 20);
  });

  it('finds none in a blank gap, or with too few dots', () => {
    assert.equal(leaderDots(page(200, 30, []), gap, 30), 0);
    assert.equal(leaderDots(page(200, 30, [[5, 22, 3], [15, 22, 3]]), gap, 30), 0);
  });

  it('refuses a gap holding anything larger than a dot: a letter the detector missed, a rule', () => {
    const dots = Array.from({ length: 18 }, (_, i) => [5 + i * 10, 22, 3] as const);
    assert.equal(leaderDots(page(200, 30, [...dots, [190, 5, 15]]), gap, 30), 0);
  });

  it('refuses specks scattered unevenly or off the baseline (noise)', () => {
    assert.equal(leaderDots(page(200, 30, [[5, 22, 3], [12, 22, 3], [60, 22, 3], [70, 22, 3], [180, 22, 3]]), gap, 30), 0);
    assert.equal(leaderDots(page(200, 30, Array.from({ length: 20 }, (_, i) => [5 + i * 10, i % 2 ? 2 : 24, 3] as const)), gap, 30), 0);
  });

  it('needs the dots to span half the gap', () => {
    const dots = Array.from({ length: 5 }, (_, i) => [5 + i * 10, 22, 3] as const);
    assert.equal(leaderDots(page(200, 30, dots), gap, 30), 0);
    assert.equal(leaderDots(page(200, 30, dots), { ...gap, x2: 80 }, 30, DEFAULT_LEADERS), 5);
  });
});
