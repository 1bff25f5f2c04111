/**
 * What a set's scores can reach at all, given OCR Desk's lines: its pages are read by the CLI, then each line's text
 * is replaced by the truth words it covers (a perfect reading of that line) and scored again. score.mjs compares
 * character rows: truth words whose boxes overlap vertically by half are chained into one row, and a row's
 * reference is its words in order of their left edges. Where a row chains words of several printed lines (FUNSD's
 * word boxes on tightly set prose), that reference interleaves the lines' words, which no reading that gives lines
 * can match. The word-level reading (each truth word a line of its own) scores 0 by construction and checks the
 * arithmetic. Word F1 is also given with tokens split at `/` and `-` on both sides, as FUNSD's truth splits
 * `9/3/92` and `MC-4` into words. Writes its section of BENCHMARKS.md (not with --quick).
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { commandLine, publishSection, runFooter } from './benchmarks-md.ts';
import { parseFlags, runMain, UsageError } from './cli-args.ts';
import { machineMarkdown } from './machine.ts';
import { runOcrDesk } from './ocr-desk.ts';
import { EVAL_DIR, evalSetOptions, score, type Scores } from './score.ts';
import { withFrozenCli } from './snapshot.ts';
import { fixed, markdownTable } from './table.ts';
import { perfectLines, type PredLine, type TruthWord } from './perfect-lines.ts';

const USAGE = `usage: npm run bench:ceiling -- [--set funsd-dev] [--quick]

Reads a set of ../shared/eval with OCR Desk's CLI and scores, with score.mjs: the reading as it is; each line's
text replaced by the truth words inside it; each truth word as a line of its own; and the reading and the truth
with words split at / and -.

  --set NAME   a folder of ../shared/eval (default funsd-dev)
  --quick      prints the table, leaves BENCHMARKS.md alone`;

const log = (message: string): void => console.error(`[bench:ceiling] ${message}`);

const splitTokens = (text: string): string => text.replace(/[/-]/g, ' ');

runMain(USAGE, async () => {
  const argv = process.argv.slice(2);
  const flags = parseFlags(argv, { set: { type: 'string' }, quick: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (flags.help) {
    console.log(USAGE);
    return;
  }
  const set = flags.set ?? 'funsd-dev';
  const gtDir = path.join(EVAL_DIR, set, 'gt');
  const ids = (await readdir(gtDir).catch(() => [])).filter((f) => f.endsWith('.gt.json')).map((f) => f.replace(/\.gt\.json$/, ''));
  if (!ids.length) throw new UsageError(`--set ${set}: no *.gt.json in ${gtDir}`);
  const { ignoreCase, lang } = evalSetOptions(set);
  await withFrozenCli('ocr-bench-ceiling-', async (tmp, code) => {
    const read = path.join(tmp, 'read');
    log(`reading ${ids.length} pages of ${set}`);
    await runOcrDesk(code.cli, [path.join(EVAL_DIR, set, 'images')], read, path.join(tmp, 'summary.json'), ['--lang', lang]);
    const variants = { perfect: path.join(tmp, 'perfect'), words: path.join(tmp, 'words'), readSplit: path.join(tmp, 'read-split'), gtSplit: path.join(tmp, 'gt-split') };
    for (const dir of Object.values(variants)) await mkdir(dir, { recursive: true });
    for (const id of ids) {
      const gt = JSON.parse(await readFile(path.join(gtDir, `${id}.gt.json`), 'utf8')) as { lines: TruthWord[] };
      const lines = (JSON.parse(await readFile(path.join(read, `${id}.json`), 'utf8')) as { pages: { lines: PredLine[] }[] }).pages[0]?.lines ?? [];
      const page = (l: readonly object[]) => JSON.stringify({ pages: [{ lines: l }] });
      await writeFile(path.join(variants.perfect, `${id}.json`), page(perfectLines(gt.lines, lines)));
      await writeFile(path.join(variants.words, `${id}.json`), page(gt.lines));
      await writeFile(path.join(variants.readSplit, `${id}.json`), page(lines.map((l) => ({ ...l, text: splitTokens(l.text) }))));
      await writeFile(path.join(variants.gtSplit, `${id}.gt.json`), JSON.stringify({ ...gt, lines: gt.lines.map((l) => ({ ...l, text: splitTokens(l.text) })) }));
    }
    const row = (what: string, s: Scores): string[] => [what, fixed(s.cer, 4), fixed(s.wordF1, 4)];
    const rows = [
      row('OCR Desk as it reads', await score(gtDir, read, ignoreCase)),
      row('each line read perfectly (its truth words)', await score(gtDir, variants.perfect, ignoreCase)),
      row('each truth word a line of its own', await score(gtDir, variants.words, ignoreCase)),
      // Splitting also drops the / and - from the characters compared: only its word F1 means anything.
      ['OCR Desk as it reads, words split at / and - on both sides', '—', fixed((await score(variants.gtSplit, variants.readSplit, ignoreCase)).wordF1, 4)],
    ];
    const text = `## What the scores can reach with OCR Desk's lines (${set})

${markdownTable(['reading', 'CER ↓', 'word F1 ↑'], rows)}

How it is measured: OCR Desk's CLI reads the set with default settings; each of its lines then gets, in place of
its text, the truth words it holds the most of (at least 30% of their box), in order of their left edges: a perfect
reading of the lines it found. \`score.mjs\` scores every variant against the set's truth. See \`bench/ceiling.ts\`
for why a perfect reading of lines does not score 0 where truth rows chain several printed lines.

OCR Desk code: ${code.description}.

${runFooter(await machineMarkdown(), commandLine('bench:ceiling', argv))}`;
    publishSection('ceiling', text, flags.quick ?? false, log);
  });
});
