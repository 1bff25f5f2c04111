/**
 * Load test of a LAN node, on loopback only: `ocr-desk serve --listen 127.0.0.2` (made to act as a LAN address by
 * the test switch: HTTPS, API keys, limits), then N concurrent clients for S seconds, each submitting a real page
 * (a sroie-dev receipt, streamed multipart) and polling its job's status until it ends, backing off on 429/503 as
 * told by Retry-After. Bounded: it stops at the deadline and after MAX_REQUESTS requests, whichever comes first.
 * Reports p50/p99 of the status calls, pages/s against the engine's own capacity, memory at start and end, and
 * every status code (only 200 and the intended 429/503 are acceptable). Writes its section of BENCHMARKS.md.
 */
import { spawn } from 'node:child_process';
import { readdir, readFile, mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { execFile } from 'node:child_process';
import { BENCHMARKS_MD, commandLine, publishSection, runFooter } from './benchmarks-md.ts';
import { BenchError, parseFlags, positiveInt, runMain } from './cli-args.ts';
import { machineMarkdown } from './machine.ts';
import { REPO_ROOT } from './ocr-desk.ts';
import { toMB, treeRssBytes } from './proc-tree.ts';
import { EVAL_DIR } from './score.ts';
import { fixed, markdownTable } from './table.ts';

const USAGE = `usage: npm run bench:lan -- [--quick | --clients N --seconds S]

Starts a LAN node on 127.0.0.2 (loopback; HTTPS and API keys as on a network) and runs N clients for S seconds,
each submitting real pages and polling their status. Loopback only; bounded in time and request count.

  --clients N   concurrent clients (default 50)
  --seconds S   length of the load (default 120)
  --quick       10 clients for 20 s; prints the table, leaves BENCHMARKS.md alone`;

const HOST = '127.0.0.2';
const MAX_REQUESTS = 500_000;
const CLI = path.join(REPO_ROOT, 'app/main/cli/main.ts');
const log = (message: string): void => console.error(`[lan-load] ${message}`);
const mb = (bytes: number) => fixed(toMB(bytes), 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Answer {
  status: number;
  body: string;
  retryAfter: number | undefined;
  ms: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * A page upload. Bytes after the JPEG's end marker make each upload a new file to OCR Desk (decoders ignore them),
 * so every page is recognised: identical content would reuse the stored result without OCR.
 */
function multipart(name: string, jpeg: Buffer, key: string): { body: Buffer; type: string } {
  const data = Buffer.concat([jpeg, Buffer.from(`unique:${key}`)]);
  const boundary = `b${key.replace(/\W/g, '')}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="idempotencyKey"\r\n\r\n${key}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: image/jpeg\r\n\r\n`),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, type: `multipart/form-data; boundary=${boundary}` };
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2), { clients: { type: 'string' }, seconds: { type: 'string' }, quick: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (flags.help) return void console.log(USAGE);
  const quick = flags.quick ?? false;
  const clients = flags.clients ? positiveInt('--clients', flags.clients) : quick ? 10 : 50;
  const seconds = flags.seconds ? positiveInt('--seconds', flags.seconds) : quick ? 20 : 120;
  const imagesDir = path.join(EVAL_DIR, 'sroie-dev', 'images');
  const pages = await Promise.all((await readdir(imagesDir)).filter((n) => n.endsWith('.jpg')).sort().slice(0, 20).map(async (n) => ({ name: n, data: await readFile(path.join(imagesDir, n)) })));
  const dir = await mkdtemp(path.join(tmpdir(), 'ocr-desk-lan-load-'));
  const env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OCR_DESK_'))),
    OCR_DESK_DATA_DIR: path.join(dir, 'data'),
    OCR_DESK_CACHE_DIR: path.join(tmpdir(), 'ocr-desk-bench-cache-lan'),
    OCR_DESK_TEST_MODE: '1',
    OCR_DESK_TEST_TREAT_AS_LAN: HOST,
  };
  const limits = ['--max-queue-pages', '20', '--rate-limit', '20', '--rate-burst', '40'];
  const child = spawn(process.execPath, [CLI, 'serve', '--listen', HOST, '--port', '0', ...limits], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  try {
    const printed = await new Promise<{ url: string; token: string }>((resolve, reject) => {
      let out = '';
      child.on('exit', (code) => reject(new BenchError(`serve exited with ${code}: ${err}`)));
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const url = out.match(/on (https:\/\/[\d.]+:\d+)/)?.[1];
        const token = out.match(/Bearer (\S+)\n/)?.[1];
        if (url && token && out.includes('Stop with')) resolve({ url, token });
      });
    });
    const port = Number(new URL(printed.url).port);
    const ca = await readFile(path.join(dir, 'data', 'tls', 'cert.pem'), 'utf8');
    const agent = new Agent({ keepAlive: true, maxSockets: clients * 2, ca });
    const call = (method: string, p: string, key: string, body?: { body: Buffer; type: string }): Promise<Answer> =>
      new Promise((resolve, reject) => {
        const t = performance.now();
        const headers: Record<string, string> = { authorization: `Bearer ${key}` };
        if (body) Object.assign(headers, { 'content-type': body.type, 'content-length': String(body.body.length) });
        const req = request({ host: HOST, port, path: p, method, headers, agent }, (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, retryAfter: res.headers['retry-after'] ? Number(res.headers['retry-after']) : undefined, ms: performance.now() - t }));
        });
        req.on('error', reject);
        req.setTimeout(60_000, () => req.destroy(new Error('no answer in 60 s')));
        req.end(body?.body);
      });
    const pagesDone = async () => Number((await call('GET', '/metrics', printed.token)).body.match(/^ocr_desk_pages_processed_total (\d+)/m)?.[1] ?? NaN);
    // One key per 10 clients, as a site would give each desk or system its own.
    const keys: string[] = [];
    for (let i = 0; i < Math.ceil(clients / 10); i++) {
      const made = await promisify(execFile)(process.execPath, [CLI, 'keys', 'create', '--scope', 'submit', '--name', `desk ${i}`, '--json'], { cwd: REPO_ROOT, env });
      keys.push((JSON.parse(made.stdout) as { key: string }).key);
    }

    // The engine's capacity through this node, alone: one job of 10 receipts (the models warm up first).
    log('warming up, then one job of 10 receipts alone');
    const warm = await call('POST', '/v1/uploads', printed.token, multipart(pages[0]!.name, pages[0]!.data, 'warm-up-0001'));
    const warmId = (JSON.parse(warm.body) as { jobId: number }).jobId;
    while (!['done', 'failed'].includes((JSON.parse((await call('GET', `/v1/jobs/${warmId}`, printed.token)).body) as { state: string }).state)) await sleep(200);
    const soloStart = performance.now();
    const soloPages0 = await pagesDone();
    const solo: number[] = [];
    for (let i = 1; i <= 10; i++) solo.push((JSON.parse((await call('POST', '/v1/uploads', printed.token, multipart(pages[i]!.name, pages[i]!.data, `solo-${i}-000000`))).body) as { jobId: number }).jobId);
    for (const id of solo) while (!['done', 'failed'].includes((JSON.parse((await call('GET', `/v1/jobs/${id}`, printed.token)).body) as { state: string }).state)) await sleep(100);
    const soloRate = ((await pagesDone()) - soloPages0) / ((performance.now() - soloStart) / 1000);
    const engine = /\| sroie-dev \|\s+OCR Desk \|[^|]*\|[^|]*\|\s*([\d.]+) \|/.exec(await readFile(BENCHMARKS_MD, 'utf8'))?.[1];

    const rssStart = treeRssBytes(child.pid!, true);
    const rssServerStart = rssStart - treeRssBytes(child.pid!, false);
    const pages0 = await pagesDone();
    const queue = async () => Number((await call('GET', '/metrics', printed.token)).body.match(/^ocr_desk_queue_pages (\d+)/m)?.[1] ?? NaN);
    const queueSamples: number[] = [];
    const sampler = setInterval(() => void queue().then((q) => queueSamples.push(q)), 2000);
    log(`${clients} clients for ${seconds} s`);
    const statusMs: number[] = [];
    const uploadMs: number[] = [];
    const codes = new Map<string, number>();
    const count = (what: string, status: number) => codes.set(`${what} ${status}`, (codes.get(`${what} ${status}`) ?? 0) + 1);
    let requests = 0;
    let jobsAccepted = 0;
    let failures = 0;
    const deadline = performance.now() + seconds * 1000;
    const client = async (c: number) => {
      const key = keys[c % keys.length]!;
      for (let n = 0; performance.now() < deadline && requests < MAX_REQUESTS; n++) {
        const page = pages[(c + n) % pages.length]!;
        let up: Answer;
        try {
          requests++;
          up = await call('POST', '/v1/uploads', key, multipart(page.name, page.data, `c${c}-n${n}-${process.pid}`));
        } catch {
          failures++;
          continue;
        }
        count('upload', up.status);
        if (up.status !== 200) {
          if (up.status !== 429 && up.status !== 503) failures++;
          await sleep(Math.min(5, up.retryAfter ?? 1) * 1000);
          continue;
        }
        uploadMs.push(up.ms);
        jobsAccepted++;
        const jobId = (JSON.parse(up.body) as { jobId: number }).jobId;
        while (performance.now() < deadline && requests < MAX_REQUESTS) {
          await sleep(250);
          requests++;
          const st = await call('GET', `/v1/jobs/${jobId}`, key).catch(() => undefined);
          if (!st) {
            failures++;
            continue;
          }
          count('status', st.status);
          if (st.status === 429) {
            await sleep(Math.min(5, st.retryAfter ?? 1) * 1000);
            continue;
          }
          if (st.status !== 200) {
            failures++;
            break;
          }
          statusMs.push(st.ms);
          if (['done', 'failed', 'cancelled'].includes((JSON.parse(st.body) as { state: string }).state)) break;
        }
      }
    };
    const loadStart = performance.now();
    await Promise.all(Array.from({ length: clients }, (_, c) => client(c)));
    const loadSeconds = (performance.now() - loadStart) / 1000;
    clearInterval(sampler);
    const processed = (await pagesDone()) - pages0;
    const rssEnd = treeRssBytes(child.pid!, true);
    const rssServerEnd = rssEnd - treeRssBytes(child.pid!, false);
    log('idle 10 s');
    await sleep(10_000);
    const rssIdle = treeRssBytes(child.pid!, true);
    const healthy = (await call('GET', '/readyz', printed.token)).status === 200;
    statusMs.sort((a, b) => a - b);
    uploadMs.sort((a, b) => a - b);
    const rate = processed / loadSeconds;
    const codeList = [...codes.entries()].sort().map(([k, v]) => `${k}: ${v}`).join(', ');
    const body = `## LAN node under load (${clients} clients, ${seconds} s, loopback)

${markdownTable(
  ['measure', 'value'],
  [
    ['status calls (GET /v1/jobs/{id}) p50 / p99', `${fixed(percentile(statusMs, 50), 1)} ms / ${fixed(percentile(statusMs, 99), 1)} ms (${statusMs.length} answered 200)`],
    ['uploads accepted p50 / p99', `${fixed(percentile(uploadMs, 50), 0)} ms / ${fixed(percentile(uploadMs, 99), 0)} ms (${jobsAccepted} jobs)`],
    ['pages recognised under load', `${processed} in ${fixed(loadSeconds, 0)} s = ${fixed(rate, 2)} pages/s`],
    ['same node, one client, 10 receipts', `${fixed(soloRate, 2)} pages/s (${fixed((rate / soloRate) * 100, 0)}% kept under load)`],
    ['engine alone (npm run bench, sroie-dev median)', engine ? `${engine} pages/s (${fixed((rate / Number(engine)) * 100, 0)}% of it)` : 'not in BENCHMARKS.md'],
    ['memory (serve + workers) start → end of load → 10 s idle', `${mb(rssStart)} → ${mb(rssEnd)} → ${mb(rssIdle)} MB (serve alone ${mb(rssServerStart)} → ${mb(rssServerEnd)} MB)`],
    ['queue depth (pages) during the load, max / median', `${Math.max(...queueSamples)} / ${queueSamples.sort((a, b) => a - b)[Math.floor(queueSamples.length / 2)]}`],
    ['answers', codeList],
    ['errors (anything but 200 and the intended 429/503)', String(failures)],
    ['ready after the load', healthy ? 'yes' : 'NO'],
  ],
)}

- Node: \`serve --listen 127.0.0.2\` as a LAN node (HTTPS with its self-signed certificate, API keys, ${keys.length} keys of 10 clients each), ${limits.join(' ')}, default workers (one per core), JSON request log at info.
- Each client loops: upload one receipt (streamed multipart with an idempotency key), poll its job every 250 ms until it ends; a 429 (per-key rate) or 503 (queue holds 20 pages) is waited out as Retry-After says. Those refusals are the limits working: the queue stays short, so status calls stay fast while the engine runs flat out.
- pages/s under load is pages recognised during the load ÷ its length; "one client" is measured in the same run before the load; "engine alone" is the CLI's batch figure from the section above (another run: compare loosely).

${runFooter(await machineMarkdown(), commandLine('bench:lan', process.argv.slice(2)))}`;
    publishSection('lan-load', body, quick, log);
    if (failures > 0 || !healthy) throw new BenchError(`${failures} unintended errors; ready: ${healthy}`);
    agent.destroy();
  } finally {
    child.kill('SIGINT');
    await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
    await rm(dir, { recursive: true, force: true });
  }
}

runMain(USAGE, main);
