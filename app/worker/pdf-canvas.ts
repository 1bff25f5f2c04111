/**
 * The canvas factory pdf.js renders with in the worker. Like pdf.js's own Node factory it makes @napi-rs/canvas
 * canvases, except for the scratch canvas pdf.js makes at an embedded image's full size before scaling it onto the
 * page: past {@link FULL_SIZE_LIMIT} pixels that canvas is made 1/k the size, with a context that takes the image's
 * rows (pdf.js writes them with putImageData, 16 rows at a time) and box-averages them down as they arrive, and
 * draws everything else scaled by 1/k. A 35000×35000 scan then costs a few hundred MB instead of 4.9 GB of RGBA.
 */
import { createCanvas, type Canvas, type SKRSContext2D } from '@napi-rs/canvas';

/** Scratch canvases above this many pixels are made smaller (64 M pixels = 256 MB of RGBA). */
export const FULL_SIZE_LIMIT = 64_000_000;

interface CanvasAndContext {
  canvas: Canvas | null;
  context: SKRSContext2D | null;
}

export class DownscalingCanvasFactory {
  constructor(_options?: unknown) {}

  create(width: number, height: number): CanvasAndContext {
    if (width <= 0 || height <= 0) throw new Error('Invalid canvas size');
    if (width * height <= FULL_SIZE_LIMIT) {
      const canvas = createCanvas(width, height);
      return { canvas, context: canvas.getContext('2d') };
    }
    const k = Math.ceil(Math.sqrt((width * height) / FULL_SIZE_LIMIT));
    const canvas = createCanvas(Math.ceil(width / k), Math.ceil(height / k));
    return { canvas, context: downscalingContext(canvas, height, k) };
  }

  reset(canvasAndContext: CanvasAndContext, width: number, height: number): void {
    if (!canvasAndContext.canvas) throw new Error('Canvas is not specified');
    canvasAndContext.canvas.width = width;
    canvasAndContext.canvas.height = height;
  }

  destroy(canvasAndContext: CanvasAndContext): void {
    if (!canvasAndContext.canvas) throw new Error('Canvas is not specified');
    canvasAndContext.canvas.width = canvasAndContext.canvas.height = 0;
    canvasAndContext.canvas = null;
    canvasAndContext.context = null;
  }

  getNoAlphaContext(canvas: Canvas): SKRSContext2D {
    return canvas.getContext('2d', { alpha: false });
  }
}

interface RowImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
}

/**
 * A context over a canvas 1/k the size of the content drawn on it: drawing is scaled by 1/k; putImageData (which
 * ignores transforms) box-averages the rows it is given into the small canvas, one small row per k full rows.
 */
function downscalingContext(canvas: Canvas, fullHeight: number, k: number): SKRSContext2D {
  const real = canvas.getContext('2d');
  real.scale(1 / k, 1 / k);
  const smallWidth = canvas.width;
  const sums = new Float64Array(smallWidth * 4);
  const counts = new Uint32Array(smallWidth);
  let pendingRow = -1;
  const row = real.createImageData(smallWidth, 1);
  const flush = () => {
    if (pendingRow < 0) return;
    for (let x = 0; x < smallWidth; x++) {
      const n = counts[x]! || 1;
      for (let c = 0; c < 4; c++) row.data[x * 4 + c] = sums[x * 4 + c]! / n;
    }
    real.putImageData(row, 0, pendingRow);
    sums.fill(0);
    counts.fill(0);
    pendingRow = -1;
  };
  const putImageData = (image: RowImage, dx: number, dy: number) => {
    for (let y = 0; y < image.height; y++) {
      const target = Math.floor((dy + y) / k);
      if (target !== pendingRow) {
        flush();
        pendingRow = target;
      }
      const base = y * image.width * 4;
      for (let x = 0; x < image.width; x++) {
        const sx = Math.floor((dx + x) / k);
        if (sx < 0 || sx >= smallWidth) continue;
        const i = base + x * 4;
        for (let c = 0; c < 4; c++) sums[sx * 4 + c] = sums[sx * 4 + c]! + image.data[i + c]!;
        counts[sx] = counts[sx]! + 1;
      }
    }
    // The last rows of the image complete their small row.
    if (dy + image.height >= fullHeight || (dy + image.height) % k === 0) flush();
  };
  const createImageData = (width: number, height: number): RowImage => ({ width, height, data: new Uint8ClampedArray(width * height * 4) });
  return new Proxy(real, {
    get(target, prop) {
      if (prop === 'putImageData') return putImageData;
      if (prop === 'createImageData') return createImageData;
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
    set(target, prop, value) {
      return Reflect.set(target, prop, value, target);
    },
  });
}
