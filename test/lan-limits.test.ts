/**
 * The LAN node's limits on their own: a per-key token bucket (429 with the seconds to wait), a cap on uploads in
 * progress (503), JSON nesting measured without parsing, and the page limit per document (a longer document fails
 * with its own error; the others carry on).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Gate, jsonDepth, RateLimiter } from '../app/main/http/limits.ts';
import { asCaller } from '../app/main/service/caller.ts';
import { OcrService } from '../app/main/service/ocr-service.ts';
import { phototest, tempDir, writeTwoPageTiff } from './helpers.ts';

describe('limits', () => {
  it('a key spends its burst, then waits for the rate; keys do not share buckets', () => {
    const rate = new RateLimiter(2, 3);
    for (let i = 0; i < 3; i++) rate.take('a', 0);
    assert.throws(() => rate.take('a', 0), (e: Error & { kind?: string; retryAfterSeconds?: number }) => e.kind === 'rate-limited' && e.retryAfterSeconds === 1);
    rate.take('b', 0);
    rate.take('a', 500); // half a second refills one request at 2/s
    assert.throws(() => rate.take('a', 500), { kind: 'rate-limited' });
    new RateLimiter(0, 1).take('anyone'); // 0: no limit
  });

  it('uploads beyond the cap are refused until one leaves', () => {
    const gate = new Gate(2);
    const leaves = [gate.enter('uploads'), gate.enter('uploads')];
    assert.throws(() => gate.enter('uploads'), (e: Error & { kind?: string; retryAfterSeconds?: number }) => e.kind === 'busy' && e.retryAfterSeconds! > 0);
    leaves[0]!();
    leaves[0]!(); // leaving twice frees one place only
    gate.enter('uploads');
    assert.equal(gate.active, 2);
  });

  it('measures JSON nesting outside strings', () => {
    assert.equal(jsonDepth('{"a": [1, {"b": 2}]}'), 3);
    assert.equal(jsonDepth('{"a": "[[[[[[\\"[[["}'), 1);
    assert.equal(jsonDepth('[]'.repeat(5)), 1);
    assert.equal(jsonDepth('['.repeat(1000)), 1000);
  });

  it('a document over the page limit fails with too-many-pages; a network caller is refused while the queue is full', async () => {
    const { dir, cleanup } = await tempDir('lan-limits');
    const service = await OcrService.open({ dataDir: path.join(dir, 'data'), env: { OCR_DESK_WORKERS: '1' }, hotFolders: false, network: { maxPages: 1, maxQueuePages: 1, allowedRoots: [dir] } });
    try {
      const tiff = path.join(dir, 'two.tif');
      await writeTwoPageTiff(tiff);
      await service.pauseQueue();
      const job = await service.addJob({ inputs: [tiff, phototest], settings: { formats: ['txt'] } });
      const key = { keyId: 'k1', address: '127.0.0.9', scopes: ['read', 'submit'] as const, localAdmin: false };
      await assert.rejects(asCaller({ ...key, scopes: [...key.scopes] }, () => service.addJob({ inputs: [tiff] })), (e: Error & { kind?: string; retryAfterSeconds?: number }) => e.kind === 'busy' && e.retryAfterSeconds! >= 1);
      await service.resumeQueue();
      await service.idle();
      const docs = (await service.getJob({ jobId: job.jobId })).documentList;
      const long = docs.find((d) => d.name === 'two.tif')!;
      assert.equal(long.state, 'failed');
      assert.equal(long.error?.kind, 'too-many-pages');
      assert.match(long.error?.message ?? '', /has 2 pages; this OCR Desk takes at most 1/);
      assert.equal(docs.find((d) => d.name !== 'two.tif')!.state, 'done', 'the others carry on');
    } finally {
      await service.close();
      await cleanup();
    }
  });
});
