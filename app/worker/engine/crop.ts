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
  const acc3 = new Float64Array(ss > 1 ? w * 3 : 0);
  const out = new Uint8Array(w * h * 3);
  const { data, width: iw, height: ih } = img;
  const maxX = iw - 1;
  const maxY = ih - 1;
  const inv = 1 / (ss * ss);
  const step = 1 / ss;
  // Homogeneous source coordinates advance by (h0, h3, h6) per output unit in x: stepped, not recomputed.
  const dxs = h0 * step, dys = h3 * step, dzs = h6 * step;
  for (let y = 0; y < h; y++) {
    for (let sy = 0; sy < ss; sy++) {
      const oy = y + (sy + 0.5) * step;
      // Sub-pixel row `sy` of output row y, starting at the first sub-sample centre of column 0.
      let nx = h0 * 0.5 * step + h1 * oy + h2;
      let ny = h3 * 0.5 * step + h4 * oy + h5;
      let nz = h6 * 0.5 * step + h7 * oy + h8;
      let o = y * w * 3;
      for (let x = 0; x < w; x++, o += 3) {
        let r = 0, g = 0, b = 0;
        for (let sx = 0; sx < ss; sx++, nx += dxs, ny += dys, nz += dzs) {
          // Source pixel centres sit at integer + 0.5 in quad space.
          let px = nx / nz - 0.5;
          let py = ny / nz - 0.5;
          px = px < 0 ? 0 : px > maxX ? maxX : px;
          py = py < 0 ? 0 : py > maxY ? maxY : py;
          const x0 = px | 0;
          const y0 = py | 0;
          const ax = px - x0;
          const ay = py - y0;
          const i00 = (y0 * iw + x0) * 3;
          const i01 = x0 < maxX ? i00 + 3 : i00;
          const i10 = y0 < maxY ? i00 + iw * 3 : i00;
          const i11 = x0 < maxX ? i10 + 3 : i10;
          const w11 = ax * ay, w01 = ax - w11, w10 = ay - w11, w00 = 1 - ax - w10;
          r += data[i00]! * w00 + data[i01]! * w01 + data[i10]! * w10 + data[i11]! * w11;
          g += data[i00 + 1]! * w00 + data[i01 + 1]! * w01 + data[i10 + 1]! * w10 + data[i11 + 1]! * w11;
          b += data[i00 + 2]! * w00 + data[i01 + 2]! * w01 + data[i10 + 2]! * w10 + data[i11 + 2]! * w11;
        }
        if (ss === 1) {
          out[o] = r + 0.5;
          out[o + 1] = g + 0.5;
          out[o + 2] = b + 0.5;
        } else {
          // Rows of sub-samples accumulate in place; the last one rounds.
          const acc = sy === 0 ? 0 : acc3[x * 3]!;
          acc3[x * 3] = acc + r;
          acc3[x * 3 + 1] = (sy === 0 ? 0 : acc3[x * 3 + 1]!) + g;
          acc3[x * 3 + 2] = (sy === 0 ? 0 : acc3[x * 3 + 2]!) + b;
          if (sy === ss - 1) {
            out[o] = acc3[x * 3]! * inv + 0.5;
            out[o + 1] = acc3[x * 3 + 1]! * inv + 0.5;
            out[o + 2] = acc3[x * 3 + 2]! * inv + 0.5;
          }
        }
      }
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
