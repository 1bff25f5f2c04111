import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pageText } from '../app/common/result.ts';
import type { FromWorker } from '../app/common/worker-protocol.ts';
import { forkTransport } from '../app/main/pool/fork-transport.ts';
import { WorkerPool } from '../app/main/pool/worker-pool.ts';
import { connectToParent } from '../app/worker/parent-port.ts';
import { phototest, tempDir, writeTwoPageTiff } from './helpers.ts';

describe('WorkerPool', () => {
  let pool: WorkerPool;
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ dir, cleanup } = await tempDir('pool'));
    await writeTwoPageTiff(path.join(dir, 'two.tif'));
    pool = new WorkerPool({ workers: 2, threads: 1 });
  });
  after(async () => {
    await pool.close();
    await cleanup();
  });

  it('probes and recognises a page with real models, reporting stage timings', async () => {
    assert.deepEqual(await pool.probe(phototest), { format: 'tiff', pages: 1, width: 640, height: 480, bytes: 38668 });
    const { page, timings } = await pool.recognisePage(phototest, 0);
    assert.equal(page.index, 0);
    assert.match(pageText(page), /quick brown dog/);
    assert.ok(timings.decodeMs > 0 && timings.detectMs > 0 && timings.recogniseMs > 0);
    assert.deepEqual(page.lines.slice(0, 2).map((l) => l.id), ['l1', 'l2'], 'lines have ids in reading order');
    assert.equal(page.lines[0]!.words[0]!.id, 'w1');
    assert.equal(pool.models, 'ppocr-v4-mobile');
  });

  it('streams a multi-page file in page order, its pages spread over the workers', async () => {
    const pages = [];
    for await (const page of pool.recogniseFile(path.join(dir, 'two.tif'))) pages.push(page);
    assert.deepEqual(pages.map((p) => p.index), [0, 1]);
    for (const p of pages) assert.match(pageText(p), /lazy fox/);
  });

  it('rejects input errors with their own kind and keeps the worker', async () => {
    const started = pool.stats().started;
    await assert.rejects(pool.recognisePage(path.join(dir, 'two.tif'), 5), { kind: 'corrupt-image', message: /page 6 does not exist/ });
    await assert.rejects(pool.probe(path.join(dir, 'absent.png')), { kind: 'input-not-found' });
    assert.equal(pool.stats().started, started);
  });

  it('starts workers ahead of work on warmUp, within the pool size, and uses them for the first page', async () => {
    const warm = new WorkerPool({ workers: 2, threads: 1 });
    try {
      warm.warmUp(5);
      assert.equal(warm.stats().started, 2);
      warm.warmUp();
      assert.equal(warm.stats().started, 2, 'warmUp does not start more than the pool holds');
      const { page } = await warm.recognisePage(phototest, 0);
      assert.match(pageText(page), /quick brown dog/);
      assert.equal(warm.stats().started, 2);
    } finally {
      await warm.close();
    }
  });

  it('validates its options', () => {
    assert.throws(() => new WorkerPool({ workers: 0 }), { kind: 'invalid-option', message: 'Expected `workers` to be an integer between 1 and 256, got `0`' });
    assert.throws(() => new WorkerPool({ workers: 64, threads: 64 }), { kind: 'invalid-option', message: /`workers` × `threads` to be at most/ });
  });
});

describe('WorkerPool memory recycling', () => {
  it('replaces a worker whose RSS passes the limit', async () => {
    await using pool = new WorkerPool({ workers: 1, maxRssBytes: 1, trustModels: true });
    const { page: first } = await pool.recognisePage(phototest, 0);
    const secondPage = pool.recognisePage(phototest, 0);
    // The replacement starts once the retired worker has exited, not beside it: two would double the peak memory.
    assert.deepEqual(pool.stats().workers.map((w) => w.state), ['retiring']);
    const { page: second } = await secondPage;
    assert.deepEqual(second.lines.map((l) => l.text), first.lines.map((l) => l.text));
    assert.equal(pool.stats().started, 2);
  });
});

describe('WorkerPool start-up failures', () => {
  it('rejects queued work with the model error when the pack is unusable', async () => {
    const { dir, cleanup } = await tempDir('nomodels');
    try {
      await using pool = new WorkerPool({ workers: 1, modelDir: dir });
      await assert.rejects(pool.probe(phototest), { kind: 'model-manifest', message: /No model pack at/ });
    } finally {
      await cleanup();
    }
  });

  it('gives up after workers crash while starting, instead of restarting them forever', async () => {
    await using pool = new WorkerPool({ workers: 1, env: { ...process.env, OCR_DESK_TEST_FAULTS: 'init-crash' } });
    await assert.rejects(pool.probe(phototest), { kind: 'worker-crashed', message: /failed to start 3 times in a row \(last: .*SIGSEGV/ });
  });
});

describe('worker process protocol', () => {
  it('answers an invalid message or a request before init with a protocol failure', async () => {
    const worker = forkTransport();
    const replies: FromWorker[] = [];
    worker.onMessage((m) => replies.push(m as FromWorker));
    const exited = new Promise((resolve) => worker.onExit(resolve));
    worker.send({ type: 'explode', seq: 7 } as never);
    worker.send({ type: 'page', seq: 8, path: '/x.png', page: -1, options: {} } as never);
    worker.send({ type: 'probe', seq: 9, path: phototest });
    while (replies.length < 3) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(replies.map((r) => [r.type, r.seq, r.type === 'failed' ? r.error.kind : '']), [
      ['failed', 7, 'protocol'],
      ['failed', 8, 'protocol'],
      ['failed', 9, 'protocol'],
    ]);
    assert.match(replies[0]!.type === 'failed' ? replies[0]!.error.message : '', /invalid message \(type: /);
    assert.match(replies[2]!.type === 'failed' ? replies[2]!.error.message : '', /`probe` before `init`/);
    worker.send({ type: 'shutdown', seq: 10 });
    assert.deepEqual(await exited, { code: 0, signal: null });
  });

  it('starts workers with glibc malloc held to two arenas, unless the user set MALLOC_ARENA_MAX', async () => {
    const { dir, cleanup } = await tempDir('arena');
    try {
      const entry = path.join(dir, 'print-env.mjs');
      await writeFile(entry, 'process.send(process.env.MALLOC_ARENA_MAX ?? "unset", () => process.exit(0));\n');
      const arenas = async (env: NodeJS.ProcessEnv) => {
        const worker = forkTransport({ entry, env });
        return new Promise<unknown>((resolve) => worker.onMessage(resolve));
      };
      const { MALLOC_ARENA_MAX: _, ...env } = process.env;
      assert.equal(await arenas(env), '2');
      assert.equal(await arenas({ ...env, MALLOC_ARENA_MAX: '8' }), '8');
    } finally {
      await cleanup();
    }
  });

  it('finds an Electron parent port when there is one', () => {
    // Electron's utility process exposes process.parentPort; this stands in for that Electron API.
    const posted: unknown[] = [];
    const handlers: Record<string, (e: { data: unknown }) => void> = {};
    const parentPort = {
      on: (event: string, listener: (e: { data: unknown }) => void) => void (handlers[event] = listener),
      postMessage: (m: unknown) => void posted.push(m),
    };
    const port = connectToParent(Object.assign(Object.create(process) as NodeJS.Process, { parentPort }));
    const got: unknown[] = [];
    port.onMessage((m) => got.push(m));
    handlers.message?.({ data: { type: 'shutdown', seq: 1 } });
    port.send({ type: 'ready', seq: 1, models: 'm', device: { provider: 'cpu' } });
    assert.deepEqual(got, [{ type: 'shutdown', seq: 1 }]);
    assert.deepEqual(posted, [{ type: 'ready', seq: 1, models: 'm', device: { provider: 'cpu' } }]);
  });
});
