/** An 8-bit RGB raster, row-major, 3 bytes per pixel. The engine's only in-memory image type. */
export interface RgbImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** Per-channel normalisation of a model input: value = (byte × scale − mean[c]) / std[c], channels in `order`. */
export interface Normalisation {
  readonly channels: 'RGB' | 'BGR';
  readonly scale: number;
  readonly mean: readonly [number, number, number];
  readonly std: readonly [number, number, number];
}

/**
 * Writes `img` into a (3, H, W) plane set inside `out` (which may be wider: `outWidth` columns, set to zero beyond
 * the image, i.e. the normalised mean), starting at `offset`.
 */
export function writeChw(img: RgbImage, norm: Normalisation, out: Float32Array, offset: number, outWidth: number): void {
  const { width, height, data } = img;
  const plane = outWidth * height;
  const [s0, s1, s2] = norm.channels === 'BGR' ? [2, 1, 0] : [0, 1, 2];
  const a0 = norm.scale / norm.std[0], b0 = -norm.mean[0] / norm.std[0];
  const a1 = norm.scale / norm.std[1], b1 = -norm.mean[1] / norm.std[1];
  const a2 = norm.scale / norm.std[2], b2 = -norm.mean[2] / norm.std[2];
  // One pass over the pixels, writing the three planes together.
  for (let y = 0; y < height; y++) {
    let o = offset + y * outWidth;
    let si = y * width * 3;
    for (let x = 0; x < width; x++, si += 3, o++) {
      out[o] = data[si + s0]! * a0 + b0;
      out[o + plane] = data[si + s1]! * a1 + b1;
      out[o + 2 * plane] = data[si + s2]! * a2 + b2;
    }
    if (outWidth > width) {
      const pad = outWidth - width;
      out.fill(0, o, o + pad);
      out.fill(0, o + plane, o + plane + pad);
      out.fill(0, o + 2 * plane, o + 2 * plane + pad);
    }
  }
}

/** Rotates a raster clockwise by 90, 180 or 270 degrees. */
export function rotateRaster(img: RgbImage, degrees: 0 | 90 | 180 | 270): RgbImage {
  if (degrees === 0) return img;
  const { width: w, height: h, data } = img;
  const ow = degrees === 180 ? w : h;
  const oh = degrees === 180 ? h : w;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let nx: number, ny: number;
      if (degrees === 90) [nx, ny] = [h - 1 - y, x];
      else if (degrees === 180) [nx, ny] = [w - 1 - x, h - 1 - y];
      else [nx, ny] = [y, w - 1 - x];
      const si = (y * w + x) * 3;
      const di = (ny * ow + nx) * 3;
      out[di] = data[si]!;
      out[di + 1] = data[si + 1]!;
      out[di + 2] = data[si + 2]!;
    }
  }
  return { data: out, width: ow, height: oh };
}
