/** Line orientation stage: the 0/180° classifier over line crops, batched. */
import type { LineCrop } from './crop.ts';
import { writeChw, type Normalisation } from './raster.ts';
import type { InferenceSeam } from './session.ts';
import { bucketUp } from './shape-buckets.ts';

export interface ClassifyOptions {
  readonly height: number;
  readonly width: number;
  /** @default 16 */
  readonly batchSize: number;
  /** A GPU's batch-size buckets (shape-buckets.ts): batches are padded to one with blank crops. @default none (exact) */
  readonly batchSizes?: readonly number[] | undefined;
}

export interface ClassifyResult {
  /** Probability that each line is upside down, in input order. */
  readonly upsideDown: readonly number[];
  readonly elapsedMs: number;
}

export async function classify(
  session: InferenceSeam,
  crops: readonly LineCrop[],
  norm: Normalisation,
  options: ClassifyOptions,
): Promise<ClassifyResult> {
  const started = performance.now();
  const upsideDown: number[] = [];
  const { height: h, width: w } = options;
  for (let i = 0; i < crops.length; i += options.batchSize) {
    const batch = crops.slice(i, i + options.batchSize);
    // (N, 3, 48, 192). A wider crop is not squeezed to fit (a long line squeezed 10× is unreadable and the
    // classifier guessed): its middle 192 columns are enough to tell which way up the text is. Narrower crops
    // are padded with the mean.
    const rows = options.batchSizes ? bucketUp({ value: batch.length, steps: options.batchSizes }) : batch.length;
    const input = new Float32Array(rows * 3 * h * w);
    batch.forEach((crop, n) => {
      const img = crop.image.width <= w ? crop.image : window(crop.image, Math.floor((crop.image.width - w) / 2), w);
      writeChw(img, norm, input, n * 3 * h * w, w);
    });
    const out = await session.run({ data: input, dims: [rows, 3, h, w] });
    // (N, 2): [p(0°), p(180°)]
    for (let n = 0; n < batch.length; n++) upsideDown.push(out.data[n * 2 + 1]!);
  }
  return { upsideDown, elapsedMs: performance.now() - started };
}

/**
 * Whether a page is upside down, from its lines' votes: each line's probability of being upside down, weighted by
 * its width. A vote counts only when the classifier is sure either way (probability at least `threshold` for one
 * side, PaddleOCR's cls_thresh): on rules, borders and blots it answers near 0.5-0.9 for either side, and two such
 * wide boxes outvoted six clear lines of a scanned form.
 */
export function upsideDownVote(widths: readonly number[], upsideDown: readonly number[], threshold: number): boolean {
  let up = 0;
  let down = 0;
  upsideDown.forEach((p, i) => {
    if (p >= threshold) down += widths[i]!;
    else if (1 - p >= threshold) up += widths[i]!;
  });
  return down > up;
}

/** Columns [x, x + width) of a crop. */
function window(img: LineCrop['image'], x: number, width: number): LineCrop['image'] {
  const out = new Uint8Array(width * img.height * 3);
  for (let y = 0; y < img.height; y++) {
    const from = (y * img.width + x) * 3;
    out.set(img.data.subarray(from, from + width * 3), y * width * 3);
  }
  return { data: out, width, height: img.height };
}
