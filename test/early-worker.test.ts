import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { WorkerExit } from '../app/main/pool/transport.ts';
import { discardEarlyWorker, earlyOrForkTransport, earlyWorker, startWorkerEarly } from '../app/main/pool/early-worker.ts';
import { WorkerPool } from '../app/main/pool/worker-pool.ts';
import { phototest } from './helpers.ts';

const exitOf = (t: { onExit(l: (e: WorkerExit) => void): void }) => new Promise<WorkerExit>((resolve) => t.onExit(resolve));

describe('a worker started before the pool', () => {
  afterEach(() => discardEarlyWorker());

  it('is the first worker of a pool with the same options, which reads with it', async () => {
    startWorkerEarly();
    const early = earlyWorker();
    assert.ok(early?.pid);
    await using pool = new WorkerPool({ workers: 1, trustModels: true });
    const { page } = await pool.recognisePage(phototest, 0);
    assert.ok(page.lines.length > 0);
    assert.equal(pool.stats().started, 1);
    assert.equal(pool.stats().workers[0]!.pid, early.pid);
    assert.equal(earlyWorker(), undefined);
  });

  it('is ended, not used, when the first worker asked for has other options', async () => {
    startWorkerEarly();
    const early = earlyWorker()!;
    const other = earlyOrForkTransport({ maxOldSpaceMb: 256 });
    assert.notEqual(other, early);
    assert.notEqual(other.pid, early.pid);
    assert.equal((await exitOf(early)).signal, 'SIGKILL');
    other.kill();
    await exitOf(other);
  });

  it('is ended when discarded (a batch handed to a running service)', async () => {
    startWorkerEarly();
    const early = earlyWorker()!;
    discardEarlyWorker();
    assert.equal((await exitOf(early)).signal, 'SIGKILL');
    assert.equal(earlyWorker(), undefined);
  });
});
