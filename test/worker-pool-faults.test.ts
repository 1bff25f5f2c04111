/**
 * The pool against real worker processes that crash, hang, run out of memory or misbehave. Faults are injected by
 * the worker itself (app/worker/faults.ts, active only with OCR_DESK_TEST_FAULTS set) when a page's path carries a
 * marker; kill -9 is done for real from here. Every case must end in a clean, specific error — never a hang.
 */
import assert from 'node:assert/strict';
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CancelledError, isCancellation } from '../app/common/errors.ts';
import { pageText } from '../app/common/result.ts';
import { WorkerPool } from '../app/main/pool/worker-pool.ts';
import { phototest, processAlive, tempDir, waitFor } from './helpers.ts';

const faultEnv = { ...process.env, OCR_DESK_TEST_FAULTS: '1' };

describe('WorkerPool with failing workers', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let pool: WorkerPool;
  const marked = (fault: string) => path.join(dir, `page__fault-${fault}__.tif`);

  before(async () => {
    ({ dir, cleanup } = await tempDir('faults'));
    for (const f of ['crash', 'oom', 'garbage', 'hang']) await copyFile(phototest, marked(f));
    // A small V8 heap makes the out-of-memory case quick; real pages fit comfortably.
    pool = new WorkerPool({ workers: 1, maxOldSpaceMb: 128, trustModels: true, env: faultEnv });
  });
  after(async () => {
    await pool.close();
    await cleanup();
  });

  it('retries a page whose worker is killed with SIGKILL mid-page, and completes it', async () => {
    await pool.probe(phototest); // the worker is up
    const before = pool.stats().started;
    const result = pool.recognisePage(phototest, 0);
    const busy = await waitFor(() => pool.stats().workers.find((w) => w.state === 'busy' && w.activity?.path === phototest), 5000, 'a busy worker');
    process.kill(busy.pid!, 'SIGKILL');
    const { page } = await result;
    assert.match(pageText(page), /lazy fox/, 'the retried page has its text');
    assert.equal(pool.stats().started, before + 1, 'one replacement worker');
  });

  it('fails a page whose worker crashes every time with WorkerCrashedError after one retry', async () => {
    const before = pool.stats().started;
    await assert.rejects(pool.recognisePage(marked('crash'), 0), (error: Error & { kind?: string }) => {
      assert.equal(error.kind, 'worker-crashed');
      assert.equal(error.name, 'WorkerCrashedError');
      assert.match(error.message, /crashed on page 1 of .*page__fault-crash__\.tif \(tried twice, each time in a fresh worker; .*signal SIGSEGV/);
      assert.match(error.message, /convert it to PNG and try again, or report it/);
      return true;
    });
    assert.ok(pool.stats().started >= before + 1);
  });

  it('fails a page whose worker runs out of memory with WorkerOutOfMemoryError', async () => {
    await assert.rejects(pool.recognisePage(marked('oom'), 0), (error: Error & { kind?: string }) => {
      assert.equal(error.kind, 'worker-out-of-memory');
      assert.match(error.message, /ran out of memory on page 1 of .*page__fault-oom__\.tif \(tried twice/);
      assert.match(error.message, /heap out of memory/);
      assert.match(error.message, /--max-pixels|--workers/);
      return true;
    });
  });

  it('refuses an off-protocol reply with ProtocolError, without retrying, and carries on', async () => {
    await pool.probe(phototest); // the worker is up
    const before = pool.stats().started;
    await assert.rejects(pool.recognisePage(marked('garbage'), 0), { kind: 'protocol', message: /invalid answer for page 1 of .*garbage.*page\.index/ });
    const { page } = await pool.recognisePage(phototest, 0);
    assert.match(pageText(page), /lazy fox/);
    assert.equal(pool.stats().started, before + 1, 'the misbehaving worker was replaced once');
  });

  it('cancels queued work at once and running work by killing its worker', async () => {
    await pool.probe(phototest); // the worker is up
    const running = new AbortController();
    const queued = new AbortController();
    const first = pool.recognisePage(phototest, 0, {}, { signal: running.signal });
    const second = pool.recognisePage(phototest, 0, {}, { signal: queued.signal });
    const third = pool.recognisePage(phototest, 0); // not cancelled: must still complete
    const busy = await waitFor(() => pool.stats().workers.find((w) => w.state === 'busy'), 5000, 'a busy worker');
    assert.equal(pool.stats().queued, 2);

    let t = performance.now();
    queued.abort();
    await assert.rejects(second, CancelledError);
    assert.ok(performance.now() - t < 100, 'queued work is cancelled at once');
    assert.equal(pool.stats().queued, 1);

    t = performance.now();
    running.abort();
    await assert.rejects(first, (e) => isCancellation(e));
    assert.ok(performance.now() - t < 100, 'running work is cancelled at once');
    await waitFor(() => (processAlive(busy.pid!) ? undefined : true), 5000, 'the cancelled worker to exit');

    assert.match(pageText((await third).page), /lazy fox/);
    await assert.rejects(pool.recognisePage(phototest, 0, {}, { signal: AbortSignal.abort() }), CancelledError);
  });

  it('stops a hung worker with the watchdog, retries once, then fails with WorkerTimeoutError', async () => {
    await using short = new WorkerPool({ workers: 1, pageTimeoutMs: 1500, trustModels: true, env: faultEnv });
    await short.probe(phototest);
    const t = performance.now();
    await assert.rejects(short.recognisePage(marked('hang'), 0), (error: Error & { kind?: string }) => {
      assert.equal(error.kind, 'worker-timeout');
      assert.equal(error.name, 'WorkerTimeoutError');
      assert.match(error.message, /page 1 of .*page__fault-hang__\.tif did not finish within 1\.5 s \(tried twice/);
      assert.match(error.message, /OCR_DESK_PAGE_TIMEOUT_MS/);
      return true;
    });
    assert.ok(performance.now() - t >= 3000, 'two attempts of 1.5 s each');
    for (const w of short.stats().workers) assert.notEqual(w.state, 'busy');
  });
});
