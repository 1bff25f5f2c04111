/**
 * Hot-folder soak: `ocr-desk watch` runs while N files (distinct small crops of phototest.tif) arrive in its folder
 * a few dozen at a time, each written under a temporary name and renamed in; originals move to done/. The RSS of its
 * whole process tree (main process and workers) is sampled throughout, to show that memory stays flat after warm-up.
 * Writes its section of BENCHMARKS.md (not with --quick). Run `npm run bench:hotfolder-soak -- --help`.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { commandLine, writeSection } from './benchmarks-md.ts';
import { BenchError, parseFlags, positiveInt, runMain } from './cli-args.ts';
import { machineMarkdown } from './machine.ts';
import { REPO_ROOT } from './ocr-desk.ts';
import { sampleTreeRss, toMB } from './proc-tree.ts';
import { fixed, markdownTable } from './table.ts';

const USAGE = `usage: npm run bench:hotfolder-soak -- [--quick | --files N]

Runs \`ocr-desk watch\` (2 workers, --originals move) while N files arrive, at most 40 waiting at a time, and
samples the RSS of its process tree every 500 ms. Growth compares the highest RSS in the last tenth of the run
(by files done) with the highest in the second tenth (after warm-up).

  --files N   files (default 2000)
  --quick     200 files, for development; prints the results, leaves BENCHMARKS.md alone`;

const PHOTOTEST = path.resolve(REPO_ROOT, '../shared/data/images/phototest.tif');
const CLI = path.join(REPO_ROOT, 'app/main/cli/main.ts');
const BACKLOG = 40;
const WINDOWS = 10;
const log = (m: string) => console.error(`[hotfolder-soak] ${m}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A distinct crop (a line or two of text) of phototest.tif for every i < 6600. */
function crop(i: number): Promise<Buffer> {
  return sharp(PHOTOTEST).extract({ left: (i * 53) % 200, top: 30 + ((i * 37) % 330), width: 440, height: 72 }).png().toBuffer();
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2), { files: { type: 'string' }, quick: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (flags.help) return void console.log(USAGE);
  const n = flags.quick ? 200 : flags.files === undefined ? 2000 : positiveInt('--files', flags.files);
  if (n > 6600) throw new BenchError('--files: at most 6600 distinct crops');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ocr-desk-bench-soak-'));
  const inDir = path.join(dir, 'in');
  const out = path.join(dir, 'out');
  const staging = path.join(dir, 'staging');
  await mkdir(inDir);
  await mkdir(staging);
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OCR_DESK_')));
  const args = ['watch', inDir, '--out', out, '--data-dir', path.join(dir, 'data'), '--originals', 'move', '--stable-ms', '500', '--workers', '2', '--threads', '1', '--format', 'json'];
  const t0 = performance.now();
  const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let done = 0;
  let partial = '';
  child.stdout.on('data', (d: Buffer) => {
    const text = d.toString();
    output = (output + text).slice(-20_000);
    const lines = (partial + text).split('\n');
    partial = lines.pop()!;
    done += lines.filter((l) => l.startsWith('done ')).length;
  });
  child.stderr.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  let failed = false;
  void exited.then(() => (failed = done < n));
  const sampler = sampleTreeRss(child.pid!, { includeRoot: true, intervalMs: 500 });
  const progress: { tMs: number; done: number }[] = [];
  try {
    let written = 0;
    let lastLog = 0;
    while (done < n) {
      if (failed) throw new BenchError(`ocr-desk watch exited early:\n${output}`);
      while (written < n && written - done < BACKLOG) {
        const name = `scan-${String(written).padStart(5, '0')}.png`;
        await writeFile(path.join(staging, name), await crop(written));
        await rename(path.join(staging, name), path.join(inDir, name));
        written++;
      }
      progress.push({ tMs: performance.now(), done });
      if (performance.now() - lastLog > 30_000) {
        lastLog = performance.now();
        log(`${done}/${n} done after ${fixed((performance.now() - t0) / 1000, 0)} s`);
      }
      await sleep(200);
    }
    progress.push({ tMs: performance.now(), done });
  } finally {
    child.kill('SIGINT');
    await exited;
  }
  const wallMs = performance.now() - t0;
  const { samples } = sampler.stop();
  const outputs = (await readdir(out)).length;
  const failedFiles = await readdir(path.join(inDir, 'failed')).catch(() => [] as string[]);
  await rm(dir, { recursive: true, force: true });

  // Place samples on progress (files done) and split into tenths.
  const doneAt = (t: number) => {
    let d = 0;
    for (const p of progress) if (p.tMs <= t) d = p.done;
    return d;
  };
  const live = samples.filter((s) => s.bytes > 0);
  const windows = Array.from({ length: WINDOWS }, (_, w) => {
    const inside = live.filter((s) => Math.min(WINDOWS - 1, Math.floor((doneAt(s.tMs) / n) * WINDOWS)) === w).map((s) => s.bytes);
    return { w, max: inside.length ? Math.max(...inside) : NaN, mean: inside.length ? inside.reduce((a, b) => a + b, 0) / inside.length : NaN };
  });
  const warm = windows[1]!.max;
  const end = windows[WINDOWS - 1]!.max;
  const growth = ((end - warm) / warm) * 100;
  const peak = Math.max(...live.map((s) => s.bytes));
  const mb = (b: number) => (Number.isNaN(b) ? 'n/a' : fixed(toMB(b), 0));
  const body = [
    `## Hot-folder soak (${n.toLocaleString('en-US')} files)`,
    '',
    `Command: \`${commandLine('bench:hotfolder-soak', flags.files ? ['--files', String(n)] : [])}\`, ${new Date().toISOString().slice(0, 10)}.`,
    '',
    await machineMarkdown(),
    '',
    markdownTable(
      ['files done', 'outputs', 'failed', 'wall (s)', 'files/s', 'RSS after warm-up (MB)', 'peak RSS (MB)', 'RSS at end (MB)', 'growth warm-up → end', 'target'],
      [[`${done}/${n}`, `${outputs}`, `${failedFiles.length}`, fixed(wallMs / 1000, 0), fixed(done / (wallMs / 1000), 2), mb(warm), mb(peak), mb(end), `${growth >= 0 ? '+' : ''}${fixed(growth, 1)}%`, '< +10%']],
    ),
    '',
    'RSS by tenth of the run (files done), whole process tree (main process and its 2 OCR workers):',
    '',
    markdownTable(
      ['tenth', 'max RSS (MB)', 'mean RSS (MB)'],
      windows.map((w) => [`${w.w * 10}-${w.w * 10 + 10}%`, mb(w.max), mb(w.mean)]),
    ),
  ].join('\n');
  console.log(body);
  if (!flags.quick) writeSection('hotfolder-soak', body);
}

runMain(USAGE, main);
