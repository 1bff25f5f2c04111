/**
 * Cuts a text line out of the page: the quad is mapped onto an upright rectangle by a perspective transform
 * (PaddleOCR's get_rotate_crop_image) and resampled straight to the model's input height, so there is no second
 * resize. Downscaling supersamples so that large text does not alias.
 */
import type { Point, Quad } from '../../common/result.ts';
import { applyHomography, perspectiveTransform, quadSize, rotateQuadOrder } from './geometry.ts';
import type { RgbImage } from './raster.ts';

export interface LineCrop {
  readonly image: RgbImage;
  /** The quad as sampled: its first point is the crop's top-left (text order after any rotation). */
  readonly quad: Quad;
}

/**
 * Turns a detected box into the quad to sample: boxes much taller than wide are vertical text, read after a
 * quarter turn counter-clockwise (as PaddleOCR's np.rot90).
 */
export function readingQuad(box: Quad, verticalRatio = 1.5): Quad {
  const { width, height } = quadSize(box);
  return width > 0 && height / width >= verticalRatio ? rotateQuadOrder(box, 1) : box;
}

/** Samples `quad` from `img` into an image `outHeight` pixels tall, width by aspect ratio within [1, maxWidth]. */
export function cropLine(img: RgbImage, quad: Quad, outHeight: number, maxWidth: number): LineCrop {
  const { width: qw, height: qh } = quadSize(quad);
  const h = outHeight;
  const w = Math.max(1, Math.min(maxWidth, Math.ceil((h * Math.max(qw, 1)) / Math.max(qh, 1))));
  // Maps output pixel corners onto the quad (output rectangle spans [0,w]×[0,h]). Inlined below: this loop runs
  // for every pixel of every line.
  const [h0, h1, h2, h3, h4, h5, h6, h7, h8] = perspectiveTransform([[0, 0], [w, 0], [w, h], [0, h]], quad);
  const scale = Math.max(qh / h, qw / w);
  const ss = Math.min(4, Math.max(1, Math.round(scale)));
  const out = new Uint8Array(w * h * 3);
  const { data, width: iw, height: ih } = img;
  const maxX = iw - 1;
  const maxY = ih - 1;
  const inv = 1 / (ss * ss);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let r = 0, g = 0, b = 0;
      for (let sy = 0; sy < ss; sy++) {
        const oy = y + (sy + 0.5) / ss;
        for (let sx = 0; sx < ss; sx++) {
          const ox = x + (sx + 0.5) / ss;
          // Sample at sub-pixel centres; source pixel centres sit at integer + 0.5 in quad space.
          const wz = h6 * ox + h7 * oy + h8;
          const px = Math.min(Math.max((h0 * ox + h1 * oy + h2) / wz - 0.5, 0), maxX);
          const py = Math.min(Math.max((h3 * ox + h4 * oy + h5) / wz - 0.5, 0), maxY);
          const x0 = px | 0;
          const y0 = py | 0;
          const x1 = x0 < maxX ? x0 + 1 : maxX;
          const y1 = y0 < maxY ? y0 + 1 : maxY;
          const ax = px - x0;
          const ay = py - y0;
          const i00 = (y0 * iw + x0) * 3, i01 = (y0 * iw + x1) * 3, i10 = (y1 * iw + x0) * 3, i11 = (y1 * iw + x1) * 3;
          const w00 = (1 - ax) * (1 - ay), w01 = ax * (1 - ay), w10 = (1 - ax) * ay, w11 = ax * ay;
          r += data[i00]! * w00 + data[i01]! * w01 + data[i10]! * w10 + data[i11]! * w11;
          g += data[i00 + 1]! * w00 + data[i01 + 1]! * w01 + data[i10 + 1]! * w10 + data[i11 + 1]! * w11;
          b += data[i00 + 2]! * w00 + data[i01 + 2]! * w01 + data[i10 + 2]! * w10 + data[i11 + 2]! * w11;
        }
      }
      const o = (y * w + x) * 3;
      out[o] = r * inv + 0.5;
      out[o + 1] = g * inv + 0.5;
      out[o + 2] = b * inv + 0.5;
    }
  }
  return { image: { data: out, width: w, height: h }, quad };
}

/**
 * The mapping from a crop made by {@link cropLine} (crop pixels) back to page pixels. The transform is solved once;
 * a line's box and each of its words' boxes map through it.
 */
export function cropToPage(crop: LineCrop): (x: number, y: number) => Point {
  const { width: w, height: h } = crop.image;
  const t = perspectiveTransform([[0, 0], [w, 0], [w, h], [0, h]], crop.quad);
  return (x, y) => applyHomography(t, x, y);
}
