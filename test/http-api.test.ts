/**
 * `ocr-desk serve` over real HTTP on loopback, with the real service and engine: uploads of a real receipt and a
 * scanned PDF end in done jobs whose events arrive over SSE and whose results download in every format; a batch's
 * document is found through the API; every route refuses a request without the token (401) and one from a foreign
 * Origin or Host (403); the OpenAPI document validates and lists every route; the diagnostics say where OCR runs.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { createHttpClient } from '../app/common/api/http-client.ts';
import type { ServiceEvent } from '../app/common/api/events.ts';
import { OPERATIONS } from '../app/common/api/operations.ts';
import { OUTPUT_FORMATS } from '../app/common/job-settings.ts';
import { documentSchema } from '../app/common/result.ts';
import { receipts, sharedPdfs, tempDir } from './helpers.ts';
import { serve, type Served } from './serve-fixture.ts';

/** A raw request, to send what a browser or an attacker would (any Host, Origin, no token). */
function raw(url: string, method: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method, headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Each route with its placeholders filled: every operation of the contract, the event stream and the document. */
function everyRoute(): { method: string; path: string }[] {
  const fill = (p: string) => p.replace('{format}', 'txt').replace(/\{\w+\}/g, '1');
  return [
    ...Object.values(OPERATIONS).map((o) => ({ method: o.method, path: fill(o.path) })),
    { method: 'GET', path: '/v1/events' },
    { method: 'GET', path: '/v1/openapi.json' },
    { method: 'GET', path: '/' },
  ];
}

describe('ocr-desk serve over HTTP', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let server: Served;
  before(async () => {
    ({ dir, cleanup } = await tempDir('http'));
    server = await serve(path.join(dir, 'data'));
  });
  after(async () => {
    server.child.kill('SIGINT');
    await new Promise((r) => server.child.once('exit', r));
    await cleanup();
  });

  it('uploads a receipt and a scanned PDF as multipart; the jobs finish, their events arrive over SSE, results download in every format', async () => {
    const client = createHttpClient({ baseUrl: server.url, token: server.token });
    const events: ServiceEvent[] = [];
    const stop = client.subscribe((e) => events.push(e));
    try {
      const receipt = { name: 'receipt.jpg', data: new Uint8Array(await readFile(receipts[0]!)) };
      const scanned = { name: 'scan.pdf', data: new Uint8Array(await readFile(path.join(sharedPdfs, 'scanned', '3small.pdf'))) };
      const a = await client.uploadFiles({ files: [receipt], settings: { formats: ['json'] } });
      const b = await client.uploadFiles({ files: [scanned] });
      for (const job of [a, b]) {
        const until = Date.now() + 180_000;
        while (!events.some((e) => e.type === 'job' && e.job.id === job.jobId && e.job.state === 'done')) {
          assert.ok(Date.now() < until, `job ${job.jobId} did not finish: ${JSON.stringify(await client.getJob({ jobId: job.jobId }))}`);
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      const pdfJob = await client.getJob({ jobId: b.jobId });
      const pages = pdfJob.documentList[0]!.pageCount!;
      assert.ok(pages >= 2, 'the scanned PDF has several pages');
      const pageEvents = events.filter((e) => e.type === 'page' && e.jobId === b.jobId);
      assert.equal(pageEvents.length, pages, 'one page event per page, over SSE');
      assert.ok(events.some((e) => e.type === 'document' && e.document.jobId === a.jobId && e.document.state === 'done'));
      assert.ok(events.every((e, i) => i === 0 || e.seq > events[i - 1]!.seq), 'events arrive in order');

      const receiptDoc = (await client.getJob({ jobId: a.jobId })).documentList[0]!;
      for (const id of [receiptDoc.id, pdfJob.documentList[0]!.id]) {
        for (const format of OUTPUT_FORMATS) {
          const file = await client.exportDocument({ documentId: id, format });
          assert.ok(file.data.byteLength > 100, `${format} of document ${id} has content`);
          if (format === 'pdf') assert.equal(new TextDecoder().decode(file.data.subarray(0, 5)), '%PDF-');
          if (format === 'json') documentSchema.parse(JSON.parse(new TextDecoder().decode(file.data)));
        }
      }
      const text = new TextDecoder().decode((await client.exportDocument({ documentId: receiptDoc.id, format: 'txt' })).data);
      const word = text.match(/[A-Z]{5,}/)?.[0];
      assert.ok(word, `the receipt has a word to search for:\n${text}`);
      const { hits } = await client.search({ q: word });
      assert.ok(hits.some((h) => h.documentId === receiptDoc.id), `search finds ${word} in the uploaded receipt`);
      const picture = await client.getPageImage({ documentId: receiptDoc.id, page: 0, maxSide: 200 });
      assert.equal(picture.mediaType, 'image/jpeg');
      assert.deepEqual([...picture.data.subarray(0, 2)], [0xff, 0xd8]);
    } finally {
      stop();
    }
  });

  it('every route answers 401 without the token, except the health checks', async () => {
    const host = new URL(server.url).host;
    for (const r of everyRoute()) {
      const res = await raw(server.url + r.path, r.method, { host });
      assert.equal(res.status, 401, `${r.method} ${r.path}: ${res.body}`);
      assert.doesNotMatch(res.body, /at .*\.ts:\d+/, 'no stack trace');
    }
    for (const p of ['/healthz', '/readyz']) assert.equal((await raw(server.url + p, 'GET', { host })).status, 200, p);
  });

  it('every route answers 403 to a foreign Origin or Host, even with the token', async () => {
    const host = new URL(server.url).host;
    const auth = `Bearer ${server.token}`;
    for (const r of [...everyRoute(), { method: 'GET', path: '/healthz' }]) {
      const foreignOrigin = await raw(server.url + r.path, r.method, { host, authorization: auth, origin: 'http://evil.example' });
      assert.equal(foreignOrigin.status, 403, `${r.method} ${r.path} from a foreign origin`);
      const rebinding = await raw(server.url + r.path, r.method, { host: `evil.example:${new URL(server.url).port}`, authorization: auth });
      assert.equal(rebinding.status, 403, `${r.method} ${r.path} with a foreign Host`);
    }
    const sameOrigin = await raw(`${server.url}/v1/progress`, 'GET', { host, authorization: auth, origin: server.url });
    assert.equal(sameOrigin.status, 200, 'the service’s own origin is fine');
  });

  it('the UI entry with ?token= sets an HttpOnly SameSite=Strict cookie that then authenticates', async () => {
    const host = new URL(server.url).host;
    const entry = await new Promise<{ status: number; cookie: string | undefined; location: string | undefined }>((resolve, reject) => {
      const u = new URL(`${server.url}/?token=${server.token}`);
      request({ host: u.hostname, port: u.port, path: u.pathname + u.search, headers: { host } }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, cookie: res.headers['set-cookie']?.[0], location: res.headers.location });
      })
        .on('error', reject)
        .end();
    });
    assert.equal(entry.status, 303);
    assert.equal(entry.location, '/', 'the token leaves the address bar');
    assert.match(entry.cookie ?? '', /HttpOnly/);
    assert.match(entry.cookie ?? '', /SameSite=Strict/);
    const withCookie = await raw(`${server.url}/v1/progress`, 'GET', { host, cookie: entry.cookie!.split(';')[0]! });
    assert.equal(withCookie.status, 200);
    assert.equal((await raw(`${server.url}/?token=wrong`, 'GET', { host })).status, 401);
  });

  it('the OpenAPI document validates as OpenAPI 3.1 and lists every route', async () => {
    const client = createHttpClient({ baseUrl: server.url, token: server.token });
    const res = await fetch(`${server.url}/v1/openapi.json`, { headers: { authorization: `Bearer ${server.token}` } });
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, { operationId: string }>> };
    const validator = new Validator();
    const result = await validator.validate(doc);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
    assert.equal(validator.version, '3.1');
    const listed = new Set(Object.entries(doc.paths).flatMap(([p, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${p}`)));
    for (const [name, o] of Object.entries(OPERATIONS)) assert.ok(listed.has(`${o.method} ${o.path}`), `${name}: ${o.method} ${o.path}`);
    for (const extra of ['GET /healthz', 'GET /readyz', 'GET /v1/events', 'GET /v1/openapi.json']) assert.ok(listed.has(extra), extra);
    assert.equal((await client.getSettings()).dataDir, path.join(dir, 'data'));
  });

  it('GET /v1/diagnostics says where OCR runs: the GPU is off unless switched on, and says so', async () => {
    const res = await fetch(`${server.url}/v1/diagnostics`, { headers: { authorization: `Bearer ${server.token}` } });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { gpu: unknown };
    assert.deepEqual(body.gpu, { enabled: false, available: false, adapter: null, reason: 'GPU is off in settings.' });
  });

  it('bad input gets a 4xx with a specific message, and the service keeps serving', async () => {
    const client = createHttpClient({ baseUrl: server.url, token: server.token });
    await assert.rejects(client.getDocument({ documentId: 999_999 }), { kind: 'document-not-found' });
    await assert.rejects(client.listJobs({ limit: 0 }), { kind: 'invalid-option', message: /Expected `limit` to be an integer between 1 and 1000, got `0`/ });
    await assert.rejects(client.uploadFiles({ files: [{ name: 'x.png', data: new Uint8Array([1, 2, 3]) }], settings: { pdfa: true } }), { kind: 'invalid-option', message: /pdfa/ });
    const host = new URL(server.url).host;
    const badJson = await new Promise<number>((resolve, reject) => {
      const u = new URL(`${server.url}/v1/jobs`);
      const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { host, authorization: `Bearer ${server.token}`, 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end('{"inputs": [');
    });
    assert.equal(badJson, 400);
    assert.equal((await raw(`${server.url}/v1/nowhere`, 'GET', { host, authorization: `Bearer ${server.token}` })).status, 404);
    assert.equal((await raw(`${server.url}/v1/jobs`, 'PUT', { host, authorization: `Bearer ${server.token}` })).status, 405);
    assert.equal((await client.getProgress()).paused, false, 'still serving');
  });
});
