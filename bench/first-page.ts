/**
 * Time to the first page's text: how long a person waits from starting `ocr-desk` on one receipt until its text is
 * on disk, against Tesseract on the same image in the same run. Start-up (Node, the CLI, a worker, the models) is
 * part of it. Runs alternate between the two engines; the first OCR Desk run starts with empty caches (compiled
 * code, rewritten models), as the first run after installing does, and is reported apart from the median of the
 * others. Writes its section of BENCHMARKS.md (not with --quick).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { commandLine, publishSection, runFooter } from './benchmarks-md.ts';
import { BenchError, parseFlags, positiveInt, runMain, UsageError } from './cli-args.ts';
import { machineMarkdown } from './machine.ts';
import { benchCliEnv, REPO_ROOT } from './ocr-desk.ts';
import { EVAL_DIR } from './score.ts';
import { TESSERACT_ENV } from './tesseract.ts';
import { withFrozenCli } from './snapshot.ts';
import { fixed, markdownTable, median } from './table.ts';

const USAGE = `usage: npm run bench:first-page -- [--image FILE] [--runs N] [--quick]

Starts the OCR Desk CLI (default settings, --format txt) on one image N times, alternating with Tesseract 5
(OMP_THREAD_LIMIT=1) on the same image, and reports the time from starting the process until the page's text file
exists, and until the process has exited.

  --image FILE   the page (default ../shared/eval/sroie-dev/images/000.jpg, a receipt)
  --runs N       runs of each engine (default 6; the first OCR Desk run has empty caches and is reported apart)
  --quick        3 runs; prints the table, leaves BENCHMARKS.md alone`;

const TARGET_S = 1.0;
const POLL_MS = 2;
const log = (message: string): void => console.error(`[first-page] ${message}`);

interface Timing {
  /** From spawn until the text file exists (written atomically: it appears whole). */
  textMs: number;
  /** From spawn until the process has exited. */
  exitMs: number;
}

/** Spawns `command`, polling for `textFile`; rejects if the process fails or exits without writing it. */
async function timeRun(command: string, args: readonly string[], env: NodeJS.ProcessEnv, textFile: string): Promise<Timing> {
  const t0 = performance.now();
  const child = spawn(command, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  let textMs: number | undefined;
  const poll = setInterval(() => {
    if (textMs === undefined && existsSync(textFile)) textMs = performance.now() - t0;
  }, POLL_MS);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  }).finally(() => clearInterval(poll));
  const exitMs = performance.now() - t0;
  if (code !== 0 || !existsSync(textFile)) throw new BenchError(`${path.basename(command)} exited with code ${code} and wrote no ${textFile}; stderr:\n${stderr}`);
  // Written in the last poll interval before the exit: it appeared by the exit at the latest.
  return { textMs: textMs ?? exitMs, exitMs };
}

runMain(USAGE, async () => {
  const argv = process.argv.slice(2);
  const flags = parseFlags(argv, { image: { type: 'string' }, runs: { type: 'string' }, quick: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (flags.help) {
    console.log(USAGE);
    return;
  }
  if (flags.quick && flags.runs !== undefined) throw new UsageError('--quick means 3 runs; give either --quick or --runs, not both');
  const runs = flags.runs === undefined ? (flags.quick ? 3 : 6) : positiveInt('--runs', flags.runs);
  if (runs < 2) throw new UsageError('--runs must be at least 2: the first OCR Desk run (empty caches) is reported apart');
  const image = path.resolve(flags.image ?? path.join(EVAL_DIR, 'sroie-dev', 'images', '000.jpg'));
  if (!existsSync(image)) throw new UsageError(`--image: no file ${image}`);
  const stem = path.basename(image).replace(/\.[^.]+$/, '');

  await withFrozenCli('ocr-bench-first-page-', async (tmp, code) => {
    const cacheDir = path.join(tmp, 'cache');
    const ours: Timing[] = [];
    const theirs: Timing[] = [];
    for (let i = 0; i < runs; i++) {
      // A fresh data folder and output folder each run (nothing reused from an earlier run); one cache folder.
      const dataDir = await mkdtemp(path.join(tmp, 'data-'));
      const outDir = await mkdtemp(path.join(tmp, 'out-'));
      const o = await timeRun(process.execPath, [code.cli, image, '--out', outDir, '--format', 'txt'], benchCliEnv(dataDir, cacheDir), path.join(outDir, `${stem}.txt`));
      if ((await readFile(path.join(outDir, `${stem}.txt`), 'utf8')).trim() === '') throw new BenchError(`OCR Desk wrote an empty text for ${image}`);
      ours.push(o);
      const tessBase = path.join(outDir, 'tesseract');
      theirs.push(await timeRun('tesseract', [image, tessBase], TESSERACT_ENV, `${tessBase}.txt`));
      if ((await readFile(`${tessBase}.txt`, 'utf8')).trim() === '') throw new BenchError(`Tesseract wrote an empty text for ${image}`);
      log(`run ${i + 1}/${runs}: OCR Desk text ${fixed(o.textMs, 0)} ms, exit ${fixed(o.exitMs, 0)} ms; Tesseract ${fixed(theirs.at(-1)!.exitMs, 0)} ms`);
      await rm(dataDir, { recursive: true, force: true });
    }
    const warm = ours.slice(1);
    const warmTextMs = median(warm.map((t) => t.textMs));
    const s = (ms: number) => fixed(ms / 1000, 2);
    const rows = [
      ['OCR Desk, first run (empty caches)', s(ours[0]!.textMs), s(ours[0]!.exitMs)],
      [`OCR Desk, median of runs 2–${runs}`, s(warmTextMs), s(median(warm.map((t) => t.exitMs)))],
      // Tesseract creates its text file when it starts and fills it as it exits: its text is there at the exit.
      [`Tesseract 5, median of ${runs}`, s(median(theirs.map((t) => t.exitMs))), s(median(theirs.map((t) => t.exitMs)))],
    ];
    const met = warmTextMs / 1000 <= TARGET_S ? 'met' : '**not met**';
    const text = `## First page: one receipt, from start to its text

${markdownTable(['run', 'text on disk (s)', 'process exited (s)'], rows)}

Target: the text within ${fixed(TARGET_S, 1)} s of the start (median of the runs after the first): ${met}.
Every OCR Desk run: ${ours.map((t) => s(t.textMs)).join(', ')} s to the text.

How it is measured:

- \`${path.relative(REPO_ROOT, image) || image}\`, ${runs} runs of each engine, alternating.
- OCR Desk: the \`ocr-desk\` command (\`node bin/ocr-desk.mjs <image> --out <dir> --format txt\`, default settings) from spawn,
  with a fresh data folder each run and one cache folder for all (empty before the first run). The text file is
  written atomically; the bench polls for it every ${POLL_MS} ms.
- Tesseract 5: \`tesseract <image> <base>\` with \`OMP_THREAD_LIMIT=1\`. It creates its text file when it starts and
  fills it as it exits, so its text counts as there at the exit.

OCR Desk code: ${code.description}.

${runFooter(await machineMarkdown(), commandLine('bench:first-page', argv))}`;
    publishSection('first-page', text, flags.quick ?? false, log);
  });
});
