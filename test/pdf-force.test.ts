/**
 * `--pdf-mode force` on pages that already had text: the searchable PDF must carry one text layer, the OCR's.
 * Before, the page's own text stayed under the new layer, so pdftotext read every word twice (inv_oyo.pdf: 322
 * words against its own 184) and graph_ocred.pdf's old OCR layer interleaved with the new one.
 * Checked with poppler, as a reader would: pdftotext word counts against the page's own text, and pdftoppm pixels
 * against the original page (the page must look the same).
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { documentSchema, type OcrDocument } from '../app/common/result.ts';
import { poolPageRenderer, searchablePdf } from '../app/main/pipeline/pdf-pages.ts';
import { WorkerPool } from '../app/main/pool/worker-pool.ts';
import { closeCached, renderPdfPage } from '../app/worker/pdf.ts';
import { cliMain, repoRoot, sharedPdfs, tempDir } from './helpers.ts';

const run = promisify(execFile);
const invoice = path.join(sharedPdfs, 'digital', 'inv_oyo.pdf');
const graph = path.join(sharedPdfs, 'mixed', 'graph_ocred.pdf');
/** More pages with visible text, so pages are rendered again at once (several files' PDFs written together). */
const letter = path.join(sharedPdfs, 'digital', 'issue-1054-example.pdf');
const small = [path.join(sharedPdfs, 'mixed', 'cmyk.pdf'), path.join(sharedPdfs, 'edge', 'truetype_font_nomapping.pdf')];

const words = (text: string) => text.split(/\s+/).filter(Boolean);
const pdftotext = async (pdf: string) => (await run('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { maxBuffer: 64 << 20 })).stdout;

/**
 * Mean absolute difference (0–255) between page 1 of `pdf` as poppler draws it in grey and `source` page 1 as the
 * OCR renderer (pdf.js) drew it, both at `dpi`, after shifting poppler's raster by (dx, dy) pixels.
 */
async function pixelDelta(pdf: string, source: string, dpi: number, shifts: readonly (readonly [number, number])[]): Promise<number[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ocr-desk-force-ppm-'));
  try {
    await run('pdftoppm', ['-f', '1', '-l', '1', '-r', String(dpi), '-gray', '-png', pdf, path.join(dir, 'p')]);
    const file = (await readdir(dir)).find((f) => f.startsWith('p'))!;
    const a = await sharp(path.join(dir, file)).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    const { image } = await renderPdfPage(source, 0, { dpi, maxPixels: 1e9 });
    await closeCached();
    const grey = (x: number, y: number) => {
      const i = (y * image.width + x) * 3;
      return 0.299 * image.data[i]! + 0.587 * image.data[i + 1]! + 0.114 * image.data[i + 2]!;
    };
    const w = Math.min(a.info.width, image.width);
    const h = Math.min(a.info.height, image.height);
    return shifts.map(([dx, dy]) => {
      let sum = 0;
      let n = 0;
      for (let y = 4; y < h - 4; y++) for (let x = 4; x < w - 4; x++, n++) sum += Math.abs(a.data[(y + dy) * a.info.width + x + dx]! - grey(x, y));
      return sum / n;
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('--pdf-mode force on pages with text', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const out = (name: string, ext: string) => path.join(dir, 'out', name === 'graph_ocred' || name === 'cmyk' ? 'mixed' : name.startsWith('truetype') ? 'edge' : 'digital', `${name}.${ext}`);
  before(async () => {
    ({ dir, cleanup } = await tempDir('force'));
    const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OCR_DESK_'))), OCR_DESK_DATA_DIR: path.join(dir, 'data') };
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, [cliMain, invoice, graph, letter, ...small, '--out', path.join(dir, 'out'), '-f', 'pdf,json,txt', '--pdf-mode', 'force', '-w', '2', '-t', '1'], {
        cwd: repoRoot,
        env,
        stdio: 'ignore',
      });
      child.on('error', reject);
      child.on('close', resolve);
    });
    assert.equal(code, 0);
  });
  after(() => cleanup());

  it('inv_oyo.pdf: one text layer, the OCR (pdftotext reads each word once), and the page looks the same', async () => {
    const own = words(await pdftotext(invoice));
    const ocr = words(await readFile(out('inv_oyo', 'txt'), 'utf8'));
    const result = words(await pdftotext(out('inv_oyo', 'pdf')));
    // The page's own text and the OCR read about the same words; both layers together were 1.75 times as many.
    assert.ok(Math.abs(ocr.length - own.length) < 0.15 * own.length, `OCR ${ocr.length} words, the page ${own.length}`);
    assert.ok(Math.abs(result.length - ocr.length) <= 0.05 * ocr.length, `pdftotext reads ${result.length} words, the OCR ${ocr.length}`);
    assert.equal(result.filter((w) => w === 'Sanjay').length, 1, 'the guest name once, not twice');
    // Appearance: the page's content is an image of the page as OCR saw it, in place: poppler draws it at 300 dpi
    // within a pixel of pdf.js's rendering of the original (a blank page differs by 6.4), best aligned unshifted.
    const [inPlace, ...shifted] = await pixelDelta(out('inv_oyo', 'pdf'), invoice, 300, [[0, 0], [1, 0], [-1, 0], [0, 1], [0, -1]]);
    const report = `mean grey difference ${inPlace!.toFixed(2)} of 255, shifted by a pixel ${shifted.map((d) => d.toFixed(2)).join(', ')}`;
    assert.ok(inPlace! < 1.8 && shifted.every((d) => d >= inPlace!), report);
  });

  it('graph_ocred.pdf: the old invisible OCR layer is gone, not interleaved with the new one', async () => {
    const own = await pdftotext(graph);
    assert.match(own, /No vote\{note 1\]/, 'the old layer reads "No vote{note 1]"');
    const result = await pdftotext(out('graph_ocred', 'pdf'));
    assert.doesNotMatch(result, /vote\{note|—esupport|SeNet/, 'nothing of the old layer is left');
    assert.equal(result.match(/vote\[note 1\]/g)?.length, 1, 'the new layer reads it once');
    // Its content is not replaced: removing an invisible layer leaves the page as it was drawn.
    const [unchanged] = await pixelDelta(out('graph_ocred', 'pdf'), graph, 100, [[0, 0]]);
    const [original] = await pixelDelta(graph, graph, 100, [[0, 0]]);
    assert.equal(unchanged, original);
  });

  it('issue-1054-example.pdf, made at the same time: its own text gone too', async () => {
    const own = words(await pdftotext(letter));
    const ocr = words(await readFile(out('issue-1054-example', 'txt'), 'utf8'));
    const result = words(await pdftotext(out('issue-1054-example', 'pdf')));
    assert.ok(Math.abs(result.length - ocr.length) <= 0.05 * ocr.length, `pdftotext reads ${result.length} words, the OCR ${ocr.length}, the page ${own.length}`);
    assert.equal(result.filter((w) => w === 'HERAUSGEBER:').length, ocr.filter((w) => w === 'HERAUSGEBER:').length);
  });

  it('the searchable PDF comes out the same bytes every time, also when several are made at once', async () => {
    // The queue makes it again after a crash and checks it against the recorded sha256; the batch writes several
    // files' PDFs at the same time, and each re-renders pages in this process.
    const read = async (name: string) => documentSchema.parse(JSON.parse(await readFile(out(name, 'json'), 'utf8'))) as OcrDocument;
    const docs = await Promise.all(['inv_oyo', 'issue-1054-example', 'cmyk', 'truetype_font_nomapping'].map(read));
    const sources = [invoice, letter, ...small];
    assert.equal(docs[0]!.pages[0]!.pdf?.text, 'visible', 'the page result records the text the page had');
    // Pages are rendered again by OCR workers, as the service does: two of them, so renders run at the same time.
    await using pool = new WorkerPool({ workers: 2, threads: 1 });
    const s = (i: number) => ({ mode: 'force', date: new Date('2026-01-01T00:00:00Z'), renderPage: poolPageRenderer(pool, sources[i]!, undefined) }) as const;
    const alone: Uint8Array[] = [];
    for (const [i, doc] of docs.entries()) alone.push(await searchablePdf(doc, sources[i]!, s(i)));
    for (let round = 0; round < 3; round++) {
      const together = await Promise.all(docs.map((doc, i) => searchablePdf(doc, sources[i]!, s(i))));
      together.forEach((pdf, i) => assert.ok(Buffer.from(pdf).equals(Buffer.from(alone[i]!)), `${sources[i]} made with the others`));
    }
  });
});
