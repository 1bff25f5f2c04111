/** Small pure geometry used by detection post-processing, cropping and layout. */
import type { Point, Quad } from '../../common/result.ts';

export const distance = (a: Point, b: Point): number => Math.hypot(a[0] - b[0], a[1] - b[1]);

const cross = (o: Point, a: Point, b: Point): number => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);

/** Convex hull (Andrew's monotone chain), counter-clockwise in image coordinates, no collinear points. */
export function convexHull(points: readonly Point[]): Point[] {
  const pts = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (pts.length < 3) return pts;
  const lower: Point[] = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Point[] = [];
  for (let i = pts.length - 1; i >= 0; i--) {
    const p = pts[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  upper.pop();
  lower.pop();
  return lower.concat(upper);
}

export interface RotatedRect {
  /** Corners in the order tl, tr, br, bl (see {@link orderBoxPoints}). */
  readonly corners: Quad;
  /** Length along the rectangle's first axis. */
  readonly width: number;
  readonly height: number;
}

/**
 * Minimum-area enclosing rectangle of a point set (rotating calipers over the hull's edges), like OpenCV's
 * `minAreaRect` followed by `boxPoints` and PaddleOCR's `get_mini_boxes` ordering.
 */
export function minAreaRect(points: readonly Point[]): RotatedRect {
  const hull = convexHull(points);
  if (hull.length === 0) throw new RangeError('minAreaRect needs at least one point');
  if (hull.length < 3) {
    const xs = hull.map((p) => p[0]);
    const ys = hull.map((p) => p[1]);
    return axisRect(Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys));
  }
  let best: { area: number; ux: number; uy: number; minU: number; maxU: number; minV: number; maxV: number } | undefined;
  for (let i = 0; i < hull.length; i++) {
    const a = hull[i]!;
    const b = hull[(i + 1) % hull.length]!;
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (len === 0) continue;
    const ux = (b[0] - a[0]) / len;
    const uy = (b[1] - a[1]) / len;
    let minU = Infinity, maxU = -Infinity, minV = Infinity, maxV = -Infinity;
    for (const p of hull) {
      const u = p[0] * ux + p[1] * uy;
      const v = -p[0] * uy + p[1] * ux;
      if (u < minU) minU = u;
      if (u > maxU) maxU = u;
      if (v < minV) minV = v;
      if (v > maxV) maxV = v;
    }
    const area = (maxU - minU) * (maxV - minV);
    if (!best || area < best.area) best = { area, ux, uy, minU, maxU, minV, maxV };
  }
  const { ux, uy, minU, maxU, minV, maxV } = best!;
  const at = (u: number, v: number): Point => [u * ux - v * uy, u * uy + v * ux];
  const corners = orderBoxPoints([at(minU, minV), at(maxU, minV), at(maxU, maxV), at(minU, maxV)]);
  // Width and height follow the ordered corners (top edge, left edge), not the caliper's axes: when the smallest
  // rectangle lies on a short hull edge the two are swapped, and unclip would grow the box along the wrong axis.
  return { corners, width: distance(corners[0], corners[1]), height: distance(corners[0], corners[3]) };
}

function axisRect(x1: number, y1: number, x2: number, y2: number): RotatedRect {
  return { corners: [[x1, y1], [x2, y1], [x2, y2], [x1, y2]], width: x2 - x1, height: y2 - y1 };
}

/**
 * Orders four corners as PaddleOCR's `get_mini_boxes` does: the two leftmost points give top-left and
 * bottom-left (by y), the two rightmost give top-right and bottom-right. Result: [tl, tr, br, bl].
 */
export function orderBoxPoints(points: readonly Point[]): Quad {
  const p = [...points].sort((a, b) => a[0] - b[0]);
  const [l0, l1, r0, r1] = p as [Point, Point, Point, Point];
  const [tl, bl] = l1[1] > l0[1] ? [l0, l1] : [l1, l0];
  const [tr, br] = r1[1] > r0[1] ? [r0, r1] : [r1, r0];
  return [tl, tr, br, bl];
}

/** Side lengths of a quad ordered [tl, tr, br, bl]: width along the top/bottom, height along the sides. */
export function quadSize(q: Quad): { width: number; height: number } {
  return {
    width: Math.max(distance(q[0], q[1]), distance(q[3], q[2])),
    height: Math.max(distance(q[0], q[3]), distance(q[1], q[2])),
  };
}

/** Row-major 3×3 projective transform. */
export type Homography = readonly [number, number, number, number, number, number, number, number, number];

/**
 * Homography that maps each `from[i]` onto `to[i]` (OpenCV's getPerspectiveTransform), by Gaussian elimination
 * on the 8×8 system with h33 = 1.
 */
export function perspectiveTransform(from: Quad, to: Quad): Homography {
  const m: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i]!;
    const [u, v] = to[i]!;
    m.push([x, y, 1, 0, 0, 0, -x * u, -y * u, u]);
    m.push([0, 0, 0, x, y, 1, -x * v, -y * v, v]);
  }
  for (let col = 0; col < 8; col++) {
    let pivot = col;
    for (let r = col + 1; r < 8; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const pv = m[col]![col]!;
    if (Math.abs(pv) < 1e-12) throw new RangeError('degenerate quad: its corners are collinear');
    for (let r = 0; r < 8; r++) {
      if (r === col) continue;
      const f = m[r]![col]! / pv;
      if (f === 0) continue;
      for (let c = col; c < 9; c++) m[r]![c]! -= f * m[col]![c]!;
    }
  }
  const h = m.map((row, i) => row[8]! / row[i]!);
  return [h[0]!, h[1]!, h[2]!, h[3]!, h[4]!, h[5]!, h[6]!, h[7]!, 1];
}

export function applyHomography(h: Homography, x: number, y: number): Point {
  const w = h[6] * x + h[7] * y + h[8];
  return [(h[0] * x + h[1] * y + h[2]) / w, (h[3] * x + h[4] * y + h[5]) / w];
}

export function polygonArea(q: readonly Point[]): number {
  let a = 0;
  for (let i = 0; i < q.length; i++) {
    const p = q[i]!;
    const n = q[(i + 1) % q.length]!;
    a += p[0] * n[1] - n[0] * p[1];
  }
  return Math.abs(a) / 2;
}

/** Rotates a quad's point order by `steps` quarter turns: the text's top-left becomes the next corner. */
export function rotateQuadOrder(q: Quad, steps: number): Quad {
  const s = ((steps % 4) + 4) % 4;
  return [q[s]!, q[(s + 1) % 4]!, q[(s + 2) % 4]!, q[(s + 3) % 4]!];
}

/** Whether most of the boxes' area lies in boxes `ratio` times taller than wide (a page on its side), of 3 or more. */
export function mostlyVertical(boxes: readonly Quad[], ratio: number): boolean {
  let vertical = 0;
  let horizontal = 0;
  for (const b of boxes) {
    const { width, height } = quadSize(b);
    const area = width * height;
    if (height >= ratio * width) vertical += area;
    else if (width >= ratio * height) horizontal += area;
  }
  return boxes.length >= 3 && vertical > 2 * horizontal;
}
