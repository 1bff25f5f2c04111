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

/**
 * A Buffer's bytes as a plain Uint8Array over the same memory: a raster's pixels from sharp without copying them
 * (a large page's copy was a second page in memory), whose `slice` copies as every raster's does (a Buffer's would not).
 */
export function rasterBytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
}

/**
 * The colour of a raster's right and bottom edges: the per-channel median of the last column and the last row. Padding
 * beyond those edges in this colour continues the page's margin, where a constant grey would draw an edge the
 * detector might take for something.
 */
export function edgeColour(img: RgbImage): [number, number, number] {
  const { width: w, height: h, data } = img;
  const counts = [new Uint32Array(256), new Uint32Array(256), new Uint32Array(256)] as const;
  const add = (i: number) => {
    counts[0][data[i]!]!++;
    counts[1][data[i + 1]!]!++;
    counts[2][data[i + 2]!]!++;
  };
  for (let y = 0; y < h; y++) add((y * w + w - 1) * 3);
  for (let x = 0; x < w; x++) add(((h - 1) * w + x) * 3);
  const median = (c: Uint32Array) => {
    let seen = 0;
    for (let v = 0; v < 256; v++) if ((seen += c[v]!) * 2 >= w + h) return v;
    return 255;
  };
  return [median(counts[0]), median(counts[1]), median(counts[2])];
}

/** `img` at the top left of a `width` × `height` raster filled with `colour`. */
export function padRaster(img: RgbImage, width: number, height: number, colour: readonly [number, number, number]): RgbImage {
  if (width < img.width || height < img.height) throw new RangeError(`cannot pad a ${img.width}×${img.height} raster to ${width}×${height}`);
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i += 3) {
    data[i] = colour[0];
    data[i + 1] = colour[1];
    data[i + 2] = colour[2];
  }
  for (let y = 0; y < img.height; y++) data.set(img.data.subarray(y * img.width * 3, (y + 1) * img.width * 3), y * width * 3);
  return { data, width, height };
}
