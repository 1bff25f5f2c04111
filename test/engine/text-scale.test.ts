import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Quad } from '../../app/common/result.ts';
import { DEFAULT_TEXT_SCALE, decideScale, lineHeight } from '../../app/worker/engine/text-scale.ts';

const box = (x: number, y: number, w: number, h: number): Quad => [[x, y], [x + w, y], [x + w, y + h], [x, y + h]];
/** `n` line boxes `h` page pixels tall. */
const lines = (n: number, h: number): Quad[] => Array.from({ length: n }, (_, i) => box(10, 10 + i * 2 * h, 20 * h, h));
const P = DEFAULT_TEXT_SCALE;

describe('detection scale from the text', () => {
  it('measures the median height of line-shaped boxes and ignores square ones', () => {
    const boxes = [...lines(5, 30), box(0, 0, 30, 40), box(0, 0, 40, 40), box(0, 0, 200, 60)];
    assert.equal(lineHeight(boxes, 3), 30);
    assert.equal(lineHeight([box(0, 0, 30, 40), ...lines(2, 30)], 3), undefined);
    // A tall narrow box is a line too (vertical text): its height is its shorter side.
    assert.equal(lineHeight([box(0, 0, 12, 40), box(0, 0, 12, 40), box(0, 0, 12, 40)], 3), 12);
  });

  it('keeps a pass whose lines are already of a readable height', () => {
    // 30-pixel lines at scale 0.6: 18 detection pixels.
    assert.deepEqual(decideScale(lines(20, 30), 0.6, { pass: 0, blindBelow: 0 }, P), { action: 'keep' });
  });

  it('rescales small text to the target height, large text too, and never beyond maxScale', () => {
    // A dense table: 23-pixel lines at 0.457 are 10.5 detection pixels.
    const small = decideScale(lines(20, 23), 0.457, { pass: 0, blindBelow: 0 }, P);
    assert.equal(small.action, 'rescale');
    assert.ok(small.action === 'rescale' && Math.abs(small.scale * 23 - P.targetHeight) < 1e-9);
    const large = decideScale(lines(20, 200), 1, { pass: 0, blindBelow: 0 }, P);
    assert.ok(large.action === 'rescale' && Math.abs(large.scale * 200 - P.targetHeight) < 1e-9);
    // Large print: 30-pixel lines at scale 1 are over the kept range, and brought down to the target.
    const print = decideScale(lines(20, 30), 1, { pass: 0, blindBelow: 0 }, P);
    assert.ok(print.action === 'rescale' && Math.abs(print.scale * 30 - P.targetHeight) < 1e-9);
    assert.deepEqual(decideScale(lines(20, 25), 1, { pass: 0, blindBelow: 0 }, P), { action: 'keep' });
    const tiny = decideScale(lines(20, 4), 1, { pass: 0, blindBelow: 0 }, P);
    assert.deepEqual(tiny, { action: 'rescale', scale: P.maxScale });
  });

  it('gives the same detection height for one page at 150 and 600 dpi', () => {
    const at150 = decideScale(lines(20, 10), 1, { pass: 0, blindBelow: 0 }, P);
    const at600 = decideScale(lines(20, 40), 0.25, { pass: 0, blindBelow: 0 }, P);
    assert.ok(at150.action === 'rescale' && at600.action === 'rescale');
    assert.ok(Math.abs(at150.scale * 10 - at600.scale * 40) < 1e-9);
  });

  it('zooms in when too few lines are found, up to the original resolution', () => {
    assert.deepEqual(decideScale([box(0, 0, 30, 30)], 0.158, { pass: 0, blindBelow: 0 }, P), { action: 'zoom', scale: 0.316 });
    assert.deepEqual(decideScale([box(0, 0, 30, 30)], 0.7, { pass: 0, blindBelow: 0 }, P), { action: 'zoom', scale: 1 });
    assert.deepEqual(decideScale([], 1, { pass: 0, blindBelow: 0 }, P), { action: 'keep' });
    // An empty page seen at more than half size is blank, not small print.
    assert.deepEqual(decideScale([], 0.73, { pass: 0, blindBelow: 0 }, P), { action: 'keep' });
    assert.deepEqual(decideScale([], 0.18, { pass: 0, blindBelow: 0 }, P), { action: 'zoom', scale: 0.36 });
  });

  it('looks once more after lines first appear on zooming in (they may be merged blocks)', () => {
    // The gazette page: nothing at 0.158, three-line blocks measured as 58-pixel lines at 0.316.
    assert.deepEqual(decideScale(lines(6, 58), 0.316, { pass: 1, blindBelow: 0.158 }, P), { action: 'zoom', scale: 0.632 });
    // Confirmed at 0.632: 24-pixel lines are 15 detection pixels.
    assert.deepEqual(decideScale(lines(10, 24), 0.632, { pass: 2, blindBelow: 0.158 }, P), { action: 'keep' });
  });

  it('stops after maxPasses', () => {
    assert.deepEqual(decideScale(lines(20, 4), 1, { pass: P.maxPasses - 1, blindBelow: 0 }, P), { action: 'keep' });
  });
});
