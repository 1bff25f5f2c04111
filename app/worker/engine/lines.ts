/**
 * Shaping the recognised lines after layout: a column's aligned left edge applied to a line's box, and the cells
 * of a table row joined into one line. Pure functions over the result types.
 */
import type { Point, Quad, RecognisedLine } from '../../common/result.ts';

type Line = Omit<RecognisedLine, 'block'>;

const round1 = (v: number) => Math.round(v * 10) / 10;

/**
 * Moves a line box's left side (its first and last points, the text's own left) by `delta` pixels along the
 * direction of the text, so a page read at any rotation shifts the side that is left when upright.
 */
export function shiftLeftEdge(box: Quad, delta: number): Quad {
  if (delta === 0) return box;
  const [tl, tr, br, bl] = box;
  const len = Math.hypot(tr[0] - tl[0], tr[1] - tl[1]) || 1;
  const ux = (tr[0] - tl[0]) / len;
  const uy = (tr[1] - tl[1]) / len;
  const move = (p: Point): Point => [round1(p[0] + delta * ux), round1(p[1] + delta * uy)];
  return [move(tl), tr, br, move(bl)];
}

/**
 * One line from the cells of a row, left to right: their texts joined by a space, their words in order, the
 * confidence weighted by each cell's characters, and `box` (the row's box) as its box.
 */
export function joinRow(cells: readonly Line[], box: Quad): Line {
  const chars = cells.map((c) => c.text.replace(/\s/g, '').length || 1);
  const total = chars.reduce((s, n) => s + n, 0);
  const confidence = cells.reduce((s, c, i) => s + c.confidence * chars[i]!, 0) / total;
  return {
    text: cells.map((c) => c.text).join(' '),
    confidence: Math.round(confidence * 1e4) / 1e4,
    box,
    words: cells.flatMap((c) => c.words),
  };
}
