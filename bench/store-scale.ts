/**
 * Scale of the job store and hot folders: start-up of `ocr-desk watch` over a folder of N files that are all
 * already processed (journaled), and full-text search latency over N stored documents.
 * Writes its section of BENCHMARKS.md (not with --quick). Run `npm run bench:store -- --help` for the options.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { Store } from '../app/main/store/store.ts';
import { commandLine, writeSection } from './benchmarks-md.ts';
import { BenchError, parseFlags, positiveInt, runMain } from './cli-args.ts';
import { machineMarkdown } from './machine.ts';
import { REPO_ROOT } from './ocr-desk.ts';
import { EVAL_DIR } from './score.ts';
import { fixed, markdownTable } from './table.ts';

const USAGE = `usage: npm run bench:store -- [--quick | --files N]

Fills a data folder with N processed documents (real receipt texts from sroie-dev and docs-dev, each with its own
document number) and a watched folder with their N files, then measures:
  - start-up: \`ocr-desk watch <folder> --once\` until it is watching (median of 3), and until it exits having
    found nothing to do;
  - search: 300 queries of 1-3 words through Store.search (median, p95, max).

  --files N   documents and files (default 10000)
  --quick     1000, for development; prints the results, leaves BENCHMARKS.md alone`;

const CLI = path.join(REPO_ROOT, 'app/main/cli/main.ts');
const log = (m: string) => console.error(`[store-scale] ${m}`);

async function corpus(): Promise<string[]> {
  const texts: string[] = [];
  for (const set of ['sroie-dev', 'docs-dev']) {
    const dir = path.join(EVAL_DIR, set, 'gt');
    for (const name of (await readdir(dir)).sort()) {
      const gt = JSON.parse(await readFile(path.join(dir, name), 'utf8')) as { lines?: { text: string }[] };
      if (gt.lines?.length) texts.push(gt.lines.map((l) => l.text).join('\n'));
    }
  }
  if (texts.length === 0) throw new BenchError(`no ground-truth texts under ${EVAL_DIR}`);
  return texts;
}

async function populate(dir: string, n: number, texts: string[]): Promise<{ folder: string; dataDir: string; ms: number }> {
  const folder = path.join(dir, 'in');
  const dataDir = path.join(dir, 'data');
  await mkdir(folder, { recursive: true });
  const png = await sharp({ create: { width: 64, height: 32, channels: 3, background: '#ffffff' } }).png().toBuffer();
  const started = performance.now();
  const store = Store.inDir(dataDir);
  const settings = JSON.stringify({ formats: ['json', 'txt'], pageOptions: { autoRotate: true, languages: ['en'] }, models: 'ppocr-v4-mobile' });
  // The folder's settings exactly as `ocr-desk watch` will register them (only the path matters for the journal).
  const watchId = store.watchFolder(folder, '{}');
  const width = String(n - 1).length;
  for (let from = 0; from < n; from += 1000) {
    const batch: { file: string; size: number; mtimeMs: number; i: number }[] = [];
    for (let i = from; i < Math.min(n, from + 1000); i++) {
      const sub = path.join(folder, `batch-${String(Math.floor(i / 500)).padStart(3, '0')}`);
      if (i % 500 === 0) await mkdir(sub, { recursive: true });
      const file = path.join(sub, `scan-${String(i).padStart(width, '0')}.png`);
      await writeFile(file, png);
      const st = await stat(file);
      batch.push({ file, size: st.size, mtimeMs: st.mtimeMs, i });
    }
    store.transaction(() => {
      for (const b of batch) {
        const row = store.takeFile({ watchId, path: b.file, size: b.size, mtimeMs: b.mtimeMs, sha256: `sha-${b.i}` }, settings, path.join(dir, 'out', path.basename(b.file)));
        const text = `${texts[b.i % texts.length]}\nDOCUMENT NO ${100000 + b.i}`;
        store.beginWriting(row.document_id!, `key-${b.i}`, '{}', text, [], false);
        store.finishDocument(row.document_id!);
        store.settle(row.id, 'kept');
      }
    });
  }
  store.close();
  return { folder, dataDir, ms: performance.now() - started };
}

/** Runs `ocr-desk watch --once`; returns ms until "Watching" is printed and until exit. */
function startUp(folder: string, dataDir: string, out: string): Promise<{ watchingMs: number; exitMs: number; output: string }> {
  return new Promise((resolve, reject) => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OCR_DESK_')));
    const t0 = performance.now();
    const child = spawn(process.execPath, [CLI, 'watch', folder, '--out', out, '--data-dir', dataDir, '--once', '--stable-ms', '2000'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let watchingMs = NaN;
    const onData = (d: Buffer) => {
      output += d.toString();
      if (Number.isNaN(watchingMs) && output.includes('Watching ')) watchingMs = performance.now() - t0;
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve({ watchingMs, exitMs: performance.now() - t0, output }) : reject(new BenchError(`ocr-desk watch exited with ${code}:\n${output}`))));
  });
}

function searchLatency(dataDir: string, texts: string[], n: number): { median: number; p95: number; max: number; meanHits: number; queries: number } {
  const store = Store.inDir(dataDir);
  const words = [...new Set(texts.join(' ').match(/[A-Za-z]{4,}/g) ?? [])];
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const queries: string[] = [];
  for (let i = 0; i < 300; i++) {
    const k = 1 + (i % 3);
    const q = i % 10 === 9 ? `${100000 + Math.floor(rnd() * n)}` : Array.from({ length: k }, () => words[Math.floor(rnd() * words.length)]!).join(' ');
    queries.push(q);
  }
  store.search('total'); // warm the cache once
  const times: number[] = [];
  let hits = 0;
  for (const q of queries) {
    const t = performance.now();
    hits += store.search(q, 20).length;
    times.push(performance.now() - t);
  }
  store.close();
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, p95: times[Math.floor(times.length * 0.95)]!, max: times.at(-1)!, meanHits: hits / queries.length, queries: queries.length };
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2), { files: { type: 'string' }, quick: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (flags.help) return void console.log(USAGE);
  const n = flags.quick ? 1000 : flags.files === undefined ? 10_000 : positiveInt('--files', flags.files);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ocr-desk-bench-store-'));
  try {
    const texts = await corpus();
    log(`populating ${n} documents and files…`);
    const { folder, dataDir, ms: populateMs } = await populate(dir, n, texts);
    const out = path.join(dir, 'out');
    const runs = [];
    for (let i = 0; i < 3; i++) {
      const r = await startUp(folder, dataDir, out);
      log(`start-up ${i + 1}: watching after ${fixed(r.watchingMs, 0)} ms, exited after ${fixed(r.exitMs, 0)} ms`);
      runs.push(r);
    }
    const outputs = await readdir(out).catch(() => []);
    if (outputs.length > 0) throw new BenchError(`start-up re-processed ${outputs.length} already-processed files`);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const watching = median(runs.map((r) => r.watchingMs));
    const exit = median(runs.map((r) => r.exitMs));
    const s = searchLatency(dataDir, texts, n);
    const body = [
      `## Job store at scale (${n.toLocaleString('en-US')} documents)`,
      '',
      `Command: \`${commandLine('bench:store', flags.files ? ['--files', String(n)] : [])}\`, ${new Date().toISOString().slice(0, 10)}.`,
      '',
      await machineMarkdown(),
      '',
      markdownTable(
        ['measure', 'result', 'target'],
        [
          [`\`ocr-desk watch --once\` start-up, ${n.toLocaleString('en-US')} processed files: until watching (median of 3)`, `${fixed(watching / 1000, 2)} s`, '< 5 s'],
          ['… until it exits, having found nothing to do (median of 3)', `${fixed(exit / 1000, 2)} s`, ''],
          [`full-text search, ${s.queries} queries of 1-3 words or a document number: median`, `${fixed(s.median, 2)} ms`, ''],
          ['… p95', `${fixed(s.p95, 2)} ms`, ''],
          ['… max', `${fixed(s.max, 2)} ms`, '< 50 ms'],
          ['hits per query (mean, top 20)', fixed(s.meanHits, 1), ''],
        ],
      ),
      '',
      `Start-up includes Node, verifying the model pack's sha256, opening the store, loading the journal and stat-ing every file in the folder; nothing was re-processed. Populating the store took ${fixed(populateMs / 1000, 1)} s.`,
    ].join('\n');
    console.log(body);
    if (!flags.quick) writeSection('store-scale', body);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

runMain(USAGE, main);
