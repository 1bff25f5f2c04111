/**
 * Input shapes for a GPU. The WebGPU execution provider compiles its shaders for the shapes it is given, and every
 * page (scaled to a multiple of 32) and every batch of line crops has a shape of its own: on a GPU each new shape
 * costs a compilation, where on the CPU it costs nothing. So on a GPU inputs are padded up to a few fixed sizes
 * (buckets), and the padding is cut off the outputs again. The CPU keeps the exact shapes: padding there would only
 * add work. Pure functions.
 */

export interface ShapeBuckets {
  /**
   * Detection input sides are padded up to a multiple of this (the page keeps its own scale; the padding, in the
   * page's background colour, is cut off the probability map). A multiple of the model's own size multiple.
   * @default 256
   */
  readonly detectionMultiple: number;
  /**
   * Widths a recognition batch is padded up to, ascending: a batch takes the smallest that holds its widest crop,
   * and a wider one is padded to a multiple of the largest. Multiples of the model's frame width (8 px).
   * @default 96, 192, 320, 480, 640, 960, 1280, 1920, 2560, 3200 (at most half the batch is padding, and the largest
   * is the shipped recogniser's widest crop)
   */
  readonly recognitionWidths: readonly number[];
  /**
   * Crops per model run a batch is padded up to (with blank crops whose output is ignored), ascending; a larger batch
   * is padded to a multiple of the largest.
   * @default 1, 2, 4, 8
   */
  readonly batchSizes: readonly number[];
}

/** The buckets used with the WebGPU provider. */
export const GPU_SHAPE_BUCKETS: ShapeBuckets = {
  detectionMultiple: 256,
  recognitionWidths: [96, 192, 320, 480, 640, 960, 1280, 1920, 2560, 3200],
  batchSizes: [1, 2, 4, 8],
};

/**
 * The smallest of `steps` (ascending, positive) that is at least `value`; beyond the largest, `value` rounded up to a
 * multiple of the largest.
 */
export function bucketUp({ value, steps }: { readonly value: number; readonly steps: readonly number[] }): number {
  if (steps.length === 0) throw new RangeError('no buckets to choose from');
  for (const step of steps) if (step >= value) return step;
  const largest = steps[steps.length - 1]!;
  return Math.ceil(value / largest) * largest;
}

/**
 * The detection model's input for a `width` × `height` input (already a multiple of the model's size multiple):
 * each side rounded up to a multiple of `multiple`. The input is placed at the top left; the rest is padding.
 */
export function detectionInputSize({ width, height, multiple }: { readonly width: number; readonly height: number; readonly multiple: number }): { width: number; height: number } {
  if (!(multiple > 0)) throw new RangeError(`detection bucket ${multiple} must be positive`);
  const up = (v: number) => Math.max(multiple, Math.ceil(v / multiple) * multiple);
  return { width: up(width), height: up(height) };
}

/**
 * The recognition model's input for a batch of `crops` crops whose widest is `width` pixels: the batch padded to a
 * bucket of `batchSizes` (blank crops), the width to a bucket of `widths` (padding on the right, as every narrower
 * crop of a batch already is).
 */
export function recognitionInputShape({ crops, width, buckets }: { readonly crops: number; readonly width: number; readonly buckets: Pick<ShapeBuckets, 'recognitionWidths' | 'batchSizes'> }): { batch: number; width: number } {
  return { batch: bucketUp({ value: crops, steps: buckets.batchSizes }), width: bucketUp({ value: width, steps: buckets.recognitionWidths }) };
}

/** Whether a set of buckets is usable: positive, ascending, detection a multiple of the model's size multiple. */
export function checkBuckets(buckets: ShapeBuckets, sizeMultiple: number): void {
  const ascending = (name: string, steps: readonly number[]) => {
    if (steps.length === 0 || steps.some((s, i) => !Number.isInteger(s) || s <= 0 || (i > 0 && s <= steps[i - 1]!))) {
      throw new RangeError(`${name} must be ascending positive integers, got ${steps.join(', ')}`);
    }
  };
  if (!Number.isInteger(buckets.detectionMultiple) || buckets.detectionMultiple % sizeMultiple !== 0 || buckets.detectionMultiple <= 0) {
    throw new RangeError(`detectionMultiple must be a positive multiple of ${sizeMultiple}, got ${buckets.detectionMultiple}`);
  }
  ascending('recognitionWidths', buckets.recognitionWidths);
  ascending('batchSizes', buckets.batchSizes);
}
