/**
 * A/B: two builds of OCR Desk on the same dev set in one run, alternating build by build, so that a change's effect
 * on throughput and accuracy is measured on the same (noisy) machine at the same time. A is a git revision (its
 * app/, bin/ and package.json from `git archive`; models and node_modules of this checkout), B is this working tree,
 * frozen. Writes its section of BENCHMARKS.md (not with --quick). Run `npm run bench:ab -- --help`.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdir, readdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { commandLine, publishSection, runFooter } from './benchmarks-md.ts';
import { BenchError, parseFlags, positiveInt, runMain, UsageError } from './cli-args.ts';
import { machineMarkdown } from './machine.ts';
import { REPO_ROOT, runOcrDesk, type CliRun } from './ocr-desk.ts';
import { toMB } from './proc-tree.ts';
import { withFrozenCli } from './snapshot.ts';
import { EVAL_DIR, evalSetOptions, score, type Scores } from './score.ts';
import { fixed, markdownTable, median } from './table.ts';

const USAGE = `usage: npm run bench:ab -- --base <git revision> [--set sroie-dev] [--runs N] [--quick]

Runs the OCR Desk CLI of <git revision> (A) and of this working tree (B) on a dev set, alternating A and B run by
run, and reports each one's pages/s, the B/A ratio per pair of runs, peak RSS and accuracy (score.mjs).

  --base REV   the revision to compare with (required), e.g. cdb8e00
  --set NAME   a folder of ../shared/eval (default sroie-dev)
  --runs N     alternating runs per build (default 3); the ratio reported is the median of the N ratios
  --quick      one run each; prints the table, leaves BENCHMARKS.md alone`;

const log = (message: string): void => console.error(`[ab] ${message}`);

/** The CLI of a git revision, in `dir`: its app/, bin/ and package.json, this checkout's models and node_modules. */
async function checkoutCli(rev: string, dir: string): Promise<{ cli: string; description: string }> {
  let commit: string;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', `${rev}^{commit}`], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  } catch {
    throw new UsageError(`--base: "${rev}" is not a revision of this repository`);
  }
  await mkdir(dir, { recursive: true });
  // Revisions from before the `ocr-desk` launcher run their CLI entry point directly.
  const launcher = hasPath(commit, 'bin/ocr-desk.mjs');
  const tar = execFileSync('git', ['archive', commit, 'app', ...(launcher ? ['bin'] : []), 'package.json'], { cwd: REPO_ROOT, maxBuffer: 1 << 30 });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  await cp(path.join(REPO_ROOT, 'models'), path.join(dir, 'models'), { recursive: true });
  await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return { cli: path.join(dir, launcher ? 'bin/ocr-desk.mjs' : 'app/main/cli/main.ts'), description: `commit ${commit}` };
}

function hasPath(commit: string, file: string): boolean {
  try {
    execFileSync('git', ['cat-file', '-e', `${commit}:${file}`], { cwd: REPO_ROOT, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

interface Side {
  readonly name: 'A' | 'B';
  readonly cli: string;
  readonly description: string;
  readonly runs: CliRun[];
  scores?: Scores;
}

runMain(USAGE, async () => {
  const argv = process.argv.slice(2);
  const flags = parseFlags(argv, { base: { type: 'string' }, set: { type: 'string' }, runs: { type: 'string' }, quick: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (flags.help) return void console.log(USAGE);
  if (!flags.base) throw new UsageError('--base <git revision> is required');
  const runs = flags.quick ? 1 : flags.runs === undefined ? 3 : positiveInt('--runs', flags.runs);
  const set = flags.set ?? 'sroie-dev';
  const imagesDir = path.join(EVAL_DIR, set, 'images');
  const gtDir = path.join(EVAL_DIR, set, 'gt');
  const images = (await readdir(imagesDir).catch(() => [])).length;
  if (images === 0) throw new BenchError(`--set: no images in ${imagesDir}`);
  const { ignoreCase, lang } = evalSetOptions(set);

  await withFrozenCli('ocr-ab-', async (tmp, frozen) => {
    const a: Side = { name: 'A', ...(await checkoutCli(flags.base!, path.join(tmp, 'base'))), runs: [] };
    const b: Side = { name: 'B', cli: frozen.cli, description: frozen.description, runs: [] };
    for (let i = 1; i <= runs; i++) {
      // Alternate which goes first, so neither always meets a warmer or cooler machine.
      for (const side of i % 2 ? [a, b] : [b, a]) {
        const out = path.join(tmp, `${side.name}-${i}`);
        const run = await runOcrDesk(side.cli, [imagesDir], out, `${out}.summary.json`, ['--lang', lang]);
        side.runs.push(run);
        log(`run ${i}/${runs} ${side.name}: ${run.summary.pages} pages in ${fixed(run.wallMs / 1000, 1)} s`);
        if (i === runs) side.scores = await score(gtDir, out, ignoreCase);
      }
    }
    const pps = (s: Side) => s.runs.map((r) => r.summary.pages / (r.wallMs / 1000));
    const ratios = pps(b).map((p, i) => p / pps(a)[i]!);
    const row = (s: Side) => [
      `${s.name}: ${s.description}`,
      pps(s).map((p) => fixed(p, 2)).join(', '),
      fixed(median(pps(s)), 2),
      s.name === 'B' ? `${fixed(median(ratios), 2)}×` : '1×',
      fixed(toMB(Math.max(...s.runs.map((r) => r.peakRssBytes))), 0),
      fixed(s.scores!.cer, 4),
      fixed(s.scores!.wordF1, 4),
      `${s.runs.at(-1)!.summary.failures.length}`,
    ];
    const text = `## A/B: this tree against ${flags.base} on ${set}

${markdownTable(['build', 'pages/s per run', 'median pages/s', 'B ÷ A', 'peak RSS (MB)', 'CER ↓', 'word F1 ↑', 'failed'], [row(a), row(b)])}

B ÷ A per pair of runs (${runs} alternating run${runs > 1 ? 's' : ''} each, the order switching every pair): ${ratios.map((r) => fixed(r, 2)).join(', ')}; the table gives their median.
Each run is the CLI as a child process with default settings and a data folder of its own (nothing reused), from
spawn to exit; peak RSS sums the CLI and its workers; accuracy is score.mjs on the last run's output${ignoreCase ? ' (--ignore-case)' : ''}.

${runFooter(await machineMarkdown(), commandLine('bench:ab', argv))}`;
    publishSection(`ab-${set}`, text, flags.quick ?? false, log);
  });
});
