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
import { EVAL_DIR, score, type Scores } from './score.ts';
import { fixed, markdownTable, median } from './table.ts';
import { runTesseractPool } from './tesseract.ts';

const USAGE = `usage: npm run bench -- [--quick | --runs N] [--only SET[,SET...]]

Runs OCR Desk (its CLI, default settings) and Tesseract 5 (2 processes, OMP_THREAD_LIMIT=1) on every shared dev
set, alternating the engines run by run, and reports pages/s, peak RSS of each engine's process tree, accuracy
(score.mjs) and OCR Desk's per-stage time profile.

  --quick      one run per engine and set, for development; prints the tables, leaves BENCHMARKS.md alone
  --runs N     alternating runs per engine and set (default 3); the ratio reported is the median of the N ratios
  --only SET   only these sets: sroie, docs, docs-wide, funsd, zh (default all)

Environment: BENCH_CLI=<file> benchmarks another CLI entry point with the same contract
(default bin/ocr-desk.mjs, the \`ocr-desk\` command).`;

const TESSERACT_SLOTS = 2;
/** Every set in ../shared/eval. `lang` is OCR Desk's --lang; Tesseract reads English (its only language installed). */
const SETS = [
  { name: 'sroie', dir: 'sroie-dev', ignoreCase: true, lang: 'en' },
  { name: 'docs', dir: 'docs-dev', ignoreCase: false, lang: 'en' },
  { name: 'docs-wide', dir: 'docs-wide-dev', ignoreCase: false, lang: 'en' },
  { name: 'funsd', dir: 'funsd-dev', ignoreCase: false, lang: 'en' },
  { name: 'zh', dir: 'zh-dev', ignoreCase: false, lang: 'en,zh' },
] as const;
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
  tesseract: EngineResult;
  oursRuns: CliRun[];
}

function parseOptions(argv: string[]): { runs: number; quick: boolean; sets: EvalSet[]; help: boolean } {
  const flags = parseFlags(argv, {
    quick: { type: 'boolean' },
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
  return { runs, quick: flags.quick ?? false, sets, help: flags.help ?? false };
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

async function benchSet(set: EvalSet, runs: number, tmp: string, cli: string): Promise<SetResult> {
  const imagesDir = path.join(EVAL_DIR, set.dir, 'images');
  const gtDir = path.join(EVAL_DIR, set.dir, 'gt');
  const images = await listImages(imagesDir);
  const oursRuns: CliRun[] = [];
  const tessRuns: Awaited<ReturnType<typeof runTesseract>>[] = [];
  let oursOut = '';
  let tessOut = '';
  for (let i = 1; i <= runs; i++) {
    oursOut = path.join(tmp, `${set.name}-ours-${i}`);
    tessOut = path.join(tmp, `${set.name}-tesseract-${i}`);
    await mkdir(tessOut, { recursive: true });
    const ours = await runOcrDesk(cli, [imagesDir], oursOut, path.join(tmp, `${set.name}-ours-${i}.summary.json`), ['--lang', set.lang]);
    oursRuns.push(ours);
    log(`${set.name} run ${i}/${runs}: OCR Desk ${ours.summary.pages} pages in ${fixed(ours.wallMs / 1000, 1)} s, peak ${fixed(toMB(ours.peakRssBytes), 0)} MB`);
    const tess = await runTesseract(images, tessOut);
    tessRuns.push(tess);
    log(`${set.name} run ${i}/${runs}: Tesseract ${images.length - tess.failed} pages in ${fixed(tess.wallMs / 1000, 1)} s, peak ${fixed(toMB(tess.peakRssBytes), 0)} MB`);
  }
  const last = oursRuns.at(-1)!.summary;
  return {
    set,
    pages: images.length,
    oursRuns,
    ours: {
      pagesPerSecond: oursRuns.map((r) => r.summary.pages / (r.wallMs / 1000)),
      peakRssBytes: Math.max(...oursRuns.map((r) => r.peakRssBytes)),
      failed: last.failures.length,
      scores: await score(gtDir, oursOut, set.ignoreCase),
    },
    tesseract: {
      pagesPerSecond: tessRuns.map((r) => (images.length - r.failed) / (r.wallMs / 1000)),
      peakRssBytes: Math.max(...tessRuns.map((r) => r.peakRssBytes)),
      failed: tessRuns.at(-1)!.failed,
      scores: await score(gtDir, tessOut, set.ignoreCase),
    },
  };
}

function ratios(r: SetResult): number[] {
  return r.ours.pagesPerSecond.map((p, i) => p / r.tesseract.pagesPerSecond[i]!);
}

function resultsTable(results: SetResult[]): string {
  const rows = results.flatMap((r) =>
    (['ours', 'tesseract'] as const).map((engine) => {
      const e = r[engine];
      return [
        `${r.set.dir}`,
        engine === 'ours' ? 'OCR Desk' : 'Tesseract 5',
        `${r.pages}`,
        e.pagesPerSecond.map((p) => fixed(p, 2)).join(', '),
        fixed(median(e.pagesPerSecond), 2),
        engine === 'ours' ? `${fixed(median(ratios(r)), 2)}×` : '1×',
        fixed(toMB(e.peakRssBytes), 0),
        fixed(e.scores.cer, 3),
        fixed(e.scores.wordF1, 3),
        fixed(e.scores.detF1, 3),
        `${e.failed}`,
      ];
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
  const ratioLines = results.map((r) => `${r.set.dir}: ${ratios(r).map((x) => fixed(x, 2)).join(', ')}`).join('; ');
  return `## OCR Desk vs Tesseract 5

${resultsTable(results)}

Speed ratios (OCR Desk pages/s ÷ Tesseract pages/s) per run, ${runs} alternating run${runs > 1 ? 's' : ''} per engine: ${ratioLines}; the table gives their median.

${stageTable(results)}

How it is measured:

- pages/s: pages ÷ wall-clock time of the whole run. OCR Desk: the CLI child process from spawn to exit (start-up and
  model loading included), default settings. Tesseract 5: ${TESSERACT_SLOTS} \`tesseract <image> stdout tsv\` processes in parallel
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
    for (const set of options.sets) results.push(await benchSet(set, options.runs, tmp, code.cli));
    const text = report(results, options.runs, code, await machineMarkdown(), commandLine('bench', argv));
    publishSection('ocr-vs-tesseract', text, options.quick, log);
  });
});
