import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { throttle } from '../app/main/service/events.ts';

describe('throttle (progress events)', () => {
  it('calls at once, then once more at the end of the interval for the calls in it', async () => {
    let n = 0;
    const t = throttle(() => n++, 40);
    t();
    t();
    t();
    assert.equal(n, 1);
    await sleep(80);
    assert.equal(n, 2, 'the calls within the interval made one more call');
  });

  it('after stop, a pending call is dropped and later calls do nothing (the service closes its store after it)', async () => {
    let n = 0;
    const t = throttle(() => n++, 40);
    t();
    t();
    t.stop();
    await sleep(80);
    t();
    await sleep(80);
    assert.equal(n, 1);
  });

  it('after cancel, a pending call is dropped but later calls still run', async () => {
    let n = 0;
    const t = throttle(() => n++, 20);
    t();
    t();
    t.cancel();
    await sleep(40);
    assert.equal(n, 1);
    t();
    assert.equal(n, 2);
  });
});
