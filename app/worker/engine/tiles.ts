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

/**
 * Tiles covering a `width` × `height` page, each at most `tileSize` square, neighbours overlapping by at least
 * `overlap` pixels. A page that fits in one tile gets one tile.
 */
export function tileGrid(width: number, height: number, tileSize: number, overlap: number): Tile[] {
  if (tileSize <= overlap) throw new RangeError(`tile size ${tileSize} must exceed the overlap ${overlap}`);
  const axis = (length: number) => {
    const size = Math.min(length, tileSize);
    const count = length <= size ? 1 : Math.ceil((length - overlap) / (size - overlap));
    const s = starts(length, size, count);
    // Kept span of tile i: from half-way into the overlap with the previous tile to half-way into the next one's.
    return s.map((start, i) => ({
      start,
      size,
      lo: i === 0 ? 0 : Math.round((start + s[i - 1]! + size) / 2),
      hi: i === s.length - 1 ? length : Math.round((s[i + 1]! + start + size) / 2),
    }));
  };
  const xs = axis(width);
  const ys = axis(height);
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
