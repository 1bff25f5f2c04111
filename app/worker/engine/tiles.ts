/**
 * Overlapping tiles for detection on pages too large for one model run at the chosen scale. Each tile's
 * probability map is pasted into one page-wide map, keeping from each tile only the part nearer its own centre
 * than any neighbour's (the overlap is split half-way), so a line that crosses a seam is one region of the stitched
 * map and DB post-processing sees it whole: no boxes have to be merged afterwards. Pure functions.
 */

/** A tile of the (scaled) page, and the part of it that is kept in the stitched map. */
export interface Tile {
  /** Top-left corner and size in page pixels (at detection scale). */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** Kept rectangle [x1, x2) × [y1, y2), in page pixels; the kept rectangles of all tiles partition the page. */
  readonly keep: { readonly x1: number; readonly y1: number; readonly x2: number; readonly y2: number };
}

/**
 * Positions of `count` windows of `size` evenly spread over [0, length): the first starts at 0, the last ends at
 * `length`.
 */
function starts(length: number, size: number, count: number): number[] {
  if (count <= 1) return [0];
  return Array.from({ length: count }, (_, i) => Math.round((i * (length - size)) / (count - 1)));
}

/** Limits of a tile grid, in detection pixels. */
export interface TileLimits {
  /** Longest tile side. */
  readonly side: number;
  /** Most pixels in one tile: the model's working memory grows with its input's area (~150 MB at 1024 × 1024). */
  readonly area: number;
  /** Least overlap of neighbouring tiles. */
  readonly overlap: number;
  /** Tile sides are multiples of this (the model's input multiple); the page's sides must be too. */
  readonly multiple: number;
}

/**
 * Size of each of `count` equal windows covering `length` with neighbours overlapping by at least `overlap`: as
 * small as that allows, rounded up to `multiple`. Equal windows waste less than windows of the largest size, which
 * overlap far more than asked where the page is a little larger than one (1344 px in two of 1280 overlap by 1216).
 */
function windowSize(length: number, count: number, overlap: number, multiple: number): number {
  if (count <= 1) return length;
  return Math.min(length, Math.ceil((length + (count - 1) * overlap) / count / multiple) * multiple);
}

/**
 * Tiles covering a `width` × `height` page: within the limits' side and area, neighbours overlapping by at least
 * the limits' overlap, and of all such grids the one with the fewest pixels to run (then the fewest tiles). A page
 * within the limits gets one tile, whatever its shape: a tall receipt is one run.
 */
export function tileGrid(width: number, height: number, limits: TileLimits): Tile[] {
  const { side, area, overlap, multiple } = limits;
  if (side <= overlap) throw new RangeError(`tile side ${side} must exceed the overlap ${overlap}`);
  const minCount = (length: number) => (length <= side ? 1 : Math.ceil((length - overlap) / (side - overlap)));
  const total = (g: { nx: number; ny: number; sx: number; sy: number }) => g.nx * g.ny * g.sx * g.sy;
  let best: { nx: number; ny: number; sx: number; sy: number } | undefined;
  const [maxNx, maxNy] = [Math.ceil(width / multiple), Math.ceil(height / multiple)];
  for (let nx = minCount(width); nx <= Math.max(maxNx, minCount(width)); nx++) {
    const sx = windowSize(width, nx, overlap, multiple);
    // The fewest rows whose tiles fit in the area with this many columns.
    let ny = minCount(height);
    let sy = windowSize(height, ny, overlap, multiple);
    while (sx * sy > area && ny < maxNy) sy = windowSize(height, ++ny, overlap, multiple);
    if (sx * sy <= area) {
      const grid = { nx, ny, sx, sy };
      if (!best || total(grid) < total(best) || (total(grid) === total(best) && nx * ny < best.nx * best.ny)) best = grid;
      // With the fewest rows already, more columns only add overlap.
      if (ny === minCount(height)) break;
    }
  }
  if (!best) throw new RangeError(`no grid of tiles within ${side} px and ${area} pixels covers ${width} × ${height}`);
  const axis = (length: number, size: number, count: number) => {
    const s = starts(length, size, count);
    // Kept span of tile i: from half-way into the overlap with the previous tile to half-way into the next one's.
    return s.map((start, i) => ({
      start,
      size,
      lo: i === 0 ? 0 : Math.round((start + s[i - 1]! + size) / 2),
      hi: i === s.length - 1 ? length : Math.round((s[i + 1]! + start + size) / 2),
    }));
  };
  const xs = axis(width, best.sx, best.nx);
  const ys = axis(height, best.sy, best.ny);
  const tiles: Tile[] = [];
  for (const ty of ys) {
    for (const tx of xs) {
      tiles.push({ x: tx.start, y: ty.start, width: tx.size, height: ty.size, keep: { x1: tx.lo, y1: ty.lo, x2: tx.hi, y2: ty.hi } });
    }
  }
  return tiles;
}

/**
 * Copies the kept part of a tile's map (shape (tile.height, tile.width)) into the page map (shape (H, pageWidth)),
 * which holds each probability either as is or as a byte (probability × 255, rounded).
 */
export function pasteTile(page: Float32Array | Uint8Array, pageWidth: number, tile: Tile, tileMap: Float32Array): void {
  const { x1, y1, x2, y2 } = tile.keep;
  for (let y = y1; y < y2; y++) {
    const from = (y - tile.y) * tile.width + (x1 - tile.x);
    const to = y * pageWidth + x1;
    if (page instanceof Float32Array) page.set(tileMap.subarray(from, from + (x2 - x1)), to);
    else for (let x = 0; x < x2 - x1; x++) page[to + x] = Math.round(Math.min(1, Math.max(0, tileMap[from + x]!)) * 255);
  }
}

/** The pixels of a tile, copied out of an RGB raster of width `pageWidth`. */
export function tilePixels(data: Uint8Array, pageWidth: number, tile: Tile): Uint8Array {
  const out = new Uint8Array(tile.width * tile.height * 3);
  for (let y = 0; y < tile.height; y++) {
    const from = ((tile.y + y) * pageWidth + tile.x) * 3;
    out.set(data.subarray(from, from + tile.width * 3), y * tile.width * 3);
  }
  return out;
}

/**
 * Whether an RGB tile is flat (every channel within `range` levels over the whole tile): a blank margin or an
 * empty part of a large page, where the detector finds nothing and running it would only cost time.
 */
export function isFlat(pixels: Uint8Array, range: number): boolean {
  let lo = 255;
  let hi = 0;
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    if (hi - lo > range) return false;
  }
  return true;
}
