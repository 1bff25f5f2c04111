/**
 * DB (Differentiable Binarization) post-processing, after PaddleOCR's `DBPostProcess`: binarise the probability map,
 * find connected text regions, fit minimum-area rectangles, score them against the map, unclip (grow) them and map
 * them back to source pixels. Pure functions over typed arrays.
 */
import type { Point, Quad } from '../../common/result.ts';
import { minAreaRect, orderBoxPoints, type RotatedRect } from './geometry.ts';

export interface DbParams {
  /** Probability above which a map pixel counts as text. @default 0.3 */
  readonly thresh: number;
  /** Minimum mean probability inside a box to keep it. @default 0.6 */
  readonly boxThresh: number;
  /** How far boxes grow: offset = area × ratio / perimeter. @default 1.5 */
  readonly unclipRatio: number;
  /** Regions considered at most, largest first. @default 1000 */
  readonly maxCandidates: number;
  /** Boxes whose shorter side is below this (map pixels) are dropped. @default 3 */
  readonly minSize: number;
  /** Score a box over its region's pixels, or over its fitted rectangle (PaddleOCR's "fast"). @default 'region' */
  readonly scoreMode: 'region' | 'rectangle';
}

export const DEFAULT_DB_PARAMS: DbParams = { thresh: 0.3, boxThresh: 0.6, unclipRatio: 1.5, maxCandidates: 1000, minSize: 3, scoreMode: 'region' };

/** A probability map of shape (H, W), row-major. */
export interface ProbabilityMap {
  /** The model's probabilities, or (a large page's stitched map) bytes standing for them: a quarter of the memory. */
  readonly data: Float32Array | Uint8Array;
  readonly width: number;
  readonly height: number;
  /** The probability one unit of `data` stands for: 1/255 for bytes. @default 1 */
  readonly scale?: number;
}

export interface DetectedBox {
  readonly box: Quad;
  readonly score: number;
}

export function binarize(map: ProbabilityMap, thresh: number): Uint8Array {
  const out = new Uint8Array(map.data.length);
  const cut = thresh / (map.scale ?? 1);
  for (let i = 0; i < out.length; i++) out[i] = map.data[i]! > cut ? 1 : 0;
  return out;
}

/** One connected region: for each of its rows, the leftmost and rightmost pixel (enough for the convex hull). */
export interface Region {
  readonly pixels: number;
  readonly points: Point[];
  /** Mean map probability over the region's own pixels. */
  readonly score: number;
}

/**
 * 8-connected components of a binary mask, labelled run by run: each row's runs of set pixels join the runs of the
 * row above that touch them (union-find). Labelling runs rather than pixels keeps the memory to the text: a label
 * per pixel was 78 MB on a large page's 3840×5056 map. Returns each region's per-row extremes, largest regions
 * first (ties in the order of their first pixel).
 */
export function findRegions(mask: Uint8Array, width: number, height: number, prob?: Float32Array | Uint8Array, probScale = 1): Region[] {
  const runY: number[] = [];
  const runX1: number[] = [];
  const runX2: number[] = [];
  const parent: number[] = [];
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  // The lower id stays the root: a region's root is its first run, in raster order.
  const union = (a: number, b: number): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  let prevStart = 0;
  let prevEnd = 0;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const rowStart = runY.length;
    let k = prevStart;
    for (let x = 0; x < width; ) {
      if (!mask[row + x]) {
        x++;
        continue;
      }
      const x1 = x;
      while (x < width && mask[row + x]) x++;
      const x2 = x - 1;
      const id = runY.length;
      runY.push(y);
      runX1.push(x1);
      runX2.push(x2);
      parent.push(id);
      // Runs of the row above are in x order: skip those that end left of this one's reach, join those touching it.
      while (k < prevEnd && runX2[k]! < x1 - 1) k++;
      for (let j = k; j < prevEnd && runX1[j]! <= x2 + 1; j++) union(id, j);
    }
    prevStart = rowStart;
    prevEnd = runY.length;
  }
  // Runs → dense region ids, numbered in the order of their roots (first runs).
  const regionOf = new Int32Array(runY.length).fill(-1);
  let count = 0;
  for (let id = 0; id < runY.length; id++) {
    const root = find(id);
    if (regionOf[root] === -1) regionOf[root] = count++;
    regionOf[id] = regionOf[root]!;
  }
  const pixels = new Int32Array(count);
  const sums = new Float64Array(count);
  const lastRow = new Int32Array(count).fill(-1);
  // Per region, its row spans as flat [y, x1, x2, …]; x2 is rewritten as the row goes on.
  const spans: number[][] = Array.from({ length: count }, () => []);
  for (let id = 0; id < runY.length; id++) {
    const y = runY[id]!;
    const x1 = runX1[id]!;
    const x2 = runX2[id]!;
    const r = regionOf[id]!;
    pixels[r]! += x2 - x1 + 1;
    if (prob) for (let i = y * width + x1, end = y * width + x2; i <= end; i++) sums[r]! += prob[i]!;
    else sums[r]! += x2 - x1 + 1;
    const span = spans[r]!;
    if (lastRow[r] === y) span[span.length - 1] = x2;
    else {
      lastRow[r] = y;
      span.push(y, x1, x2);
    }
  }
  const regions: Region[] = [];
  for (let r = 0; r < count; r++) {
    const points: Point[] = [];
    const span = spans[r]!;
    for (let k = 0; k < span.length; k += 3) {
      const [y, x1, x2] = [span[k]!, span[k + 1]!, span[k + 2]!];
      points.push([x1, y]);
      if (x2 !== x1) points.push([x2, y]);
    }
    regions.push({ pixels: pixels[r]!, points, score: (sums[r]! * (prob ? probScale : 1)) / pixels[r]! });
  }
  return regions.sort((a, b) => b.pixels - a.pixels);
}

/**
 * Mean probability inside a quad ("fast" score mode): over the quad's bounding box, counting only pixels whose
 * centre lies inside the quad.
 */
export function boxScore(map: ProbabilityMap, box: Quad): number {
  const xs = box.map((p) => p[0]);
  const ys = box.map((p) => p[1]);
  const clampX = (v: number) => Math.min(Math.max(v, 0), map.width - 1);
  const clampY = (v: number) => Math.min(Math.max(v, 0), map.height - 1);
  const x1 = clampX(Math.floor(Math.min(...xs)));
  const x2 = clampX(Math.ceil(Math.max(...xs)));
  const y1 = clampY(Math.floor(Math.min(...ys)));
  const y2 = clampY(Math.ceil(Math.max(...ys)));
  let sum = 0;
  let n = 0;
  for (let y = y1; y <= y2; y++) {
    for (let x = x1; x <= x2; x++) {
      if (!insideConvexQuad(box, x, y)) continue;
      sum += map.data[y * map.width + x]!;
      n++;
    }
  }
  return n ? (sum * (map.scale ?? 1)) / n : 0;
}

/** Inclusive point-in-convex-quad test; half a pixel of tolerance so thin boxes still cover their pixels. */
function insideConvexQuad(q: Quad, x: number, y: number): boolean {
  let sign = 0;
  for (let i = 0; i < 4; i++) {
    const a = q[i]!;
    const b = q[(i + 1) % 4]!;
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]) || 1;
    const c = ((b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0])) / len;
    if (Math.abs(c) <= 0.5) continue;
    const s = Math.sign(c);
    if (sign === 0) sign = s;
    else if (s !== sign) return false;
  }
  return true;
}

/**
 * Grows a rectangle by d = area × ratio / perimeter on every side. For a rectangle this equals PaddleOCR's
 * pyclipper round-join offset followed by its minimum-area rectangle.
 */
export function unclip(rect: RotatedRect, ratio: number): RotatedRect {
  const { corners, width, height } = rect;
  const perimeter = 2 * (width + height);
  if (perimeter === 0) return rect;
  const d = (width * height * ratio) / perimeter;
  const [tl, tr, , bl] = corners;
  const ux = width ? (tr[0] - tl[0]) / width : 1;
  const uy = width ? (tr[1] - tl[1]) / width : 0;
  const vx = height ? (bl[0] - tl[0]) / height : -uy;
  const vy = height ? (bl[1] - tl[1]) / height : ux;
  const grown: Point[] = corners.map((p, i) => {
    const su = i === 0 || i === 3 ? -1 : 1;
    const sv = i < 2 ? -1 : 1;
    return [p[0] + d * (su * ux + sv * vx), p[1] + d * (su * uy + sv * vy)] as Point;
  });
  return { corners: orderBoxPoints(grown), width: width + 2 * d, height: height + 2 * d };
}

/**
 * Full DB post-processing: from the probability map (map pixels) to scored boxes in source pixels.
 * `scaleX`/`scaleY` map map pixels to source pixels; boxes are clipped to the source size.
 */
export function boxesFromMap(
  map: ProbabilityMap,
  params: DbParams,
  source: { readonly width: number; readonly height: number; readonly scaleX: number; readonly scaleY: number },
): DetectedBox[] {
  const mask = binarize(map, params.thresh);
  const regions = findRegions(mask, map.width, map.height, map.data, map.scale).slice(0, params.maxCandidates);
  const out: DetectedBox[] = [];
  for (const region of regions) {
    if (region.points.length < 2) continue;
    const rect = minAreaRect(region.points);
    if (Math.min(rect.width, rect.height) < params.minSize) continue;
    // Scored over the region itself (PaddleOCR's "slow" mode): a slightly curved line's rectangle holds much
    // background, and scoring the rectangle ("fast" mode) dropped whole lines of bowed receipts.
    const score = params.scoreMode === 'rectangle' ? boxScore(map, rect.corners) : region.score;
    if (score < params.boxThresh) continue;
    const grown = unclip(rect, params.unclipRatio);
    if (Math.min(grown.width, grown.height) < params.minSize + 2) continue;
    const box = grown.corners.map(
      ([x, y]) =>
        [
          Math.min(Math.max(Math.round(x * source.scaleX), 0), source.width),
          Math.min(Math.max(Math.round(y * source.scaleY), 0), source.height),
        ] as Point,
    ) as unknown as Quad;
    const w = Math.hypot(box[1][0] - box[0][0], box[1][1] - box[0][1]);
    const h = Math.hypot(box[3][0] - box[0][0], box[3][1] - box[0][1]);
    if (w <= 3 || h <= 3) continue;
    out.push({ box, score });
  }
  return out;
}
