/** Text detection stage: DB model over the page scaled to a multiple of 32, then DB post-processing. */
import sharp from 'sharp';
import { boxesFromMap, type DbParams, type DetectedBox } from './db-postprocess.ts';
import { FloatScratch } from './scratch.ts';
import { writeChw, type Normalisation, type RgbImage } from './raster.ts';
import type { InferenceSeam } from './session.ts';

export interface DetectOptions extends DbParams {
  /** The page is scaled so its longer side is at most this many pixels (never enlarged). @default 1280 */
  readonly maxSide: number;
  /** Input sides are rounded to a multiple of this. @default 32 */
  readonly sizeMultiple: number;
}

export interface DetectResult {
  readonly boxes: readonly DetectedBox[];
  /** Size of the probability map the model produced. */
  readonly mapWidth: number;
  readonly mapHeight: number;
  readonly elapsedMs: number;
}

/** Model input size for a page: scaled down to `maxSide`, each side rounded to a multiple of `multiple` (at least one). */
export function detectionSize(width: number, height: number, maxSide: number, multiple: number): [number, number] {
  const ratio = Math.max(width, height) > maxSide ? maxSide / Math.max(width, height) : 1;
  // Rounded to the nearest multiple, as PaddleOCR does. Rounding down saved 10% of a receipt's detection but
  // shifted boxes enough to misread known lines (MODELLING as MODELING).
  const round = (v: number) => Math.max(multiple, Math.round((v * ratio) / multiple) * multiple);
  return [round(width), round(height)];
}

const scratch = new FloatScratch();

export async function detect(
  session: InferenceSeam,
  image: RgbImage,
  norm: Normalisation,
  options: DetectOptions,
): Promise<DetectResult> {
  const started = performance.now();
  const [w, h] = detectionSize(image.width, image.height, options.maxSide, options.sizeMultiple);
  const resized =
    w === image.width && h === image.height
      ? image
      : {
          data: new Uint8Array(
            await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
              .resize(w, h, { fit: 'fill', kernel: 'linear' })
              .raw()
              .toBuffer(),
          ),
          width: w,
          height: h,
        };
  // (1, 3, H, W)
  const input = scratch.borrow(3 * w * h);
  writeChw(resized, norm, input, 0, w);
  const out = await session.run({ data: input, dims: [1, 3, h, w] }).finally(() => scratch.release(input));
  // (1, 1, H, W)
  const mapHeight = out.dims[2]!;
  const mapWidth = out.dims[3]!;
  const boxes = boxesFromMap({ data: out.data, width: mapWidth, height: mapHeight }, options, {
    width: image.width,
    height: image.height,
    scaleX: image.width / mapWidth,
    scaleY: image.height / mapHeight,
  });
  return { boxes, mapWidth, mapHeight, elapsedMs: performance.now() - started };
}
