/**
 * Soak test: one OCR Desk CLI run over many pages (copies of the 50 sroie-dev receipts), sampling the RSS of its
 * process tree over time to show whether memory settles after warm-up or keeps growing.
 * Writes its section of BENCHMARKS.md (not with --quick). Run `npm run bench:soak -- --help` for the options.
 */
import { copyFile, link, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { commandLine, publishSection, runFooter } from './benchmarks-md.ts';
import { parseFlags, positiveInt, runMain, UsageError } from './cli-args.ts';
import { machineMarkdown } from './machine.ts';
import { runOcrDesk, type CliRun } from './ocr-desk.ts';
import { toMB } from './proc-tree.ts';
import { withFrozenCli, type FrozenCli } from './snapshot.ts';
import { EVAL_DIR } from './score.ts';
import { fixed, markdownTable } from './table.ts';

const USAGE = `usage: npm run bench:soak -- [--quick | --pages N]

Runs the OCR Desk CLI once (default settings) over N pages, copies of the 50 sroie-dev receipts in a temporary
folder, and reports the RSS of its whole process tree after warm-up, at its peak and at the end.

  --pages N   pages in the run (default 1000)
  --quick     100 pages, for development; prints the tables, leaves BENCHMARKS.md alone

Environment: BENCH_CLI=<file> benchmarks another CLI entry point with the same contract.`;

const WINDOWS = 10;
const COUNT_EVERY_MS = 250;

const log = (message: string): void => console.error(`[soak] ${message}`);

function parseOptions(argv: string[]): { pages: number; quick: boolean; help: boolean } {
  const flags = parseFlags(argv, { pages: { type: 'string' }, quick: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (flags.quick && flags.pages !== undefined) throw new UsageError('--quick means 100 pages; give either --quick or --pages, not both');
  const pages = flags.pages === undefined ? (flags.quick ? 100 : 1000) : positiveInt('--pages', flags.pages);
  return { pages, quick: flags.quick ?? false, help: flags.help ?? false };
}

/** Fills dir with `pages` files 0000.jpg, 0001.jpg, ... cycling over the receipts: hard links to one local copy of each. */
async function makeInput(dir: string, pages: number): Promise<void> {
  const srcDir = path.join(EVAL_DIR, 'sroie-dev', 'images');
  const sources = (await readdir(srcDir)).filter((n) => n.endsWith('.jpg')).sort();
  const copies = path.join(dir, '..', 'receipts');
  await mkdir(copies);
  await mkdir(dir);
  for (const name of sources) await copyFile(path.join(srcDir, name), path.join(copies, name));
  const width = String(pages - 1).length;
  for (let i = 0; i < pages; i++) {
    const from = path.join(copies, sources[i % sources.length]!);
    const to = path.join(dir, `${String(i).padStart(width, '0')}.jpg`);
    await link(from, to).catch(() => copyFile(from, to));
  }
}

interface Point {
  tMs: number;
  bytes: number;
  /** Share of the run done at this sample, 0..1: outputs written ÷ pages, or elapsed time ÷ wall time. */
  done: number;
}

interface Analysis {
  method: string;
  windows: { from: number; to: number; endS: number; maxBytes: number; meanBytes: number }[];
  warmBytes: number;
  peakBytes: number;
  endBytes: number;
}

/**
 * Places each RSS sample on the run's progress, then splits the run into tenths. Progress is the count of result
 * files in the out folder when the CLI writes them as it goes; if it wrote fewer than 10% before its last 10% of
 * time, progress falls back to elapsed time. After warm-up = the highest RSS in the second tenth (10-20% done);
 * at the end = the highest in the last tenth; growth compares the two.
 */
function analyse(run: CliRun, counts: { tMs: number; outputs: number }[], pages: number): Analysis {
  const samples = run.samples.filter((s) => s.bytes > 0); // the last one, after exit, finds no process
  const t0 = samples[0]!.tMs;
  const t1 = samples.at(-1)!.tMs;
  const early = counts.find((c) => c.outputs >= pages / WINDOWS);
  const byOutputs = early !== undefined && early.tMs < t0 + 0.9 * (t1 - t0);
  let c = 0;
  const points: Point[] = samples.map((s) => {
    while (c + 1 < counts.length && counts[c + 1]!.tMs <= s.tMs) c++;
    const outputs = counts[c] && counts[c]!.tMs <= s.tMs ? counts[c]!.outputs : 0;
    return { ...s, done: byOutputs ? outputs / pages : (s.tMs - t0) / (t1 - t0 || 1) };
  });
  const windows = Array.from({ length: WINDOWS }, (_, w) => {
    const inside = points.filter((p) => Math.min(WINDOWS - 1, Math.floor(p.done * WINDOWS)) === w);
    const bytes = inside.map((p) => p.bytes);
    return {
      from: w / WINDOWS,
      to: (w + 1) / WINDOWS,
      endS: inside.length ? (inside.at(-1)!.tMs - t0) / 1000 : NaN,
      maxBytes: bytes.length ? Math.max(...bytes) : NaN,
      meanBytes: bytes.length ? bytes.reduce((a, b) => a + b, 0) / bytes.length : NaN,
    };
  });
  return {
    method: byOutputs ? 'result files counted in the out folder' : 'elapsed time (the CLI wrote too few results as it went)',
    windows,
    warmBytes: windows[1]!.maxBytes,
    peakBytes: Math.max(...points.map((p) => p.bytes)),
    endBytes: windows[WINDOWS - 1]!.maxBytes,
  };
}

function report(run: CliRun, a: Analysis, pages: number, code: FrozenCli, machine: string, command: string): string {
  const mb = (bytes: number): string => (Number.isNaN(bytes) ? 'n/a' : fixed(toMB(bytes), 0));
  const growth = ((a.endBytes - a.warmBytes) / a.warmBytes) * 100;
  const summary = markdownTable(
    ['pages', 'wall (s)', 'pages/s', 'failed', 'RSS after warm-up (MB)', 'peak RSS (MB)', 'RSS at end (MB)', 'growth warm-up → end'],
    [[
      `${run.summary.pages}/${pages}`,
      fixed(run.wallMs / 1000, 1),
      fixed(run.summary.pages / (run.wallMs / 1000), 2),
      `${run.summary.failures.length}`,
      mb(a.warmBytes),
      mb(a.peakBytes),
      mb(a.endBytes),
      Number.isNaN(growth) ? 'n/a' : `${growth >= 0 ? '+' : ''}${fixed(growth, 1)}%`,
    ]],
  );
  const timeline = markdownTable(
    ['share of pages done', 'until (s)', 'max RSS (MB)', 'mean RSS (MB)'],
    a.windows.map((w) => [`${fixed(w.from * 100, 0)}–${fixed(w.to * 100, 0)}%`, Number.isNaN(w.endS) ? 'n/a' : fixed(w.endS, 0), mb(w.maxBytes), mb(w.meanBytes)]),
  );
  return `## Soak: ${pages} pages in one OCR Desk run

${summary}

${timeline}

How it is measured:

- One CLI run (default settings) over a temporary folder of ${pages} hard links to copies of the 50 sroie-dev receipts.
- Every 50 ms the bench sums VmRSS over the CLI process and all its descendants (/proc/*/stat ppid links); every
  ${COUNT_EVERY_MS} ms it counts the result files in the out folder.
- Each RSS sample is placed on the run's progress by ${a.method}, and the run is cut into tenths.
  RSS after warm-up is the highest sample while 10–20% of the pages were done (after the first
  ${Math.ceil(pages / WINDOWS)} results); at the end, the highest in the last tenth; growth compares the two.
  Peak is the highest sample of the whole run.

OCR Desk code: ${code.description}.

${runFooter(machine, command)}`;
}

runMain(USAGE, async () => {
  const argv = process.argv.slice(2);
  const options = parseOptions(argv);
  if (options.help) {
    console.log(USAGE);
    return;
  }
  await withFrozenCli('ocr-soak-', async (tmp, code) => {
    const inDir = path.join(tmp, 'in');
    const outDir = path.join(tmp, 'out');
    await makeInput(inDir, options.pages);
    await mkdir(outDir);
    const counts: { tMs: number; outputs: number }[] = [];
    let counting = false; // a slow readdir must not overlap the next one
    const timer = setInterval(() => {
      if (counting) return;
      counting = true;
      readdir(outDir)
        .then((names) => counts.push({ tMs: performance.now(), outputs: names.filter((n) => n.endsWith('.json')).length }))
        .catch(() => undefined)
        .finally(() => (counting = false));
    }, COUNT_EVERY_MS);
    log(`OCR Desk on ${options.pages} pages...`);
    // --force: the pages are copies of 50 receipts, and a batch would otherwise reuse the result of an identical file.
    const run = await runOcrDesk(code.cli, [inDir], outDir, path.join(tmp, 'summary.json'), ['--force']).finally(() => clearInterval(timer));
    const analysis = analyse(run, counts, options.pages);
    const text = report(run, analysis, options.pages, code, await machineMarkdown(), commandLine('bench:soak', argv));
    publishSection('soak', text, options.quick, log);
  });
});
