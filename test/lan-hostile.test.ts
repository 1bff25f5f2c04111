/**
 * Hostile input against a LAN node (HTTPS on loopback only, bounded in count and time): malformed multipart,
 * oversized headers and bodies, deeply nested JSON, path traversal and slow-loris clients each get a 4xx or a
 * closed connection, never a stack trace or a path, and the node stays up and keeps serving others meanwhile.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { receipts, tempDir } from './helpers.ts';
import { call, LAN_HOST, newKey, startLanNode, type Answer, type LanNode } from './lan-fixture.ts';

const LEAKS = /\.ts:\d+|node_modules|\/work\/|\/tmp\/|at [A-Za-z.]+ \(/;

function multipart(boundary: string, parts: { name: string; filename?: string; data: Buffer | string }[], close = true): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ''}\r\n${p.filename ? 'Content-Type: application/octet-stream\r\n' : ''}\r\n`));
    chunks.push(Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data));
    chunks.push(Buffer.from('\r\n'));
  }
  if (close) chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

/** A raw TLS connection: what it sends is up to the test. Resolves how long until the server closed it. */
function rawTls(node: LanNode): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: LAN_HOST, port: node.port, ca: node.ca }, () => resolve(socket));
    socket.on('error', reject);
  });
}

function closedWithin(socket: TLSSocket, ms: number): Promise<{ closed: boolean; afterMs: number; got: string }> {
  const start = Date.now();
  let got = '';
  socket.on('data', (d: Buffer) => (got += d.toString('latin1')));
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ closed: false, afterMs: Date.now() - start, got });
    }, ms);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ closed: true, afterMs: Date.now() - start, got });
    });
    socket.on('error', () => undefined);
  });
}

describe('the LAN node under hostile input', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let node: LanNode;
  let key: string;
  const ok = async () => {
    const res = await call(node, 'GET', '/v1/progress', { key });
    assert.equal(res.status, 200, `still serving: ${res.body}`);
  };
  const refused = (res: Answer, status: number | number[], what: string) => {
    assert.ok((Array.isArray(status) ? status : [status]).includes(res.status), `${what}: ${res.status} ${res.body}`);
    assert.doesNotMatch(res.body, LEAKS, `${what}: no stack or path`);
  };
  before(async () => {
    ({ dir, cleanup } = await tempDir('lan-hostile'));
    node = await startLanNode(path.join(dir, 'data'), ['--headers-timeout-ms', '1500', '--idle-timeout-ms', '2000', '--max-upload-bytes', '200000', '--rate-limit', '0', '--allow-root', path.join(dir, 'root')]);
    key = (await newKey(node, 'submit')).key;
  });
  after(async () => {
    await node?.stop();
    await cleanup();
  });

  it('malformed multipart: no boundary, garbage, a part never closed, no file, bad settings: 400', async () => {
    const up = (body: Buffer | string, type: string) => call(node, 'POST', '/v1/uploads', { key, body, headers: { 'content-type': type } });
    refused(await up('hello', 'multipart/form-data'), 400, 'no boundary');
    refused(await up('this is not multipart at all', 'multipart/form-data; boundary=xyz'), 400, 'garbage');
    refused(await up(multipart('xyz', [{ name: 'file', filename: 'a.jpg', data: 'abc' }], false), 'multipart/form-data; boundary=xyz'), 400, 'unterminated');
    refused(await up(multipart('xyz', [{ name: 'label', data: 'x' }]), 'multipart/form-data; boundary=xyz'), 400, 'no file');
    refused(await up(multipart('xyz', [{ name: 'settings', data: '{"formats": [' }, { name: 'file', filename: 'a.jpg', data: 'abc' }]), 'multipart/form-data; boundary=xyz'), 400, 'settings not JSON');
    refused(await up('{}', 'text/plain'), 400, 'not multipart');
    await ok();
  });

  it('oversized headers get 431 and oversized bodies 413, declared or streamed', async () => {
    const big = await call(node, 'GET', '/v1/progress', { key, headers: { 'x-filler': 'a'.repeat(40_000) } }).catch((e: Error) => ({ status: 0, headers: {}, body: e.message }));
    assert.ok(big.status === 431 || big.status === 0, `big headers: ${big.status}`);
    refused(await call(node, 'POST', '/v1/jobs', { key, body: JSON.stringify({ inputs: ['x'], label: 'a'.repeat(2 * 1024 * 1024) }) }), 413, 'a 2 MiB JSON body');
    const file = Buffer.alloc(300_000, 7);
    refused(await call(node, 'POST', '/v1/uploads', { key, body: multipart('b1', [{ name: 'file', filename: 'big.jpg', data: file }]), headers: { 'content-type': 'multipart/form-data; boundary=b1' } }), 413, 'a file over --max-upload-bytes');
    const many = multipart('b2', Array.from({ length: 40 }, (_, i) => ({ name: `f${i}`, data: 'x' })));
    refused(await call(node, 'POST', '/v1/uploads', { key, body: many, headers: { 'content-type': 'multipart/form-data; boundary=b2' } }), [400, 413], 'too many fields');
    assert.deepEqual(existsSync(path.join(node.dataDir, 'uploads')) ? (await import('node:fs')).readdirSync(path.join(node.dataDir, 'uploads')) : [], [], 'refused uploads leave nothing behind');
    await ok();
  });

  it('deeply nested JSON is refused before it is parsed', async () => {
    for (const depth of [100, 100_000]) {
      const body = `{"inputs": ${'['.repeat(depth)}${']'.repeat(depth)}}`;
      const res = await call(node, 'POST', '/v1/jobs', { key, body });
      refused(res, 400, `nested ${depth}`);
      assert.match(res.body, /nests deeper than/);
    }
    refused(await call(node, 'PATCH', '/v1/hot-folders/1', { key: (await newKey(node, 'admin')).key, body: `{"settings": ${'{"a":'.repeat(50)}1${'}'.repeat(50)}}` }), 400, 'nested objects');
    await ok();
  });

  it('path traversal: in route parameters, the UI path, upload names and job inputs', async () => {
    for (const p of ['/v1/documents/..%2F..%2Fetc%2Fpasswd', '/v1/documents/1%2F..%2F..%2Fetc%2Fpasswd/result', '/v1/documents/1/export/..%2F..%2F..%2Fetc%2Fpasswd', '/v1/documents/%2e%2e/pages/0']) {
      const res = await call(node, 'GET', p, { key });
      refused(res, [400, 404], p);
      assert.doesNotMatch(res.body, /root:x:0/);
    }
    for (const p of ['/..%2F..%2F..%2Fetc%2Fpasswd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2f..%2fpackage.json', '/%E0%A4%A']) {
      const res = await call(node, 'GET', p, { key });
      assert.ok([200, 404].includes(res.status), `${p}: ${res.status}`);
      assert.doesNotMatch(res.body, /root:x:0|"devDependencies"/, `${p} reads no file outside the UI`);
    }
    const name = `../../../../../../tmp/ocr-desk-escape-${process.pid}.jpg`;
    const up = await call(node, 'POST', '/v1/uploads', { key, body: multipart('b3', [{ name: 'file', filename: name, data: await readFile(receipts[0]!) }]), headers: { 'content-type': 'multipart/form-data; boundary=b3' } });
    assert.equal(up.status, 200, up.body);
    assert.equal(existsSync(`/tmp/ocr-desk-escape-${process.pid}.jpg`), false, 'the upload stays in the upload folder');
    refused(await call(node, 'POST', '/v1/jobs', { key, body: JSON.stringify({ inputs: ['../../../../etc/passwd'] }) }), 403, 'a job input out of the roots');
    refused(await call(node, 'POST', '/v1/jobs', { key, body: JSON.stringify({ inputs: ['x'], baseDir: '/etc' }) }), 403, 'a base folder out of the roots');
    await ok();
  });

  it('slow-loris clients (headers or body trickled, or silence) are cut off while others are served', async () => {
    const loris = await Promise.all(Array.from({ length: 20 }, () => rawTls(node)));
    // Each sends a header line every 400 ms and never finishes.
    const drips = loris.map((s, i) => {
      s.write(`GET /v1/progress HTTP/1.1\r\nHost: ${LAN_HOST}\r\n`);
      return setInterval(() => s.writable && s.write(`x-drip-${i}: ${'a'.repeat(10)}\r\n`), 400);
    });
    const silent = await rawTls(node);
    const slowBody = await rawTls(node);
    slowBody.write(`POST /v1/jobs HTTP/1.1\r\nHost: ${LAN_HOST}\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"inp`);
    const waits = [...loris, silent, slowBody].map((s) => closedWithin(s, 12_000));
    // Meanwhile, an honest client is served at once, again and again.
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t = Date.now();
      await ok();
      times.push(Date.now() - t);
      await new Promise((r) => setTimeout(r, 200));
    }
    const ended = await Promise.all(waits);
    drips.forEach(clearInterval);
    assert.ok(ended.every((e) => e.closed), `every slow client was cut off: ${ended.map((e) => e.afterMs).join(', ')}`);
    assert.ok(ended.slice(0, 20).every((e) => e.afterMs < 6000), `trickled headers: within headersTimeout + check (${ended.slice(0, 20).map((e) => e.afterMs).join(', ')})`);
    assert.ok(ended[21]!.got === '' || /HTTP\/1\.1 (4\d\d|408)/.test(ended[21]!.got), `a stalled body gets no success: ${ended[21]!.got.slice(0, 80)}`);
    assert.ok(Math.max(...times) < 2000, `others were served meanwhile (${times.join(', ')} ms)`);
    await ok();
  });
});
