/**
 * OCR Desk vs Tesseract 5 on the shared dev sets: throughput, peak RSS, accuracy, and OCR Desk's stage profile.
 * Writes its section of BENCHMARKS.md (not with --quick). Run `npm run bench -- --help` for the options.
 */
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { commandLine, publishSection, runFooter } from './benchmarks-md.ts';
import { parseFlags, positiveInt, runMain, UsageError } from './cli-args.ts';
import { machineMarkdown } from './machine.ts';
import { runOcrDesk, STAGES, type CliRun } from './ocr-desk.ts';
import { sampleTreeRss, toMB } from './proc-tree.ts';
import { withFrozenCli, type FrozenCli } from './snapshot.ts';
import { EVAL_DIR, EVAL_SETS, score, type Scores } from './score.ts';
import { fixed, markdownTable, median } from './table.ts';
import { runTesseractPool } from './tesseract.ts';

const USAGE = `usage: npm run bench -- [--quick | --runs N] [--only SET[,SET...]] [--int8]

Runs OCR Desk (its CLI, default settings) and Tesseract 5 (2 processes, OMP_THREAD_LIMIT=1) on every shared dev
set, alternating the engines run by run, and reports pages/s, peak RSS of each engine's process tree, accuracy
(score.mjs) and OCR Desk's per-stage time profile.

  --quick      one run per engine and set, for development; prints the tables, leaves BENCHMARKS.md alone
  --runs N     alternating runs per engine and set (default 3); the ratio reported is the median of the N ratios
  --only SET   only these sets: sroie, docs, docs-wide, funsd, zh (default all)
  --int8       also OCR Desk with its recogniser in int8 (OCR_DESK_REC_INT8=1), as a third engine in each round

Environment: BENCH_CLI=<file> benchmarks another CLI entry point with the same contract
(default bin/ocr-desk.mjs, the \`ocr-desk\` command).`;

const TESSERACT_SLOTS = 2;
const SETS = EVAL_SETS;
type EvalSet = (typeof SETS)[number];

interface EngineResult {
  pagesPerSecond: number[];
  peakRssBytes: number;
  failed: number;
  scores: Scores;
}

interface SetResult {
  set: EvalSet;
  pages: number;
  ours: EngineResult;
  /** OCR Desk with OCR_DESK_REC_INT8=1 (--int8). */
  int8?: EngineResult;
  tesseract: EngineResult;
  oursRuns: CliRun[];
}

/** The settings of the --int8 engine. */
const INT8_SETTINGS = { OCR_DESK_REC_INT8: '1' };

function parseOptions(argv: string[]): { runs: number; quick: boolean; sets: EvalSet[]; int8: boolean; help: boolean } {
  const flags = parseFlags(argv, {
    quick: { type: 'boolean' },
    int8: { type: 'boolean' },
    runs: { type: 'string' },
    only: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.quick && flags.runs !== undefined) throw new UsageError('--quick means one run each; give either --quick or --runs, not both');
  const runs = flags.runs === undefined ? (flags.quick ? 1 : 3) : positiveInt('--runs', flags.runs);
  const names = flags.only === undefined ? SETS.map((s) => s.name as string) : flags.only.split(',').map((n) => n.trim());
  const unknown = names.filter((n) => !SETS.some((s) => s.name === n));
  if (unknown.length) throw new UsageError(`--only expects sets from ${SETS.map((s) => s.name).join(', ')}, got "${unknown.join(',')}"`);
  const sets = SETS.filter((s) => names.includes(s.name));
  return { runs, quick: flags.quick ?? false, sets, int8: flags.int8 ?? false, help: flags.help ?? false };
}

const log = (message: string): void => console.error(`[bench] ${message}`);

async function listImages(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((n) => /\.(jpe?g|png|tiff?)$/i.test(n)).sort();
  return names.map((n) => path.join(dir, n));
}

async function runTesseract(images: string[], outDir: string): Promise<{ wallMs: number; peakRssBytes: number; failed: number }> {
  const t0 = performance.now();
  // The tesseract processes are this process's only children while the pool runs; the bench itself is left out.
  const sampler = sampleTreeRss(process.pid, { includeRoot: false });
  const failures = await runTesseractPool(images, outDir, TESSERACT_SLOTS);
  const wallMs = performance.now() - t0;
  const { peakBytes } = sampler.stop();
  for (const f of failures) log(`tesseract failed on ${f.path}: ${f.message}`);
  return { wallMs, peakRssBytes: peakBytes, failed: failures.length };
}

async function benchSet(set: EvalSet, runs: number, tmp: string, cli: string, int8: boolean): Promise<SetResult> {
  const imagesDir = path.join(EVAL_DIR, set.dir, 'images');
  const gtDir = path.join(EVAL_DIR, set.dir, 'gt');
  const images = await listImages(imagesDir);
  const oursRuns: CliRun[] = [];
  const int8Runs: CliRun[] = [];
  const tessRuns: Awaited<ReturnType<typeof runTesseract>>[] = [];
  let oursOut = '';
  let int8Out = '';
  let tessOut = '';
  for (let i = 1; i <= runs; i++) {
    oursOut = path.join(tmp, `${set.name}-ours-${i}`);
    tessOut = path.join(tmp, `${set.name}-tesseract-${i}`);
    await mkdir(tessOut, { recursive: true });
    const ours = await runOcrDesk(cli, [imagesDir], oursOut, path.join(tmp, `${set.name}-ours-${i}.summary.json`), ['--lang', set.lang]);
    oursRuns.push(ours);
    log(`${set.name} run ${i}/${runs}: OCR Desk ${ours.summary.pages} pages in ${fixed(ours.wallMs / 1000, 1)} s, peak ${fixed(toMB(ours.peakRssBytes), 0)} MB`);
    if (int8) {
      int8Out = path.join(tmp, `${set.name}-int8-${i}`);
      const run = await runOcrDesk(cli, [imagesDir], int8Out, path.join(tmp, `${set.name}-int8-${i}.summary.json`), ['--lang', set.lang], INT8_SETTINGS);
      int8Runs.push(run);
      log(`${set.name} run ${i}/${runs}: OCR Desk (int8) ${run.summary.pages} pages in ${fixed(run.wallMs / 1000, 1)} s, peak ${fixed(toMB(run.peakRssBytes), 0)} MB`);
    }
    const tess = await runTesseract(images, tessOut);
    tessRuns.push(tess);
    log(`${set.name} run ${i}/${runs}: Tesseract ${images.length - tess.failed} pages in ${fixed(tess.wallMs / 1000, 1)} s, peak ${fixed(toMB(tess.peakRssBytes), 0)} MB`);
  }
  const cliResult = async (cliRuns: CliRun[], out: string): Promise<EngineResult> => ({
    pagesPerSecond: cliRuns.map((r) => r.summary.pages / (r.wallMs / 1000)),
    peakRssBytes: Math.max(...cliRuns.map((r) => r.peakRssBytes)),
    failed: cliRuns.at(-1)!.summary.failures.length,
    scores: await score(gtDir, out, set.ignoreCase),
  });
  return {
    set,
    pages: images.length,
    oursRuns,
    ours: await cliResult(oursRuns, oursOut),
    ...(int8 ? { int8: await cliResult(int8Runs, int8Out) } : {}),
    tesseract: {
      pagesPerSecond: tessRuns.map((r) => (images.length - r.failed) / (r.wallMs / 1000)),
      peakRssBytes: Math.max(...tessRuns.map((r) => r.peakRssBytes)),
      failed: tessRuns.at(-1)!.failed,
      scores: await score(gtDir, tessOut, set.ignoreCase),
    },
  };
}

function ratios(r: SetResult, engine: EngineResult = r.ours): number[] {
  return engine.pagesPerSecond.map((p, i) => p / r.tesseract.pagesPerSecond[i]!);
}

function resultsTable(results: SetResult[]): string {
  const rows = results.flatMap((r) =>
    (['ours', 'int8', 'tesseract'] as const).flatMap((engine) => {
      const e = r[engine];
      if (!e) return [];
      const name = { ours: 'OCR Desk', int8: 'OCR Desk (int8)', tesseract: 'Tesseract 5' }[engine];
      return [[
        `${r.set.dir}`,
        name,
        `${r.pages}`,
        e.pagesPerSecond.map((p) => fixed(p, 2)).join(', '),
        fixed(median(e.pagesPerSecond), 2),
        engine === 'tesseract' ? '1×' : `${fixed(median(ratios(r, e)), 2)}×`,
        fixed(toMB(e.peakRssBytes), 0),
        fixed(e.scores.cer, 3),
        fixed(e.scores.wordF1, 3),
        fixed(e.scores.detF1, 3),
        `${e.failed}`,
      ]];
    }),
  );
  return markdownTable(
    ['set', 'engine', 'pages', 'pages/s per run', 'median pages/s', 'speed vs Tesseract', 'peak RSS (MB)', 'CER ↓', 'word F1 ↑', 'det F1', 'failed'],
    rows,
  );
}

function stageTable(results: SetResult[]): string {
  const header = ['OCR Desk stage', ...results.flatMap((r) => [`${r.set.dir} ms/page`, `${r.set.dir} share`])];
  const perSet = results.map((r) => {
    const pages = r.oursRuns.reduce((n, run) => n + run.summary.pages, 0);
    const totals = STAGES.map((s) => r.oursRuns.reduce((ms, run) => ms + run.summary.stageTotalsMs[s], 0));
    const elapsed = r.oursRuns.reduce((ms, run) => ms + run.summary.elapsedMs, 0);
    return { pages, totals, sum: totals.reduce((a, b) => a + b, 0), elapsed };
  });
  const rows = STAGES.map((stage, i) => [
    stage.replace(/Ms$/, ''),
    ...perSet.flatMap((s) => [fixed(s.totals[i]! / s.pages, 0), `${fixed((100 * s.totals[i]!) / s.sum, 1)}%`]),
  ]);
  rows.push(['sum of stages', ...perSet.flatMap((s) => [fixed(s.sum / s.pages, 0), '100%'])]);
  rows.push(['CLI elapsed (wall)', ...perSet.flatMap((s) => [fixed(s.elapsed / s.pages, 0), ''])]);
  return markdownTable(header, rows);
}

function report(results: SetResult[], runs: number, code: FrozenCli, machine: string, command: string): string {
  const ratioLines = results.map((r) => `${r.set.dir}: ${ratios(r).map((x) => fixed(x, 2)).join(', ')}${r.int8 ? ` (int8: ${ratios(r, r.int8).map((x) => fixed(x, 2)).join(', ')})` : ''}`).join('; ');
  return `## OCR Desk vs Tesseract 5

${resultsTable(results)}

Speed ratios (OCR Desk pages/s ÷ Tesseract pages/s) per run, ${runs} alternating run${runs > 1 ? 's' : ''} per engine: ${ratioLines}; the table gives their median.

${stageTable(results)}

How it is measured:

- pages/s: pages ÷ wall-clock time of the whole run. OCR Desk: the CLI child process from spawn to exit (start-up and
  model loading included), default settings${results.some((r) => r.int8) ? '; OCR Desk (int8): the same with `OCR_DESK_REC_INT8=1`, run after OCR Desk in each round' : ''}. Tesseract 5: ${TESSERACT_SLOTS} \`tesseract <image> stdout tsv\` processes in parallel
  (\`OMP_THREAD_LIMIT=1\`, English, default page segmentation), one process per image, TSV words grouped into lines.
- Peak RSS: every 50 ms, the sum of VmRSS over a process tree found through /proc/*/stat ppid links; the maximum over
  all runs. OCR Desk: the CLI process and all its descendants (workers included). Tesseract: its live processes
  (the Node process that dispatches them is not counted).
- Accuracy: \`/work/shared/eval/score.mjs --json\` on the last run's output (sroie with \`--ignore-case\`). OCR Desk
  reads zh-dev with \`--lang en,zh\`; Tesseract has only English installed, so its zh-dev figures are for reference
  (word F1 means little for Chinese).
- Stage profile: OCR Desk's \`--summary-json\` stageTotalsMs summed over its runs, per page. Stages are timed inside
  the workers, so with several workers their sum exceeds the CLI's wall time per page.

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
  await withFrozenCli('ocr-bench-', async (tmp, code) => {
    const results: SetResult[] = [];
    for (const set of options.sets) results.push(await benchSet(set, options.runs, tmp, code.cli, options.int8));
    const text = report(results, options.runs, code, await machineMarkdown(), commandLine('bench', argv));
    publishSection('ocr-vs-tesseract', text, options.quick, log);
  });
});
