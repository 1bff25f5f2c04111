/** Synthetic rasters for engine tests. */
import type { RgbImage } from '../../app/worker/engine/raster.ts';

/** A white `w`×`h` raster with black rectangles [x1, y1, x2, y2) painted on it. */
export function inkedRaster(w: number, h: number, rects: readonly (readonly [number, number, number, number])[]): RgbImage {
  const data = new Uint8Array(w * h * 3).fill(255);
  for (const [x1, y1, x2, y2] of rects) for (let y = y1; y < y2; y++) data.fill(0, (y * w + x1) * 3, (y * w + x2) * 3);
  return { data, width: w, height: h };
}
