import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { throttle } from '../app/main/service/events.ts';

/** A throttle over a counter, with two calls already made (the first runs at once, the second waits). */
function twoCalls(ms: number): { t: ReturnType<typeof throttle>; calls: () => number } {
  let n = 0;
  const t = throttle(() => n++, ms);
  t();
  t();
  return { t, calls: () => n };
}

describe('throttle (progress events)', () => {
  it('calls at once, then once more at the end of the interval for the calls in it', async () => {
    const { t, calls } = twoCalls(40);
    t();
    assert.equal(calls(), 1);
    await sleep(80);
    assert.equal(calls(), 2, 'the calls within the interval made one more call');
  });

  it('after stop, a pending call is dropped and later calls do nothing (the service closes its store after it)', async () => {
    const { t, calls } = twoCalls(40);
    t.stop();
    await sleep(80);
    t();
    await sleep(80);
    assert.equal(calls(), 1);
  });

  it('after cancel, a pending call is dropped but later calls still run', async () => {
    const { t, calls } = twoCalls(20);
    t.cancel();
    await sleep(40);
    assert.equal(calls(), 1);
    t();
    assert.equal(calls(), 2);
  });
});
