import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readingOrder, type Rect } from '../../app/worker/engine/layout.ts';

const r = (x1: number, y1: number, x2: number, y2: number): Rect => ({ x1, y1, x2, y2 });

describe('reading order', () => {
  it('reads a two-column page column by column, after a full-width title', () => {
    const rects: Rect[] = [r(100, 40, 900, 70)];
    for (let i = 0; i < 5; i++) rects.push(r(100, 100 + i * 30, 480, 120 + i * 30), r(540, 100 + i * 30, 900, 120 + i * 30));
    const { order, blockOf } = readingOrder(rects);
    const left = [1, 3, 5, 7, 9];
    const right = [2, 4, 6, 8, 10];
    assert.deepEqual(order, [0, ...left, ...right]);
    assert.notEqual(blockOf[1], blockOf[2], 'columns are different blocks');
  });

  it('reads a receipt row by row: label, then its amount', () => {
    const rects = [r(50, 10, 300, 30), r(50, 40, 120, 60), r(320, 40, 380, 60), r(50, 70, 140, 90), r(320, 70, 380, 90)];
    assert.deepEqual(readingOrder(rects).order, [0, 1, 2, 3, 4]);
  });

  it('starts a new block at a paragraph gap', () => {
    const rects = [r(0, 0, 500, 20), r(0, 25, 500, 45), r(0, 100, 500, 120)];
    const { blockOf, blockCount } = readingOrder(rects);
    assert.equal(blockOf[0], blockOf[1]);
    assert.notEqual(blockOf[1], blockOf[2]);
    assert.equal(blockCount, 2);
  });

  it('orders overlapping lines of one row left to right', () => {
    const rects = [r(200, 10, 300, 32), r(0, 12, 190, 30)];
    assert.deepEqual(readingOrder(rects).order, [1, 0]);
  });
});
