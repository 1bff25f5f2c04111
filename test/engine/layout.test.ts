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

describe('columns, table rows and margins', () => {
  /** A typeset three-column page: 30-pixel lines, 470 wide, gutters of 15 (padded boxes nearly meet). */
  function threeColumns(): Rect[] {
    const rects: Rect[] = [r(120, 20, 1580, 50)];
    for (let c = 0; c < 3; c++) for (let i = 0; i < 12; i++) {
      // Each column on its own baseline grid, as text of different leading gives.
      const y = 80 + i * (c === 1 ? 27 : 29) + c * 9;
      const jitter = (i * 7 + c) % 3;
      rects.push(r(120 + c * 485 + jitter, y, 590 + c * 485, y + 30));
    }
    return rects;
  }

  it('reads a three-column page with narrow gutters column after column', () => {
    const rects = threeColumns();
    const { order } = readingOrder(rects);
    assert.equal(order[0], 0);
    const columnOf = (i: number) => Math.floor((rects[i]!.x1 - 120) / 485);
    const columns = order.slice(1).map(columnOf);
    assert.deepEqual(columns, [...Array(12).fill(0), ...Array(12).fill(1), ...Array(12).fill(2)]);
    // Top to bottom within each column.
    for (let k = 2; k < order.length; k++) if (columns[k - 1] === columns[k - 2]) assert.ok(rects[order[k]!]!.y1 > rects[order[k - 1]!]!.y1);
  });

  it('aligns left edges that nearly agree within a column, and keeps an indented line apart', () => {
    const rects = [r(100, 0, 500, 30), r(102, 30, 480, 60), r(101, 60, 490, 90), r(130, 90, 500, 120), r(100, 120, 470, 150)];
    const { alignedX1 } = readingOrder(rects);
    assert.deepEqual(alignedX1, [100, 100, 100, 130, 100]);
  });

  it('keeps a table of short cells as rows, and reports each row', () => {
    // Three rows of five cells 60 wide, 20 apart: no column cut, however narrow the gaps.
    const rects: Rect[] = [];
    for (let row = 0; row < 3; row++) for (let c = 0; c < 5; c++) rects.push(r(20 + c * 80, 100 + row * 30, 80 + c * 80, 122 + row * 30));
    const { order, rows } = readingOrder(rects);
    assert.deepEqual(order, [...rects.keys()]);
    assert.deepEqual(rows, [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [10, 11, 12, 13, 14]]);
  });

  it('joins the cells of a table row when the long cell of the next row touches their gap by a pixel', () => {
    // The NICS table: "Alabama … 0 0" | "0" | "13 14 0 3", and below, Alaska's figures running under the first gap,
    // their padded boxes sharing one pixel row with this one's.
    const rects = [r(116, 221, 1649, 242), r(1740, 224, 1754, 240), r(2048, 223, 2388, 241), r(116, 241, 171, 260), r(373, 239, 1757, 262), r(2054, 241, 2071, 262)];
    const { rows } = readingOrder(rects);
    assert.ok(rows.some((row) => row.join() === '0,1,2'), JSON.stringify(rows));
  });

  it('does not join cells off one baseline, nor across a line standing between them', () => {
    // A label and a value 12 pixels lower (half a line): two rows, not one.
    assert.deepEqual(readingOrder([r(0, 0, 100, 24), r(150, 12, 250, 36)]).rows, []);
    // "STRAIN OF MICE:" ... "FEMALE" with "Swiss-Webster" between them, a little higher.
    const rects = [r(0, 100, 120, 124), r(140, 92, 240, 114), r(260, 101, 330, 125)];
    const { rows } = readingOrder([rects[0]!, rects[2]!, rects[1]!]);
    assert.ok(!rows.some((row) => row.includes(0) && row.includes(1) && !row.includes(2)), JSON.stringify(rows));
  });
});
