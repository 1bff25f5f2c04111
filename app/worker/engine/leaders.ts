/**
 * Dot leaders: the row of dots that joins a label to its amount ("CASH ........ RM 70.30") is not text to the
 * detector (a sparse run of specks scores low in its probability map), so the label and the amount come back as two
 * cells with a blank between them. The dots are read here from the page's pixels instead: the gap between two cells of
 * a row is binarised and its dark specks counted, and a gap holding nothing but evenly spaced specks on the baseline
 * is a leader of that many dots. Pure functions over a grey raster.
 */
import type { RgbImage } from './raster.ts';

export interface LeaderParams {
  /** A speck is at most this tall and wide, in line heights. @default 0.3 */
  readonly maxDotSize: number;
  /** Fewest specks that make a leader. @default 3 */
  readonly minDots: number;
  /** Spacing of neighbouring specks: their standard deviation at most this fraction of their mean. @default 0.35 */
  readonly maxSpacingSpread: number;
  /** The specks span at least this fraction of the gap. @default 0.5 */
  readonly minCover: number;
  /** A pixel is ink when it is this much darker than the gap's background (0–255). @default 60 */
  readonly inkContrast: number;
}

export const DEFAULT_LEADERS: LeaderParams = { maxDotSize: 0.3, minDots: 3, maxSpacingSpread: 0.35, minCover: 0.5, inkContrast: 60 };

export interface Rect {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

interface Blob {
  x1: number;
  x2: number;
  y1: number;
  y2: number;
}

/** Connected dark blobs (8-neighbour) of a binary mask `(h, w)`, row-major. */
function blobs(mask: Uint8Array, w: number, h: number): Blob[] {
  const seen = new Uint8Array(w * h);
  const out: Blob[] = [];
  const stack: number[] = [];
  for (let start = 0; start < w * h; start++) {
    if (!mask[start] || seen[start]) continue;
    const b: Blob = { x1: w, x2: -1, y1: h, y2: -1 };
    seen[start] = 1;
    stack.push(start);
    while (stack.length) {
      const p = stack.pop()!;
      const x = p % w;
      const y = (p - x) / w;
      b.x1 = Math.min(b.x1, x);
      b.x2 = Math.max(b.x2, x);
      b.y1 = Math.min(b.y1, y);
      b.y2 = Math.max(b.y2, y);
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
          const q = ny * w + nx;
          if (mask[q] && !seen[q]) {
            seen[q] = 1;
            stack.push(q);
          }
        }
    }
    out.push(b);
  }
  return out;
}

/**
 * The number of leader dots in `gap` (upright page pixels of `page`, between two cells of one row whose text is
 * `lineHeight` tall), or 0 when the gap holds anything else: a speck too large (a letter the detector missed, a
 * rule), specks unevenly spaced (noise), or too few of them.
 */
export function leaderDots(page: RgbImage, gap: Rect, lineHeight: number, params: LeaderParams = DEFAULT_LEADERS): number {
  const x1 = Math.max(0, Math.ceil(gap.x1));
  const x2 = Math.min(page.width, Math.floor(gap.x2));
  const y1 = Math.max(0, Math.floor(gap.y1));
  const y2 = Math.min(page.height, Math.ceil(gap.y2));
  const w = x2 - x1;
  const h = y2 - y1;
  if (w < 3 || h < 3 || lineHeight <= 0) return 0;
  const grey = new Uint8Array(w * h);
  const hist = new Uint32Array(256);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = ((y1 + y) * page.width + x1 + x) * 3;
      const v = (page.data[i]! * 299 + page.data[i + 1]! * 587 + page.data[i + 2]! * 114) / 1000;
      grey[y * w + x] = v;
      hist[Math.round(v)]!++;
    }
  // Background: the median grey of the gap, which is mostly paper.
  let seen = 0;
  let background = 255;
  for (let v = 0; v < 256; v++) if ((seen += hist[v]!) >= (w * h) / 2) {
    background = v;
    break;
  }
  const mask = new Uint8Array(w * h);
  for (let i = 0; i < w * h; i++) mask[i] = grey[i]! < background - params.inkContrast ? 1 : 0;
  const found = blobs(mask, w, h);
  const maxSize = params.maxDotSize * lineHeight;
  // A speck no bigger than two pixels either way is scanner noise, unless the text itself is that small.
  const minSize = Math.min(2, lineHeight * 0.05);
  const dots: Blob[] = [];
  for (const b of found) {
    const bw = b.x2 - b.x1 + 1;
    const bh = b.y2 - b.y1 + 1;
    if (bw > maxSize || bh > maxSize) return 0;
    if (Math.max(bw, bh) < minSize) continue;
    dots.push(b);
  }
  if (dots.length < params.minDots) return 0;
  // Leader dots sit on one baseline: their centres within a dot's height of the median.
  const cy = dots.map((d) => (d.y1 + d.y2) / 2).sort((a, b) => a - b);
  const mid = cy[cy.length >> 1]!;
  if (cy.some((c) => Math.abs(c - mid) > maxSize)) return 0;
  const cx = dots.map((d) => (d.x1 + d.x2) / 2).sort((a, b) => a - b);
  const steps = cx.slice(1).map((c, i) => c - cx[i]!);
  const mean = steps.reduce((s, v) => s + v, 0) / steps.length;
  const sd = Math.sqrt(steps.reduce((s, v) => s + (v - mean) ** 2, 0) / steps.length);
  if (mean <= 0 || sd > params.maxSpacingSpread * mean) return 0;
  if (cx[cx.length - 1]! - cx[0]! + mean < params.minCover * w) return 0;
  return dots.length;
}
