/**
 * Resolution invariance: docs-dev's pages rendered from their PDFs with pdftoppm at several resolutions, OCRed
 * by the CLI (default settings) and scored by score.mjs against docs-dev's truth boxes scaled to each resolution
 * (they were made at 200 dpi). Writes its section of BENCHMARKS.md (not with --quick).
 */
import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { commandLine, publishSection, runFooter } from './benchmarks-md.ts';
import { parseFlags, runMain, UsageError } from './cli-args.ts';
import { machineMarkdown } from './machine.ts';
import { runOcrDesk } from './ocr-desk.ts';
import { EVAL_DIR, score } from './score.ts';
import { withFrozenCli } from './snapshot.ts';
import { fixed, markdownTable } from './table.ts';

const USAGE = `usage: npm run bench:dpi -- [--quick] [--dpi 150,200,300,600]

Renders docs-dev's source PDFs (../shared/data/pdfs/digital) at each resolution with pdftoppm, runs OCR Desk's
CLI on them and scores the result with score.mjs against docs-dev's truth boxes scaled by dpi/200.

  --quick      prints the table, leaves BENCHMARKS.md alone
  --dpi LIST   resolutions (default 150,200,300,600)`;

const TRUTH_DPI = 200;
const run = promisify(execFile);
const log = (message: string): void => console.error(`[bench:dpi] ${message}`);

runMain(USAGE, async () => {
  const argv = process.argv.slice(2);
  const flags = parseFlags(argv, { quick: { type: 'boolean' }, dpi: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (flags.help) {
    console.log(USAGE);
    return;
  }
  const dpis = (flags.dpi ?? '150,200,300,600').split(',').map((d) => Number(d.trim()));
  if (dpis.some((d) => !Number.isInteger(d) || d < 50 || d > 1200)) throw new UsageError(`--dpi expects resolutions from 50 to 1200, got "${flags.dpi}"`);
  const gtDir = path.join(EVAL_DIR, 'docs-dev', 'gt');
  const pdfDir = path.resolve(EVAL_DIR, '..', 'data', 'pdfs', 'digital');
  const ids = (await readdir(gtDir)).filter((f) => f.endsWith('.gt.json')).map((f) => f.replace(/\.gt\.json$/, ''));
  await withFrozenCli('ocr-bench-dpi-', async (tmp, code) => {
    const rows: string[][] = [];
    const cers: number[] = [];
    for (const dpi of dpis) {
      const images = path.join(tmp, `images-${dpi}`);
      const truth = path.join(tmp, `gt-${dpi}`);
      await mkdir(images, { recursive: true });
      await mkdir(truth, { recursive: true });
      for (const id of ids) {
        await run('pdftoppm', ['-r', String(dpi), '-f', '1', '-l', '1', '-png', '-singlefile', path.join(pdfDir, `${id}.pdf`), path.join(images, id)]);
        const gt = JSON.parse(await readFile(path.join(gtDir, `${id}.gt.json`), 'utf8')) as { lines: { box: number[] }[] };
        const scaled = { ...gt, lines: gt.lines.map((l) => ({ ...l, box: l.box.map((v) => (v * dpi) / TRUTH_DPI) })) };
        await writeFile(path.join(truth, `${id}.gt.json`), JSON.stringify(scaled));
      }
      const out = path.join(tmp, `out-${dpi}`);
      const ours = await runOcrDesk(code.cli, [images], out, path.join(tmp, `summary-${dpi}.json`));
      const s = await score(truth, out, false);
      cers.push(s.cer);
      log(`${dpi} dpi: ${ours.summary.pages} pages in ${fixed(ours.wallMs / 1000, 1)} s, cer ${fixed(s.cer, 4)}`);
      rows.push([`${dpi}`, `${ours.summary.pages}`, fixed(s.cer, 4), fixed(s.wordF1, 4), fixed(ours.wallMs / 1000 / ours.summary.pages, 2)]);
    }
    const spread = Math.max(...cers) - Math.min(...cers);
    const text = `## Same pages at several resolutions (docs-dev)

${markdownTable(['dpi', 'pages', 'CER ↓', 'word F1 ↑', 's/page'], rows)}

Largest CER difference between resolutions: ${fixed(spread, 4)}.

How it is measured: docs-dev's source PDFs rendered with \`pdftoppm -r <dpi> -png\` (first page), OCR Desk's CLI
with default settings, \`score.mjs\` against docs-dev's truth boxes scaled by dpi/${TRUTH_DPI}.

OCR Desk code: ${code.description}.

${runFooter(await machineMarkdown(), commandLine('bench:dpi', argv))}`;
    publishSection('dpi', text, flags.quick ?? false, log);
  });
});
