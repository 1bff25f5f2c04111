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

export interface RecogniseOptions {
  /** Most crops in one model run. @default 8 */
  readonly batchSize: number;
  /** A crop joins a batch only if its width is at least this fraction of the batch's widest. @default 0.9 */
  readonly widthTolerance: number;
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
  let i = 0;
  while (i < order.length) {
    const widest = crops[order[i]!]!.image.width;
    const batch: number[] = [];
    while (
      i < order.length &&
      batch.length < options.batchSize &&
      crops[order[i]!]!.image.width >= widest * options.widthTolerance
    ) {
      batch.push(order[i]!);
      i++;
    }
    const h = crops[batch[0]!]!.image.height;
    // (N, 3, 48, W): narrower crops padded on the right with the normalised mean (zero).
    const input = scratch.borrow(batch.length * 3 * h * widest);
    batch.forEach((idx, n) => writeChw(crops[idx]!.image, norm, input, n * 3 * h * widest, widest));
    const out = await session.run({ data: input, dims: [batch.length, 3, h, widest] }).finally(() => scratch.release(input));
    // (N, T, C)
    const frames = out.dims[1]!;
    const classes = out.dims[2]!;
    const frameWidth = widest / frames;
    batch.forEach((idx, n) => {
      const usable = Math.min(frames, Math.ceil(crops[idx]!.image.width / frameWidth) + 1);
      lines[idx] = { chars: ctcGreedy(out.data, n * frames * classes, usable, classes, alphabet, { space: alphabet.lastIndexOf(' '), lookalikes }), frameWidth };
    });
  }
  return { lines, elapsedMs: performance.now() - started };
}
