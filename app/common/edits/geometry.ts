/**
 * The boxes of the result editor's edits: quads' areas, centres and hulls, words laid out along a line, and a
 * point in the upright page's frame for reading-order decisions.
 */
import type { OcrPage, Point, Quad } from '../result.ts';

const lerp = (a: Point, b: Point, t: number): Point => [round1(a[0] + (b[0] - a[0]) * t), round1(a[1] + (b[1] - a[1]) * t)];
const round1 = (v: number) => Math.round(v * 10) / 10;

export function quadArea(q: Quad): number {
  let a = 0;
  for (let i = 0; i < 4; i++) {
    const p = q[i]!;
    const n = q[(i + 1) % 4]!;
    a += p[0] * n[1] - n[0] * p[1];
  }
  return Math.abs(a) / 2;
}

export function quadCentre(q: Quad): Point {
  return [(q[0][0] + q[1][0] + q[2][0] + q[3][0]) / 4, (q[0][1] + q[1][1] + q[2][1] + q[3][1]) / 4];
}

/** Whether a point lies inside a convex quad (either winding). */
export function insideQuad(q: Quad, p: Point): boolean {
  let sign = 0;
  for (let i = 0; i < 4; i++) {
    const a = q[i]!;
    const b = q[(i + 1) % 4]!;
    const cross = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
    if (cross === 0) continue;
    const s = Math.sign(cross);
    if (sign === 0) sign = s;
    else if (s !== sign) return false;
  }
  return true;
}

/** Axis-aligned hull of quads, its corners in the order of `like` (the corner nearest like[0] first). */
export function orientedHull(quads: readonly Quad[], like: Quad): Quad {
  const xs = quads.flatMap((q) => q.map((p) => p[0]));
  const ys = quads.flatMap((q) => q.map((p) => p[1]));
  const [x1, y1, x2, y2] = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  const corners: Point[] = [[x1, y1], [x2, y1], [x2, y2], [x1, y2]];
  // Clockwise either way; start where the reference's text starts.
  let start = 0;
  let best = Infinity;
  corners.forEach((c, i) => {
    const d = Math.hypot(c[0] - like[0][0], c[1] - like[0][1]);
    if (d < best) [best, start] = [d, i];
  });
  return [corners[start]!, corners[(start + 1) % 4]!, corners[(start + 2) % 4]!, corners[(start + 3) % 4]!];
}

/** Plain axis-aligned hull (how the engine boxes blocks). */
export function hull(quads: readonly Quad[]): Quad {
  const xs = quads.flatMap((q) => q.map((p) => p[0]));
  const ys = quads.flatMap((q) => q.map((p) => p[1]));
  const [x1, y1, x2, y2] = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  return [[x1, y1], [x2, y1], [x2, y2], [x1, y2]];
}

/** Divides a line box among texts along the line, by their lengths (a space's worth between words). */
export function layoutWords(box: Quad, texts: readonly string[]): Quad[] {
  const lengths = texts.map((t) => Math.max(1, [...t].length));
  const total = lengths.reduce((s, n) => s + n, 0) + (texts.length - 1);
  const [tl, tr, br, bl] = box;
  let at = 0;
  return lengths.map((n) => {
    const a = at / total;
    const b = (at + n) / total;
    at += n + 1;
    return [lerp(tl, tr, a), lerp(tl, tr, b), lerp(bl, br, b), lerp(bl, br, a)];
  });
}

/**
 * A point in the upright page's frame, for reading-order decisions: the image turned clockwise by the page's
 * orientation (the turn that makes it upright).
 */
export function upright(page: OcrPage, p: Point): Point {
  const [x, y] = p;
  switch (page.orientation) {
    case 90:
      return [page.height - y, x];
    case 180:
      return [page.width - x, page.height - y];
    case 270:
      return [y, page.width - x];
    default:
      return [x, y];
  }
}

export function bounds(q: Quad): [number, number, number, number] {
  const xs = q.map((p) => p[0]);
  const ys = q.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}
