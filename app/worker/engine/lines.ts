/**
 * Shaping the recognised lines after layout: a column's aligned left edge applied to a line's box, and the cells
 * of a table row joined into one line. Pure functions over the result types.
 */
import type { Point, Quad, RecognisedLine } from '../../common/result.ts';
import { leaderDots, type LeaderParams, type Rect } from './leaders.ts';
import type { RgbImage } from './raster.ts';

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

/**
 * The cells of a row, left to right, with the dot leader between two cells (leaders.ts) appended to the left one's
 * text and last word: "CASH" and "RM 70.30" with dots between become "CASH...................." and "RM 70.30".
 * `page` is the working raster; `flipped` when the upright frame is it turned 180°.
 */
export function withLeaders<L extends Line & { readonly upright: Rect }>(cells: readonly L[], page: RgbImage, flipped: boolean, params: LeaderParams): L[] {
  return cells.map((cell, i) => {
    const next = cells[i + 1];
    if (!next || cell.words.length === 0) return cell;
    const top = Math.max(cell.upright.y1, next.upright.y1);
    const bottom = Math.min(cell.upright.y2, next.upright.y2);
    const height = Math.min(cell.upright.y2 - cell.upright.y1, next.upright.y2 - next.upright.y1);
    if (bottom - top < height / 2 || next.upright.x1 - cell.upright.x2 < height) return cell;
    const inset = 0.1 * height;
    const gap = { x1: cell.upright.x2, y1: top + inset, x2: next.upright.x1, y2: bottom - inset };
    const onPage = flipped ? { x1: page.width - gap.x2, y1: page.height - gap.y2, x2: page.width - gap.x1, y2: page.height - gap.y1 } : gap;
    const dots = leaderDots(page, onPage, height, params);
    if (dots === 0) return cell;
    const leader = '.'.repeat(dots);
    const last = cell.words[cell.words.length - 1]!;
    return { ...cell, text: cell.text + leader, words: [...cell.words.slice(0, -1), { ...last, text: last.text + leader }] };
  });
}
