/**
 * Searchable PDF benchmark: pages/s from PDF in to searchable PDF out (and image in to searchable PDF out), beside
 * Tesseract 5's own PDF output (`tesseract in.png out pdf`) in the same run, plus the issue's quality figures for
 * every page written: pdftotext agreement with the JSON export, pdftotext -bbox word boxes against the OCR boxes
 * (IoU ≥ 0.5), pdftoppm pixel identity with the page without the text layer, and the size the layer adds.
 * Writes its section of BENCHMARKS.md (not with --quick).
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { documentSchema, type OcrDocument } from '../app/common/result.ts';
import { writeSearchablePdf } from '../app/node/pdf/searchable-pdf.ts';
import { commandLine, runFooter, writeSection } from './benchmarks-md.ts';
import { parseFlags, runMain } from './cli-args.ts';
import { machineMarkdown } from './machine.ts';
import { REPO_ROOT } from './ocr-desk.ts';
import { boxMatchRate, comparePages, ocrWordBoxes, pageAgreement, pdftotextWords } from './pdf-checks.ts';
import { fixed, markdownTable } from './table.ts';

const run = promisify(execFile);
const USAGE = `usage: npm run bench:pdf -- [--quick]

OCR Desk (CLI, --format json,pdf, default settings) on the scanned PDFs of ../shared/data/pdfs/scanned and the
docs-dev images, and Tesseract 5 (pdftoppm -r 300, then 2 \`tesseract in.png out pdf\` processes, OMP_THREAD_LIMIT=1)
on the same pages; then poppler checks of every searchable PDF page written by OCR Desk.

  --quick   first 3 scanned PDFs and 2 images; prints the tables, leaves BENCHMARKS.md alone`;

const SHARED = path.resolve(REPO_ROOT, '..', 'shared');
const SCANNED = path.join(SHARED, 'data', 'pdfs', 'scanned');
const IMAGES = path.join(SHARED, 'eval', 'docs-dev', 'images');
const CLI = path.join(REPO_ROOT, 'app', 'main', 'cli', 'main.ts');
const SLOTS = 2;
const CHECK_DPI = 72;

interface Timed {
  wallMs: number;
  pages: number;
  failed: number;
}

async function ocrDesk(inputs: readonly string[], out: string): Promise<Timed> {
  const summary = path.join(out, 'summary.json');
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OCR_DESK_')));
  const t0 = performance.now();
  await run(process.execPath, [CLI, ...inputs, '--out', out, '--format', 'json,pdf', '--summary-json', summary], { env, maxBuffer: 64 << 20 }).catch((error: { code?: number }) => {
    if (error.code !== 1) throw error; // 1: some files failed, reported below
  });
  const wallMs = performance.now() - t0;
  const s = JSON.parse(await readFile(summary, 'utf8')) as { pages: number; failures: unknown[] };
  return { wallMs, pages: s.pages, failed: s.failures.length };
}

/** Tesseract's searchable PDF of each PNG, SLOTS processes at a time. */
async function tesseractPdfs(pngs: readonly string[], out: string): Promise<number> {
  let next = 0;
  let failed = 0;
  const env = { ...process.env, OMP_THREAD_LIMIT: '1' };
  await Promise.all(
    Array.from({ length: SLOTS }, async () => {
      while (next < pngs.length) {
        const png = pngs[next++]!;
        await run('tesseract', [png, path.join(out, path.basename(png, '.png')), 'pdf'], { env }).catch(() => failed++);
      }
    }),
  );
  return failed;
}

async function rasterise(pdfs: readonly string[], out: string): Promise<string[]> {
  let next = 0;
  await Promise.all(
    Array.from({ length: SLOTS }, async () => {
      while (next < pdfs.length) {
        const pdf = pdfs[next++]!;
        await run('pdftoppm', ['-r', '300', '-png', pdf, path.join(out, path.basename(pdf, '.pdf'))]);
      }
    }),
  );
  return (await readdir(out)).filter((f) => f.endsWith('.png')).map((f) => path.join(out, f));
}

interface Quality {
  pages: number;
  agreement: number[];
  boxes: { matched: number; total: number };
  identical: number;
  maxDiffering: number;
  /** Per PDF input: bytes added ÷ allowed (10% + 20 KB per page). */
  sizeRatio: number[];
  addedBytesPerPage: number[];
}

async function check(inputs: readonly string[], out: string, isPdf: boolean): Promise<Quality> {
  const q: Quality = { pages: 0, agreement: [], boxes: { matched: 0, total: 0 }, identical: 0, maxDiffering: 0, sizeRatio: [], addedBytesPerPage: [] };
  for (const input of inputs) {
    const base = path.join(out, path.basename(input).replace(/\.[^.]+$/, ''));
    let doc: OcrDocument;
    try {
      doc = documentSchema.parse(JSON.parse(await readFile(`${base}.json`, 'utf8'))) as OcrDocument;
    } catch {
      continue; // failed file: counted in the throughput table
    }
    const pdf = `${base}.pdf`;
    const wordPages = await pdftotextWords(pdf);
    let reference = input;
    if (!isPdf) {
      reference = `${base}.bare.pdf`;
      await writeFile(reference, await writeSearchablePdf({ ...doc, pages: doc.pages.map((p) => ({ ...p, lines: [] })) }, { source: input }));
    }
    for (const page of doc.pages) {
      const n = page.index + 1;
      q.pages++;
      q.agreement.push(await pageAgreement(pdf, n, page));
      const words = wordPages[page.index];
      if (words) {
        const r = boxMatchRate(words.words, ocrWordBoxes(page, words.width));
        q.boxes.matched += r.matched;
        q.boxes.total += r.total;
      }
      const diff = await comparePages(reference, n, pdf, n, CHECK_DPI);
      if (diff.differing === 0) q.identical++;
      q.maxDiffering = Math.max(q.maxDiffering, diff.differing);
    }
    if (isPdf) {
      const added = (await stat(pdf)).size - (await stat(input)).size;
      const allowed = (await stat(input)).size * 0.1 + 20_000 * doc.pages.length;
      q.sizeRatio.push(added / allowed);
      q.addedBytesPerPage.push(added / doc.pages.length);
    }
  }
  return q;
}

runMain(USAGE, async () => {
  const flags = parseFlags(process.argv.slice(2), { quick: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (flags.help) {
    console.log(USAGE);
    return;
  }
  let pdfs = (await readdir(SCANNED)).filter((f) => f.endsWith('.pdf')).sort().map((f) => path.join(SCANNED, f));
  let images = (await readdir(IMAGES)).sort().map((f) => path.join(IMAGES, f));
  if (flags.quick) {
    pdfs = pdfs.slice(0, 3);
    images = images.slice(0, 2);
  }
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'ocr-desk-bench-pdf-'));
  try {
    const dirs = Object.fromEntries(['ours-pdf', 'ours-img', 'tess-png', 'tess-pdf', 'tess-img'].map((d) => [d, path.join(tmp, d)]));
    for (const d of Object.values(dirs)) await mkdir(d);

    console.error(`OCR Desk: ${pdfs.length} PDFs → searchable PDF`);
    const oursPdf = await ocrDesk(pdfs, dirs['ours-pdf']!);
    console.error(`OCR Desk: ${images.length} images → searchable PDF`);
    const oursImg = await ocrDesk(images, dirs['ours-img']!);

    console.error('Tesseract: pdftoppm -r 300, then tesseract … pdf');
    let t0 = performance.now();
    const pngs = await rasterise(pdfs, dirs['tess-png']!);
    const rasterMs = performance.now() - t0;
    t0 = performance.now();
    const tessPdfFailed = await tesseractPdfs(pngs, dirs['tess-pdf']!);
    const tessPdfMs = performance.now() - t0;
    t0 = performance.now();
    const tessImgFailed = await tesseractPdfs(images.filter((f) => f.endsWith('.png')), dirs['tess-img']!);
    const tessImgMs = performance.now() - t0;

    console.error('Checking every page with poppler');
    const qPdf = await check(pdfs, dirs['ours-pdf']!, true);
    const qImg = await check(images, dirs['ours-img']!, false);

    const pps = (pages: number, ms: number) => fixed((pages * 1000) / ms, 2);
    const speed = markdownTable(
      ['input', 'engine', 'pages', 'wall (s)', 'pages/s', 'failed files'],
      [
        [`scanned PDFs (${pdfs.length})`, 'OCR Desk: PDF → searchable PDF', String(oursPdf.pages), fixed(oursPdf.wallMs / 1000, 1), pps(oursPdf.pages, oursPdf.wallMs), String(oursPdf.failed)],
        [`scanned PDFs (${pdfs.length})`, 'Tesseract 5: pdftoppm 300 dpi + `tesseract in.png out pdf`', String(pngs.length), fixed((rasterMs + tessPdfMs) / 1000, 1), pps(pngs.length, rasterMs + tessPdfMs), String(tessPdfFailed)],
        [`scanned PDFs (${pdfs.length})`, 'Tesseract 5: `tesseract in.png out pdf` alone', String(pngs.length), fixed(tessPdfMs / 1000, 1), pps(pngs.length, tessPdfMs), String(tessPdfFailed)],
        [`docs-dev images (${images.length})`, 'OCR Desk: image → searchable PDF', String(oursImg.pages), fixed(oursImg.wallMs / 1000, 1), pps(oursImg.pages, oursImg.wallMs), String(oursImg.failed)],
        [`docs-dev images (${images.length})`, 'Tesseract 5: `tesseract in.png out pdf`', String(images.length), fixed(tessImgMs / 1000, 1), pps(images.length, tessImgMs), String(tessImgFailed)],
      ],
    );
    const pct = (x: number) => `${fixed(100 * x, 1)}%`;
    const qualityRow = (name: string, q: Quality) => [
      name,
      String(q.pages),
      q.agreement.length ? pct(Math.min(...q.agreement)) : '–',
      q.agreement.length ? pct(q.agreement.reduce((a, b) => a + b, 0) / q.agreement.length) : '–',
      q.boxes.total ? `${pct(q.boxes.matched / q.boxes.total)} (${q.boxes.matched}/${q.boxes.total})` : '–',
      `${q.identical}/${q.pages}`,
      q.sizeRatio.length ? `${fixed(Math.max(...q.addedBytesPerPage) / 1024, 1)} KB; ${pct(Math.max(...q.sizeRatio))} of allowance` : 'n/a',
    ];
    const quality = markdownTable(
      ['searchable PDFs', 'pages', 'pdftotext agreement, min', 'mean', 'pdftotext -bbox words at IoU ≥ 0.5', `pdftoppm ${CHECK_DPI} dpi pixel-identical pages`, 'largest size added per page'],
      [qualityRow('from scanned PDFs', qPdf), qualityRow('from docs-dev images', qImg)],
    );
    const body = `## Searchable PDF: OCR Desk vs Tesseract 5

${speed}

${quality}

How it is measured:

- pages/s: pages ÷ wall-clock time. OCR Desk: its CLI from spawn to exit (start-up, model loading, rendering each PDF
  page at 300 dpi with pdf.js, OCR, writing JSON and the searchable PDF), default settings, \`--format json,pdf\`.
  Tesseract 5: ${SLOTS} processes at a time, \`OMP_THREAD_LIMIT=1\`, English; PDF pages first rasterised by
  \`pdftoppm -r 300 -png\` (Tesseract does not read PDFs); its output re-encodes the page image, OCR Desk's keeps the
  original PDF page.
- pdftotext agreement: 1 − edit distance ÷ length between \`pdftotext -raw\` of each page (content-stream order,
  which is the JSON's reading order) and the JSON export's text of that page, white space ignored.
- Word boxes: share of \`pdftotext -bbox\` words overlapping an OCR word box (from the JSON export, scaled to points)
  at IoU ≥ 0.5.
- Pixel identity: \`pdftoppm -r ${CHECK_DPI}\` of each output page against the same page without the text layer (the
  input PDF; for images, the same writer with no words), every pixel compared exactly.
- Size: bytes the output adds over the input PDF per page, and the largest share of the allowance (10% of the input
  + 20 KB per page) used by any file.

${runFooter(await machineMarkdown(), commandLine('bench:pdf', []))}
`;
    console.log(body);
    if (!flags.quick) writeSection('pdf', body);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});
