import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { writeChw } from '../../app/worker/engine/raster.ts';
import { FloatScratch } from '../../app/worker/engine/scratch.ts';

describe('FloatScratch', () => {
  it('reuses a released buffer and never hands one buffer to two borrowers', () => {
    const scratch = new FloatScratch();
    const a = scratch.borrow(100);
    const b = scratch.borrow(50);
    assert.notEqual(a.buffer, b.buffer, 'a buffer in use is not lent again');
    scratch.release(a);
    scratch.release(b); // smaller: the larger storage is kept
    const c = scratch.borrow(80);
    assert.equal(c.buffer, a.buffer);
    assert.equal(c.length, 80);
    const d = scratch.borrow(80);
    assert.notEqual(d.buffer, c.buffer);
  });

  it('is safe to reuse for padded batches: writeChw clears the columns beyond the image', () => {
    const out = new Float32Array(3 * 2 * 4).fill(7); // a dirty (3, 2, 4) buffer
    const img = { data: new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]), width: 2, height: 2 };
    writeChw(img, { channels: 'RGB', scale: 1 / 255, mean: [0, 0, 0], std: [1, 1, 1] }, out, 0, 4);
    // R plane, G plane, B plane; each row: 2 image columns then 2 cleared columns.
    assert.deepEqual([...out], [1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0]);
  });
});
