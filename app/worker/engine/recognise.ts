/**
 * Recognition stage: CTC model over line crops. Crops are sorted by width and batched only with crops of nearly
 * the same width, because padding every crop to a common batch width cost more than batching saved.
 */
import type { LineCrop } from './crop.ts';
import { lookalikeClasses } from './charset.ts';
import { ctcGreedy, type CtcChar } from './ctc.ts';
import { FloatScratch } from './scratch.ts';
import { writeChw, type Normalisation } from './raster.ts';
import type { InferenceSeam } from './session.ts';
import { bucketUp, recognitionInputShape, type ShapeBuckets } from './shape-buckets.ts';

export interface RecogniseOptions {
  /** Most crops in one model run. @default 8 */
  readonly batchSize: number;
  /** A crop joins a batch only if its width is at least this fraction of the batch's widest. @default 0.9 */
  readonly widthTolerance: number;
  /**
   * A GPU's shape buckets (shape-buckets.ts): a batch holds the crops of one width bucket instead (`widthTolerance`
   * is not used), and is padded to the bucket's width and to a bucket of batch sizes.
   * @default none (the CPU: each batch as wide as its widest crop)
   */
  readonly buckets?: Pick<ShapeBuckets, 'recognitionWidths' | 'batchSizes'> | undefined;
}

export interface RecognisedLine {
  readonly chars: readonly CtcChar[];
  /** Crop pixels per output frame (the model's horizontal stride). */
  readonly frameWidth: number;
}

export interface RecogniseResult {
  readonly lines: readonly RecognisedLine[];
  readonly elapsedMs: number;
}

const scratch = new FloatScratch();

export async function recognise(
  session: InferenceSeam,
  crops: readonly LineCrop[],
  norm: Normalisation,
  alphabet: readonly string[],
  options: RecogniseOptions,
): Promise<RecogniseResult> {
  const started = performance.now();
  const lines: RecognisedLine[] = new Array(crops.length);
  const lookalikes = lookalikeClasses(alphabet);
  const order = crops.map((_, i) => i).sort((a, b) => crops[b]!.image.width - crops[a]!.image.width);
  const buckets = options.buckets;
  const fits = (width: number, widest: number) =>
    buckets ? bucketUp({ value: width, steps: buckets.recognitionWidths }) === bucketUp({ value: widest, steps: buckets.recognitionWidths }) : width >= widest * options.widthTolerance;
  let i = 0;
  while (i < order.length) {
    const widest = crops[order[i]!]!.image.width;
    const batch: number[] = [];
    while (i < order.length && batch.length < options.batchSize && fits(crops[order[i]!]!.image.width, widest)) {
      batch.push(order[i]!);
      i++;
    }
    const h = crops[batch[0]!]!.image.height;
    const shape = buckets ? recognitionInputShape({ crops: batch.length, width: widest, buckets }) : { batch: batch.length, width: widest };
    const w = shape.width;
    // (N, 3, 48, W): narrower crops padded on the right with the normalised mean (zero), as are the blank crops
    // that fill a GPU's batch bucket.
    const input = scratch.borrow(shape.batch * 3 * h * w);
    batch.forEach((idx, n) => writeChw(crops[idx]!.image, norm, input, n * 3 * h * w, w));
    input.fill(0, batch.length * 3 * h * w);
    const out = await session.run({ data: input, dims: [shape.batch, 3, h, w] }).finally(() => scratch.release(input));
    // (N, T, C)
    const frames = out.dims[1]!;
    const classes = out.dims[2]!;
    const frameWidth = w / frames;
    batch.forEach((idx, n) => {
      const usable = Math.min(frames, Math.ceil(crops[idx]!.image.width / frameWidth) + 1);
      lines[idx] = { chars: ctcGreedy(out.data, n * frames * classes, usable, classes, alphabet, { space: alphabet.lastIndexOf(' '), lookalikes }), frameWidth };
    });
  }
  return { lines, elapsedMs: performance.now() - started };
}
