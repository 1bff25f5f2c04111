/**
 * Recognition stage: CTC model over line crops. Crops are sorted by width and batched only with crops of nearly
 * the same width, because padding every crop to a common batch width cost more than batching saved. Every batch
 * gets a few blank columns after its widest crop (see {@link DEFAULT_TRAILING_PAD}).
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
   * Most input columns (batch × width) in one model run on the CPU. Past ~1300 columns a run's activations no
   * longer stay in the core's cache and each column costs more: one thread measured 44–45 µs a column up to 1280
   * (1×1200, 4×320, 6×224) and 48–52 µs beyond (8×320, 8×640, 4×1200). Batches of narrow crops still fill to
   * `batchSize`, as a run of one narrow crop pays the model's fixed cost. Not used with `buckets`.
   * @default 1280
   */
  readonly maxColumns?: number;
  /**
   * Blank columns (the normalised mean) after the batch's widest crop. PaddleOCR reads a line in a canvas at least
   * 320 pixels wide (its training shape), so the model has nearly always seen blank frames after the text, and it
   * reads crops that end at the input's edge worse, short ones most. 16 (two output frames) lowered the CER of
   * every evaluation set (sroie-dev 0.0480 → 0.0471, funsd-dev 0.1254 → 0.1243, docs-dev 0.0127 → 0.0125,
   * docs-wide-dev 0.0337 → 0.0330, zh-dev 0.0362 → 0.0327) for 3–9% more columns; 8 did less (funsd-dev's word F1
   * fell), and 24 or 32 no better than 16 for twice the cost. Padding short crops to 160 or to PaddleOCR's full 320
   * gained a little more on receipts (0.0465) but cost 37% more columns on the dense tables, whose many one-digit
   * cells are 40 pixels wide.
   * @default 16
   */
  readonly trailingPad?: number;
  /**
   * A GPU's shape buckets (shape-buckets.ts): a batch holds the crops of one width bucket instead (`widthTolerance`
   * is not used), and is padded to the bucket's width and to a bucket of batch sizes.
   * @default none (the CPU: each batch as wide as its widest crop)
   */
  readonly buckets?: Pick<ShapeBuckets, 'recognitionWidths' | 'batchSizes'> | undefined;
  /** Keep each character's runners-up (ctc.ts), for words corrected against a lexicon. @default false */
  readonly alternatives?: boolean;
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

/** See {@link RecogniseOptions.maxColumns}. */
export const DEFAULT_MAX_COLUMNS = 1280;
/** See {@link RecogniseOptions.trailingPad}. */
export const DEFAULT_TRAILING_PAD = 16;

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
    const padded = widest + (options.trailingPad ?? DEFAULT_TRAILING_PAD);
    const most = buckets ? options.batchSize : Math.min(options.batchSize, Math.max(1, Math.floor((options.maxColumns ?? DEFAULT_MAX_COLUMNS) / padded)));
    while (i < order.length && batch.length < most && fits(crops[order[i]!]!.image.width, widest)) {
      batch.push(order[i]!);
      i++;
    }
    const h = crops[batch[0]!]!.image.height;
    const shape = buckets ? recognitionInputShape({ crops: batch.length, width: padded, buckets }) : { batch: batch.length, width: padded };
    const w = shape.width;
    // (N, 3, 48, W): crops padded on the right with the normalised mean (zero), as are the blank crops
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
      lines[idx] = { chars: ctcGreedy(out.data, n * frames * classes, usable, classes, alphabet, { space: alphabet.lastIndexOf(' '), lookalikes, alternatives: options.alternatives }), frameWidth };
    });
  }
  return { lines, elapsedMs: performance.now() - started };
}
