/**
 * End to end with the real models, through the CLI, on a few pages: searchable PDFs from an image and from a scanned
 * PDF checked with poppler (pdftotext agreement with the JSON export, -bbox IoU, pdftoppm pixel identity, size),
 * every export format written, skip mode on multipage.pdf leaving its text page untouched, redo replacing
 * graph_ocred.pdf's old layer, and every edge-case PDF ending in a result or a specific error.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PDFArray, PDFDocument, PDFName, PDFRawStream, PDFRef } from 'pdf-lib';
import { documentSchema, type OcrDocument } from '../app/common/result.ts';
import { boxMatchRate, comparePages, ocrWordBoxes, pageAgreement, pdftotext, pdftotextWords } from '../bench/pdf-checks.ts';
import { cliMain, repoRoot, sharedDir, tempDir } from './helpers.ts';

const pdfs = path.join(sharedDir, 'data', 'pdfs');

async function runCli(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  // A data folder of its own: nothing reused from other runs, nothing left in the user's.
  const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OCR_DESK_'))), OCR_DESK_DATA_DIR: await mkdtemp(path.join(tmpdir(), 'ocr-desk-spdf-data-')) };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliMain, ...args], { cwd: repoRoot, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

const readDoc = async (file: string) => documentSchema.parse(JSON.parse(await readFile(file, 'utf8'))) as OcrDocument;

async function contentBytes(file: string): Promise<Buffer[]> {
  const doc = await PDFDocument.load(await readFile(file), { updateMetadata: false });
  return doc.getPages().map((page) => {
    const contents = page.node.get(PDFName.of('Contents'));
    const resolved = contents instanceof PDFRef ? doc.context.lookup(contents) : contents;
    const refs = resolved instanceof PDFArray ? resolved.asArray() : [contents];
    return Buffer.concat(refs.map((r) => (r instanceof PDFRef ? doc.context.lookup(r) : r)).map((s) => (s instanceof PDFRawStream ? Buffer.from(s.getContents()) : Buffer.alloc(0))));
  });
}

let dir: string;
let cleanup: () => Promise<void>;
before(async () => ({ dir, cleanup } = await tempDir('searchable')));
after(async () => cleanup());

describe('searchable PDFs with the real models', () => {
  it('from an image and from a scanned PDF: text, boxes and pixels check out with poppler', async () => {
    const image = path.join(sharedDir, 'eval', 'docs-dev', 'images', 'inv_oyo.png');
    const scanned = path.join(pdfs, 'scanned', 'c02-22.pdf');
    const out = path.join(dir, 'a');
    const r = await runCli([image, scanned, '--out', out, '--format', 'txt,json,hocr,alto,md,csv,pdf']);
    assert.equal(r.code, 0, r.stderr);
    // The output tree mirrors the inputs' paths below their common folder (shared/).
    const base = { inv_oyo: path.join(out, 'eval', 'docs-dev', 'images', 'inv_oyo'), 'c02-22': path.join(out, 'data', 'pdfs', 'scanned', 'c02-22') };
    for (const [name, b] of Object.entries(base)) {
      const files = (await readdir(path.dirname(b))).sort();
      assert.deepEqual(files, ['alto.xml', 'csv', 'hocr', 'json', 'md', 'pdf', 'txt'].map((ext) => `${name}.${ext}`));
    }
    for (const [name, b] of Object.entries(base)) {
      const doc = await readDoc(`${b}.json`);
      const pdf = `${b}.pdf`;
      const page = doc.pages[0]!;
      assert.ok(page.lines.length > 10, `${name}: ${page.lines.length} lines`);
      const agreement = await pageAgreement(pdf, 1, page);
      assert.ok(agreement >= 0.99, `${name}: pdftotext agreement ${agreement}`);
      const [words] = await pdftotextWords(pdf);
      const rate = boxMatchRate(words!.words, ocrWordBoxes(page, words!.width));
      assert.ok(rate.matched / rate.total >= 0.95, `${name}: ${rate.matched}/${rate.total} boxes at IoU ≥ 0.5`);
    }
    // The scanned PDF's page draws exactly as before, and the layer is small.
    assert.equal((await comparePages(scanned, 1, `${base['c02-22']}.pdf`, 1, 72)).differing, 0);
    const added = (await stat(`${base['c02-22']}.pdf`)).size - (await stat(scanned)).size;
    assert.ok(added <= (await stat(scanned)).size * 0.1 + 20_000, `${added} bytes added`);
  });

  it('skip keeps multipage.pdf page 4 (its text) as it was and OCRs the rest', async () => {
    const source = path.join(pdfs, 'mixed', 'multipage.pdf');
    const out = path.join(dir, 'skip');
    const r = await runCli([source, '--out', out, '--format', 'json,pdf', '--pdf-dpi', '72']);
    assert.equal(r.code, 0, r.stderr);
    const doc = await readDoc(path.join(out, 'multipage.json'));
    assert.deepEqual(doc.pages.map((p) => p.pdf?.ocr), [true, true, true, false, true, true]);
    const [before, after] = [await contentBytes(source), await contentBytes(path.join(out, 'multipage.pdf'))];
    assert.ok(before[3]!.equals(after[3]!), 'page 4 content is byte-identical');
    assert.equal(await pdftotext(path.join(out, 'multipage.pdf'), 4), await pdftotext(source, 4));
    for (const i of [0, 1, 2, 4, 5]) assert.ok(after[i]!.includes(before[i]!) && after[i]!.length > before[i]!.length, `page ${i + 1} gets a layer`);
  });

  it('redo replaces the invisible OCR layer of graph_ocred.pdf', async () => {
    const source = path.join(pdfs, 'mixed', 'graph_ocred.pdf');
    const out = path.join(dir, 'redo');
    const r = await runCli([source, '--out', out, '--format', 'json,pdf', '--pdf-mode', 'redo']);
    assert.equal(r.code, 0, r.stderr);
    const doc = await readDoc(path.join(out, 'graph_ocred.json'));
    assert.equal(doc.pages[0]!.pdf?.ocr, true);
    assert.ok((await pageAgreement(path.join(out, 'graph_ocred.pdf'), 1, doc.pages[0]!)) >= 0.99);
    assert.doesNotMatch(await pdftotext(path.join(out, 'graph_ocred.pdf'), 1), /sw \|/); // the old layer's text
  });

  it('every edge-case PDF ends in a result or a specific error, and none takes a worker down', async () => {
    const out = path.join(dir, 'edge');
    const summaryFile = path.join(dir, 'edge-summary.json');
    const r = await runCli([path.join(pdfs, 'edge'), '--out', out, '--format', 'json,pdf', '--pdf-dpi', '72', '--summary-json', summaryFile]);
    assert.equal(r.code, 1, r.stderr);
    const summary = JSON.parse(await readFile(summaryFile, 'utf8')) as { files: { ok: number; failed: number }; failures: { path: string; kind: string; message: string }[] };
    const kinds = Object.fromEntries(summary.failures.map((f) => [path.basename(f.path), f.kind]));
    assert.deepEqual(kinds, { 'invalid.pdf': 'corrupt-pdf' });
    assert.equal(summary.files.ok, 7);
    const written = (await readdir(out)).filter((f) => f.endsWith('.pdf')).sort();
    assert.deepEqual(written, [
      'enormous.pdf', 'garbled-textlayer_issue-192-example.pdf', 'hugemono.pdf', 'jbig2_baddevicen.pdf', 'no_contents.pdf',
      'truetype_font_nomapping.pdf', 'type3_font_nomapping.pdf',
    ]);
    // hugemono.pdf (a 35000×35000 scan on an 8400 pt page) was rendered downscaled, within the pixel limit.
    const huge = await readDoc(path.join(out, 'hugemono.json'));
    assert.ok(huge.pages[0]!.width * huge.pages[0]!.height <= 100_000_000 && huge.pages[0]!.dpi! <= 72);
  });
});
