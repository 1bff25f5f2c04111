/**
 * The LAN node's operations side: signed webhooks retried with back-off until delivered; retention purging old
 * documents with their files (search no longer finds them), at start and on request, and `ocr-desk purge
 * --everything`, all audited; /metrics read with an independent Prometheus text-format parser, its figures moving
 * as a real page is recognised. Webhooks go to a receiver on 127.0.0.1 only.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import parse, { type MetricFamily } from 'parse-prometheus-text-format';
import { createHttpClient } from '../app/common/api/http-client.ts';
import { asCaller, type Caller } from '../app/main/service/caller.ts';
import { OcrService } from '../app/main/service/ocr-service.ts';
import { DAY_MS } from '../app/main/service/retention.ts';
import { cliMain, receipts, repoRoot, tempDir, waitFor } from './helpers.ts';
import { serve } from './serve-fixture.ts';

const env = { OCR_DESK_WORKERS: '1' };

describe('webhooks, retention and delete everything', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let service: OcrService;
  const hits: { headers: IncomingHttpHeaders; body: string }[] = [];
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      hits.push({ headers: req.headers, body });
      res.writeHead(hits.length === 1 ? 500 : 204).end(); // the first delivery fails: it must be retried
    });
  });
  let origin: string;
  const keyCaller = (secret: string): Caller => ({ keyId: 'ktest', address: '127.0.0.9', scopes: ['read', 'submit'], localAdmin: false, webhook: { url: null, secret } });
  const open = (retentionDays = 0) =>
    OcrService.open({ dataDir: path.join(dir, 'data'), env, hotFolders: false, network: { allowedRoots: [path.join(dir, 'in')], webhookAllow: [origin], webhookRetryMs: 200, retentionDays } });

  before(async () => {
    ({ dir, cleanup } = await tempDir('lan-ops'));
    await mkdir(path.join(dir, 'in'), { recursive: true });
    for (const [i, r] of receipts.entries()) await copyFile(r, path.join(dir, 'in', `r${i}.jpg`));
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    service = await open();
  });
  after(async () => {
    await service?.close();
    receiver.close();
    await cleanup();
  });

  it('a job with a webhook reports its end, signed with the key’s secret, retried after a failure', async () => {
    const secret = 'whsec_test_secret';
    await assert.rejects(asCaller(keyCaller(secret), () => service.addJob({ inputs: ['r0.jpg'], webhookUrl: 'http://127.0.0.1:1/elsewhere' })), { kind: 'forbidden', message: /--webhook-allow/ });
    const job = await asCaller(keyCaller(secret), () => service.addJob({ inputs: ['r0.jpg'], outputDir: 'out', settings: { formats: ['txt', 'json'] }, webhookUrl: `${origin}/hook` }));
    await service.idle();
    await waitFor(() => (hits.length >= 2 ? true : undefined), 20_000, 'the webhook retried and delivered');
    const [first, second] = hits;
    assert.equal(first!.body, second!.body, 'the same event again');
    const event = JSON.parse(second!.body) as { event: string; job: { id: number; state: string } };
    assert.deepEqual([event.event, event.job.id, event.job.state], ['job.ended', job.jobId, 'done']);
    const [t, v1] = String(second!.headers['ocr-desk-signature']).split(',').map((p) => p.split('=')[1]!);
    assert.equal(v1, createHmac('sha256', secret).update(`${t}.${second!.body}`).digest('hex'), 'the signature verifies');
    const row = service.store.sql('SELECT state, attempts FROM webhooks WHERE job_id = ?').get(job.jobId) as { state: string; attempts: number };
    assert.deepEqual({ ...row }, { state: 'delivered', attempts: 2 });
  });

  it('purges documents older than N days with their files; search no longer finds them; audited', async () => {
    const added = await service.addJob({ inputs: [path.join(dir, 'in', 'r1.jpg')], outputDir: path.join(dir, 'out2'), settings: { formats: ['txt'] } });
    await service.idle();
    const [oldDoc] = (await service.listDocuments({ jobId: 1 })).documents;
    const detail = await service.getDocument({ documentId: oldDoc!.id });
    const files = detail.outputs.map((o) => o.path);
    assert.ok(files.length === 2 && files.every((f) => existsSync(f)), 'its outputs exist');
    const text = new TextDecoder().decode((await service.exportDocument({ documentId: oldDoc!.id, format: 'txt' })).data);
    const word = text.match(/[A-Z]{5,}/)?.[0];
    assert.ok(word && (await service.search({ q: word })).hits.some((h) => h.documentId === oldDoc!.id), 'found before');
    service.store.sql('UPDATE documents SET updated_at = ? WHERE id = ?').run(Date.now() - 40 * DAY_MS, oldDoc!.id);
    const purged = await service.purgeDocuments({ olderThanDays: 30 });
    assert.deepEqual(purged, { documents: 1, deletedFiles: 2 });
    assert.ok(files.every((f) => !existsSync(f)), 'its files are gone');
    assert.equal((await service.search({ q: word })).hits.some((h) => h.documentId === oldDoc!.id), false, 'search no longer finds it');
    await assert.rejects(service.getDocument({ documentId: oldDoc!.id }), { kind: 'document-not-found' });
    assert.equal((await service.getJob({ jobId: added.jobId })).state, 'done', 'the recent job stays');
    const audit = (await service.getAuditLog({ limit: 20 })).entries.map((e) => e.action);
    assert.ok(audit.includes('retention-purge') && audit.includes('document-deleted'), audit.join(', '));
  });

  it('a service with --retention-days purges at start; ocr-desk purge --everything deletes the rest', async () => {
    const [doc] = (await service.listDocuments({})).documents;
    service.store.sql('UPDATE documents SET updated_at = ?').run(Date.now() - 10 * DAY_MS);
    await service.close();
    service = await open(7);
    await waitFor(() => (service.store.sql('SELECT count(*) AS n FROM documents').get() as { n: number }).n === 0 || undefined, 10_000, 'purged at start');
    assert.ok((await service.getAuditLog({})).entries.some((e) => e.action === 'retention-purge' && /1 document/.test(e.detail ?? '')), `document ${doc!.id} purged by retention`);
    await service.addJob({ inputs: [path.join(dir, 'in', 'r0.jpg')], settings: { formats: ['txt'] } });
    await service.idle();
    await service.close();
    const run = await promisify(execFile)(process.execPath, [cliMain, 'purge', '--everything', '--yes', '--data-dir', path.join(dir, 'data')], { cwd: repoRoot, env: { ...process.env, ...env } });
    assert.match(run.stdout, /Deleted 1 document/);
    service = await open();
    assert.equal((await service.listDocuments({})).total, 0);
    assert.equal((await service.listJobs({})).total, 0);
    assert.ok((await service.getAuditLog({})).entries.some((e) => e.action === 'delete-everything'));
    await assert.rejects(promisify(execFile)(process.execPath, [cliMain, 'purge', '--everything', '--data-dir', path.join(dir, 'data')], { cwd: repoRoot }), /--yes/);
  });
});

describe('/metrics', () => {
  it('parses as Prometheus text format and its figures move when a page is recognised', async () => {
    const { dir, cleanup } = await tempDir('lan-metrics');
    const server = await serve(path.join(dir, 'data'));
    try {
      const scrape = async () => {
        const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${server.token}` } });
        assert.equal(res.status, 200);
        assert.match(res.headers.get('content-type') ?? '', /text\/plain; version=0\.0\.4/);
        const text = await res.text();
        lastText = text;
        return parse(text); // throws on any line that is not valid text format
      };
      let lastText = '';
      // parse-prometheus-text-format folds a labelled histogram into one unlabelled sample: read its series directly.
      const sample = (series: string) => Number(lastText.split('\n').find((l) => l.startsWith(`${series} `))?.split(' ')[1] ?? NaN);
      const family = (all: MetricFamily[], name: string) => all.find((f) => f.name === name) ?? assert.fail(`${name} is missing`);
      const value = (all: MetricFamily[], name: string, labels: Record<string, string> = {}) =>
        Number(family(all, name).metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value ?? 0);
      const before = await scrape();
      for (const name of ['ocr_desk_queue_pages', 'ocr_desk_pages_processed_total', 'ocr_desk_page_stage_seconds', 'ocr_desk_worker_restarts_total', 'ocr_desk_errors_total', 'ocr_desk_http_requests_total', 'ocr_desk_process_resident_memory_bytes']) family(before, name);
      assert.equal(family(before, 'ocr_desk_page_stage_seconds').type, 'HISTOGRAM');
      assert.equal(value(before, 'ocr_desk_pages_processed_total'), 0);
      const client = createHttpClient({ baseUrl: server.url, token: server.token });
      const job = await client.uploadFiles({ files: [{ name: 'r.jpg', data: new Uint8Array(await readFile(receipts[0]!)) }] });
      for (const until = Date.now() + 120_000; (await client.getJob({ jobId: job.jobId })).state !== 'done'; await new Promise((r) => setTimeout(r, 200))) {
        assert.ok(Date.now() < until, 'the job finishes');
      }
      await assert.rejects(client.getDocument({ documentId: 99_999 }));
      const after = await scrape();
      assert.equal(value(after, 'ocr_desk_pages_processed_total'), 1);
      for (const stage of ['decode', 'detect', 'classify', 'recognise', 'layout']) {
        assert.equal(sample(`ocr_desk_page_stage_seconds_count{stage="${stage}"}`), 1, `one page timed in ${stage}`);
        assert.equal(sample(`ocr_desk_page_stage_seconds_bucket{le="+Inf",stage="${stage}"}`), 1);
      }
      assert.ok(sample('ocr_desk_page_stage_seconds_sum{stage="recognise"}') > 0);
      assert.equal(value(after, 'ocr_desk_documents_total', { state: 'done' }), 1);
      assert.equal(value(after, 'ocr_desk_http_requests_total', { route: 'uploadFiles', status: '200' }), 1);
      assert.equal(value(after, 'ocr_desk_errors_total', { kind: 'document-not-found', source: 'http' }), 1);
      assert.equal(value(after, 'ocr_desk_queue_pages'), 0);
    } finally {
      server.child.kill('SIGINT');
      await new Promise((r) => server.child.once('exit', r));
      await cleanup();
    }
  });
});
