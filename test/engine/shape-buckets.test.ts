/**
 * The GPU's shape buckets (pure functions): pages and line batches of every size map onto a few model input shapes,
 * each at least as large as what it holds; and the padding of a detection input continues the page's margin.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { edgeColour, padRaster } from '../../app/worker/engine/raster.ts';
import { bucketUp, checkBuckets, detectionInputSize, GPU_SHAPE_BUCKETS, recognitionInputShape } from '../../app/worker/engine/shape-buckets.ts';

describe('shape buckets', () => {
  it('takes the smallest bucket that holds a value, and multiples of the largest beyond it', () => {
    const steps = [96, 192, 320];
    assert.equal(bucketUp({ value: 1, steps }), 96);
    assert.equal(bucketUp({ value: 96, steps }), 96);
    assert.equal(bucketUp({ value: 97, steps }), 192);
    assert.equal(bucketUp({ value: 320, steps }), 320);
    assert.equal(bucketUp({ value: 321, steps }), 640);
    assert.equal(bucketUp({ value: 961, steps }), 1280);
    assert.throws(() => bucketUp({ value: 1, steps: [] }), RangeError);
  });

  it('pads detection inputs to multiples of the bucket, never below one bucket', () => {
    assert.deepEqual(detectionInputSize({ width: 640, height: 480, multiple: 256 }), { width: 768, height: 512 });
    assert.deepEqual(detectionInputSize({ width: 1280, height: 1280, multiple: 256 }), { width: 1280, height: 1280 });
    assert.deepEqual(detectionInputSize({ width: 32, height: 96, multiple: 256 }), { width: 256, height: 256 });
    assert.deepEqual(detectionInputSize({ width: 992, height: 1280, multiple: 128 }), { width: 1024, height: 1280 });
  });

  it('gives every page up to the tile size one of 25 detection shapes, where exact sizes give 1600', () => {
    const exact = new Set<string>();
    const bucketed = new Set<string>();
    for (let w = 32; w <= 1280; w += 32) {
      for (let h = 32; h <= 1280; h += 32) {
        exact.add(`${w}x${h}`);
        const b = detectionInputSize({ width: w, height: h, multiple: GPU_SHAPE_BUCKETS.detectionMultiple });
        assert.ok(b.width >= w && b.height >= h && b.width - w < 256 && b.height - h < 256, `${w}×${h} → ${b.width}×${b.height}`);
        bucketed.add(`${b.width}x${b.height}`);
      }
    }
    assert.equal(exact.size, 1600);
    assert.equal(bucketed.size, 25);
  });

  it('pads a recognition batch to a bucket of widths and of batch sizes: 40 shapes for every batch up to 3200 px and 8 crops', () => {
    assert.deepEqual(recognitionInputShape({ crops: 3, width: 500, buckets: GPU_SHAPE_BUCKETS }), { batch: 4, width: 640 });
    assert.deepEqual(recognitionInputShape({ crops: 8, width: 3200, buckets: GPU_SHAPE_BUCKETS }), { batch: 8, width: 3200 });
    assert.deepEqual(recognitionInputShape({ crops: 1, width: 12, buckets: GPU_SHAPE_BUCKETS }), { batch: 1, width: 96 });
    const shapes = new Set<string>();
    for (let crops = 1; crops <= 8; crops++) {
      for (let width = 1; width <= 3200; width++) {
        const s = recognitionInputShape({ crops, width, buckets: GPU_SHAPE_BUCKETS });
        assert.ok(s.batch >= crops && s.width >= width);
        // Beyond the smallest bucket, at most half of a batch's width is padding.
        if (width > 96) assert.ok(s.width <= 2 * width, `${width} → ${s.width}`);
        shapes.add(`${s.batch}x${s.width}`);
      }
    }
    assert.equal(shapes.size, 40);
    for (const w of GPU_SHAPE_BUCKETS.recognitionWidths) assert.equal(w % 8, 0, 'whole frames of the recogniser');
  });

  it('refuses buckets that are not ascending, or detection buckets off the model’s size multiple', () => {
    checkBuckets(GPU_SHAPE_BUCKETS, 32);
    assert.throws(() => checkBuckets({ ...GPU_SHAPE_BUCKETS, detectionMultiple: 200 }, 32), /multiple of 32/);
    assert.throws(() => checkBuckets({ ...GPU_SHAPE_BUCKETS, recognitionWidths: [320, 96] }, 32), /ascending/);
    assert.throws(() => checkBuckets({ ...GPU_SHAPE_BUCKETS, batchSizes: [] }, 32), /ascending/);
  });

  it('pads a raster in the colour of its right and bottom edges', () => {
    // 3 × 2: white, with one dark pixel on the right edge (text touching it) that the median ignores.
    const img = { width: 3, height: 2, data: new Uint8Array([250, 250, 250, 250, 250, 250, 10, 10, 10, 250, 250, 250, 250, 250, 250, 250, 250, 250]) };
    assert.deepEqual(edgeColour(img), [250, 250, 250]);
    const padded = padRaster(img, 5, 3, [1, 2, 3]);
    assert.equal(padded.width, 5);
    assert.deepEqual([...padded.data.subarray(0, 9)], [...img.data.subarray(0, 9)], 'the first row is the image');
    assert.deepEqual([...padded.data.subarray(9, 15)], [1, 2, 3, 1, 2, 3], 'then the padding');
    assert.deepEqual([...padded.data.subarray(padded.data.length - 3)], [1, 2, 3]);
    assert.throws(() => padRaster(img, 2, 2, [0, 0, 0]), RangeError);
  });
});
