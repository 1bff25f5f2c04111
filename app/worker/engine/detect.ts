/**
 * Text detection stage: the DB model over the page scaled by a given factor (sides rounded to a multiple of 32),
 * in one run or, when the scaled page is larger than a tile (in side or in area), in overlapping tiles whose
 * probability maps are stitched into one (tiles.ts); then DB post-processing over the whole map. Boxes come back in
 * page pixels.
 */
import sharp from 'sharp';
import { boxesFromMap, type DbParams, type DetectedBox } from './db-postprocess.ts';
import { FloatScratch } from './scratch.ts';
import { edgeColour, padRaster, rasterBytes, writeChw, type Normalisation, type RgbImage } from './raster.ts';
import type { InferenceSeam } from './session.ts';
import { detectionInputSize } from './shape-buckets.ts';
import { isFlat, pasteTile, tileGrid, tilePixels } from './tiles.ts';

export interface DetectOptions extends DbParams {
  /** Input sides are rounded to a multiple of this. @default 32 */
  readonly sizeMultiple: number;
  /** Largest model input side; a scaled page beyond it is detected in tiles. @default 1280 */
  readonly tileSize: number;
  /** Most pixels in one model input; a scaled page beyond it is detected in tiles. @default 1152 × 1152 */
  readonly tileArea: number;
  /** Overlap of neighbouring tiles, in detection pixels. @default 96 */
  readonly tileOverlap: number;
  /**
   * Pad each model input up to a multiple of this (a GPU's shape bucket, see shape-buckets.ts); the page keeps its
   * scale and the padding is cut off the map.
   * @default no padding (the CPU: exact shapes)
   */
  readonly bucketMultiple?: number | undefined;
}

/**
 * Tiles whose pixels all lie within this many levels of each other are blank (a margin, the empty part of a
 * large-format page): the model is not run on them. Scanner noise on white paper spans a few levels; the faintest
 * text the detector finds is tens of levels from its background.
 */
const FLAT_TILE_RANGE = 12;

/** Input area (pixels) that `maxCandidates` applies to: PaddleOCR's, 1000 regions in a 1280 × 1280 input at most. */
const CANDIDATE_AREA = 1280 * 1280;

export interface DetectResult {
  readonly boxes: readonly DetectedBox[];
  /** Scale actually used (mean of the two axes after rounding to the size multiple). */
  readonly scale: number;
  /** Size of the probability map the model produced. */
  readonly mapWidth: number;
  readonly mapHeight: number;
  /** Model runs made (tiles not skipped as blank). */
  readonly runs: number;
  readonly elapsedMs: number;
}

/** Model input size for a page scaled by `scale`, each side rounded to the nearest multiple of `multiple` (at least one). */
export function scaledSize(width: number, height: number, scale: number, multiple: number): [number, number] {
  // Rounded to the nearest multiple, as PaddleOCR does. Rounding down saved 10% of a receipt's detection but
  // shifted boxes enough to misread known lines (MODELLING as MODELING).
  const round = (v: number) => Math.max(multiple, Math.round((v * scale) / multiple) * multiple);
  return [round(width), round(height)];
}

/** The scale that brings the page's longer side down to `maxSide` (never enlarging): PaddleOCR's limit_side_len. */
export function fitScale(width: number, height: number, maxSide: number): number {
  return Math.max(width, height) > maxSide ? maxSide / Math.max(width, height) : 1;
}

const scratch = new FloatScratch();

async function runModel(session: InferenceSeam, pixels: RgbImage, norm: Normalisation, bucket: number | undefined): Promise<Float32Array> {
  const { width: w, height: h } = pixels;
  const { width: iw, height: ih } = bucket ? detectionInputSize({ width: w, height: h, multiple: bucket }) : pixels;
  // (1, 3, H, W)
  const input = scratch.borrow(3 * iw * ih);
  writeChw(iw === w && ih === h ? pixels : padRaster(pixels, iw, ih, edgeColour(pixels)), norm, input, 0, iw);
  const out = await session.run({ data: input, dims: [1, 3, ih, iw] }).finally(() => scratch.release(input));
  // (1, 1, H, W): the same size as the input.
  if (out.dims[2] !== ih || out.dims[3] !== iw) throw new RangeError(`detection model returned a ${out.dims.join('×')} map for a ${iw}×${ih} input`);
  if (iw === w && ih === h) return out.data;
  const map = new Float32Array(w * h);
  for (let y = 0; y < h; y++) map.set(out.data.subarray(y * iw, y * iw + w), y * w);
  return map;
}

export async function detect(
  session: InferenceSeam,
  image: RgbImage,
  norm: Normalisation,
  scale: number,
  options: DetectOptions,
): Promise<DetectResult> {
  const started = performance.now();
  const [w, h] = scaledSize(image.width, image.height, scale, options.sizeMultiple);
  const resized =
    w === image.width && h === image.height
      ? image
      : {
          data: rasterBytes(
            await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
              .resize(w, h, { fit: 'fill', kernel: 'linear' })
              .raw()
              .toBuffer(),
          ),
          width: w,
          height: h,
        };
  let map: Float32Array | Uint8Array;
  let runs = 0;
  const limits = { side: options.tileSize, area: options.tileArea, overlap: options.tileOverlap, multiple: options.sizeMultiple };
  if (w <= limits.side && h <= limits.side && w * h <= limits.area) {
    map = await runModel(session, resized, norm, options.bucketMultiple);
    runs = 1;
  } else {
    // Stitched as bytes: a 3840×5056 page's map is 19 MB instead of 78 (DB thresholds do not need more than 1/255).
    map = new Uint8Array(w * h);
    for (const tile of tileGrid(w, h, limits)) {
      const pixels = tilePixels(resized.data, w, tile);
      if (isFlat(pixels, FLAT_TILE_RANGE)) continue;
      pasteTile(map, w, tile, await runModel(session, { data: pixels, width: tile.width, height: tile.height }, norm, options.bucketMultiple));
      runs++;
    }
  }
  // The candidate cap bounds work on noise. It holds per CANDIDATE_AREA of input, so a large page keeps as many
  // regions per square pixel as a small one (a dense table has more lines than one cap).
  const maxCandidates = Math.ceil(options.maxCandidates * Math.max(1, (w * h) / CANDIDATE_AREA));
  const boxes = boxesFromMap({ data: map, width: w, height: h, scale: map instanceof Uint8Array ? 1 / 255 : 1 }, { ...options, maxCandidates }, {
    width: image.width,
    height: image.height,
    scaleX: image.width / w,
    scaleY: image.height / h,
  });
  return { boxes, scale: (w / image.width + h / image.height) / 2, mapWidth: w, mapHeight: h, runs, elapsedMs: performance.now() - started };
}
