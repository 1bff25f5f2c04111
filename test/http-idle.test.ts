/**
 * Connections that idle or stall at `ocr-desk serve`: a browser opens connections ahead of need, and an answer
 * written on one of those could be read as the answer to the request it then sends there.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempDir } from './helpers.ts';
import { serve, type Served } from './serve-fixture.ts';

/** Opens a TCP connection, writes `first`, and resolves with everything read when the server closes it. */
function rawConnection(url: string, first: string): Promise<{ got: string; afterMs: number }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const s = connect(Number(port), hostname);
    const t0 = Date.now();
    let got = '';
    s.on('connect', () => first && s.write(first));
    s.on('data', (d) => (got += d.toString()));
    s.on('error', reject);
    s.on('close', () => resolve({ got, afterMs: Date.now() - t0 }));
    setTimeout(() => reject(new Error(`still open after 10 s; read ${JSON.stringify(got)}`)), 10_000).unref();
  });
}

describe('idle and stalled connections', () => {
  let served: Served;
  let cleanup: () => Promise<void>;
  before(async () => {
    let dir: string;
    ({ dir, cleanup } = await tempDir('http-idle'));
    served = await serve(path.join(dir, 'data'), { OCR_DESK_HEADERS_TIMEOUT_MS: '1000' });
  });
  after(async () => {
    served?.child.kill();
    await cleanup?.();
  });

  it('a connection that sends nothing is closed at the headers timeout without an answer', async () => {
    const { got, afterMs } = await rawConnection(served.url, '');
    assert.equal(got, '', 'no bytes: a browser would take them for the answer to its next request');
    assert.ok(afterMs < 5000, `closed after ${afterMs} ms`);
  });

  it('a request whose headers stop half way gets 408 Request Timeout', async () => {
    const { got } = await rawConnection(served.url, `GET /v1/health HTTP/1.1\r\nHost: ${new URL(served.url).host}\r\n`);
    assert.match(got, /^HTTP\/1\.1 408 Request Timeout\r\n/);
  });

  it('a malformed request still gets 400 Bad Request', async () => {
    const { got } = await rawConnection(served.url, 'NOT A REQUEST\r\n\r\n');
    assert.match(got, /^HTTP\/1\.1 400 Bad Request\r\n/);
  });
});
