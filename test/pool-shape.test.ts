import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { singlePageImages } from '../app/main/cli/pages-hint.ts';
import { smallJobShape } from '../app/main/service/worker-pools.ts';
import { phototest, receipts, sharedDir } from './helpers.ts';

describe('pool shape for small jobs', () => {
  it('gives a job of fewer pages than cores one worker per page, the cores shared among them', () => {
    assert.deepEqual(smallJobShape(1, 2), { workers: 1, threads: 2 });
    assert.deepEqual(smallJobShape(1, 8), { workers: 1, threads: 8 });
    assert.deepEqual(smallJobShape(3, 8), { workers: 3, threads: 2 });
  });

  it('leaves batches of as many pages as cores, and jobs of unknown size, to the default shape', () => {
    assert.equal(smallJobShape(2, 2), undefined);
    assert.equal(smallJobShape(50, 2), undefined);
    assert.equal(smallJobShape(undefined, 2), undefined);
    assert.equal(smallJobShape(0, 2), undefined);
  });

  it('counts pages only for files of one-page formats', async () => {
    assert.equal(await singlePageImages(receipts), 2);
    assert.equal(await singlePageImages([receipts[0]!]), 1);
    // A TIFF or a PDF may hold any number of pages; a folder any number of files; a missing file is no page.
    assert.equal(await singlePageImages([phototest]), undefined);
    assert.equal(await singlePageImages([receipts[0]!, path.join(sharedDir, 'data', 'pdfs', 'mixed', 'multipage.pdf')]), undefined);
    assert.equal(await singlePageImages([path.join(sharedDir, 'eval', 'sroie-dev', 'images')]), undefined);
    assert.equal(await singlePageImages([path.join(sharedDir, 'missing.jpg')]), undefined);
    assert.equal(await singlePageImages([]), undefined);
  });
});
