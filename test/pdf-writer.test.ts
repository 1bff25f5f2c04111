/**
 * The searchable PDF writer without the models: hand-made documents over real images and real PDFs, checked with
 * poppler (pdftotext, pdftotext -bbox, pdftoppm, pdffonts): Chinese text in the layer, word boxes, pixel identity,
 * untouched pages, size overhead, redo's removal of an old OCR layer, PDF/A metadata, encrypted sources.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { PDFArray, PDFDocument, PDFName, PDFRawStream, PDFRef } from 'pdf-lib';
import sharp from 'sharp';
import { PdfOutputError } from '../app/common/errors.ts';
import { assignIds, type OcrDocument, type OcrPage } from '../app/common/result.ts';
import { writeSearchablePdf } from '../app/node/pdf/searchable-pdf.ts';
import { stripInvisibleText } from '../app/node/pdf/strip-ocr-layer.ts';
import { pdfPageText } from '../app/worker/pdf.ts';
import { boxMatchRate, comparePages, ocrWordBoxes, pdftotext, pdftotextWords } from '../bench/pdf-checks.ts';
import { box, sampleDocument } from './sample-document.ts';
import { hasQpdf, sharedPdfs, tempDir } from './helpers.ts';

const run = promisify(execFile);
const pdfs = sharedPdfs;

let dir: string;
let cleanup: () => Promise<void>;
before(async () => ({ dir, cleanup } = await tempDir('pdf-writer')));
after(async () => cleanup());

/** A white page with a few dark bars, at 200 dpi. */
async function makeImage(file: string, width: number, height: number): Promise<void> {
  const bars = [0, 1, 2].map((i) => ({ input: { create: { width: 300, height: 20, channels: 3 as const, background: '#333' } }, left: 50, top: 60 + 100 * i }));
  await sharp({ create: { width, height, channels: 3, background: '#ffffff' } }).composite(bars).withMetadata({ density: 200 }).png().toFile(file);
}

/** The PDF's decoded content-stream bytes of each page. */
async function pageContents(file: string): Promise<Buffer[]> {
  const doc = await PDFDocument.load(await readFile(file), { updateMetadata: false });
  return doc.getPages().map((page) => {
    const contents = page.node.get(PDFName.of('Contents'));
    const resolved = contents instanceof PDFRef ? doc.context.lookup(contents) : contents;
    const refs = resolved instanceof PDFArray ? resolved.asArray() : [contents];
    return Buffer.concat(
      refs.map((ref) => {
        const s = ref instanceof PDFRef ? doc.context.lookup(ref) : ref;
        return s instanceof PDFRawStream ? Buffer.from(s.getContents()) : Buffer.alloc(0);
      }),
    );
  });
}

describe('searchable PDF from an image', () => {
  it('carries every character (Chinese included) over the right boxes, and draws nothing', async () => {
    const image = path.join(dir, 'page.png');
    await makeImage(image, 1000, 800);
    const doc: OcrDocument = { ...sampleDocument, source: { path: image, name: 'page.png' }, pages: [sampleDocument.pages[0]!] };
    const out = path.join(dir, 'page.pdf');
    await writeFile(out, await writeSearchablePdf(doc, { source: image }));

    const text = await pdftotext(out, 1);
    for (const word of ['Total:', '<42>', '中文', '测试']) assert.ok(text.includes(word), `${word} in ${JSON.stringify(text)}`);
    const { stdout: fonts } = await run('pdffonts', [out]);
    assert.match(fonts, /GlyphLessFont\s+CID TrueType\s+Identity-H\s+yes\s+no\s+yes/);

    const [words] = await pdftotextWords(out);
    assert.equal(words!.width, 360); // 1000 px at 200 dpi
    // "# not" is one OCR word with a space in it, which pdftotext reads as two: the other 9 words match.
    const rate = boxMatchRate(words!.words, ocrWordBoxes(doc.pages[0]!, words!.width));
    assert.deepEqual(rate, { matched: 9, total: 10 });

    const bare = path.join(dir, 'bare.pdf');
    await writeFile(bare, await writeSearchablePdf({ ...doc, pages: [{ ...doc.pages[0]!, lines: [] }] }, { source: image }));
    const diff = await comparePages(out, 1, bare, 1, 100);
    assert.equal(diff.differing, 0);
  });

  it('keeps a word far longer than its box whole in the text layer (a correction typed over a short misread)', async () => {
    const image = path.join(dir, 'squeezed.png');
    await makeImage(image, 1000, 800);
    // 13 characters over a 13 × 20 pixel box, between two words of usual width; and a word of usual width.
    const words = [
      { text: 'CODE', confidence: 0.9, box: box(100, 100, 48, 20) },
      { text: 'CORRECTEDWORD', confidence: 1, box: box(160, 100, 13, 20) },
      { text: 'AMOUNT', confidence: 0.9, box: box(185, 100, 72, 20) },
    ];
    const page: OcrPage = { index: 0, width: 1000, height: 800, orientation: 0, blocks: [{ box: box(100, 100, 157, 20) }], lines: assignIds([{ text: 'CODE CORRECTEDWORD AMOUNT', confidence: 0.9, box: box(100, 100, 157, 20), words, block: 0 }]) };
    const out = path.join(dir, 'squeezed.pdf');
    await writeFile(out, await writeSearchablePdf({ ...sampleDocument, source: { path: image, name: 'squeezed.png' }, pages: [page] }, { source: image }));
    // Squeezed to fit at full size it came out as "COR ECTEDWORD". Set smaller, pdftotext puts it on a line of its
    // own, whole.
    assert.deepEqual((await pdftotext(out, 1)).trim().split(/\s+/), ['CODE', 'CORRECTEDWORD', 'AMOUNT']);
    // It stays within its box: pdftotext's box of the word starts and ends where the OCR box does (72/200 pt a pixel).
    const [found] = await pdftotextWords(out);
    const w = found!.words.find((x) => x.text === 'CORRECTEDWORD')!;
    assert.ok(Math.abs(w.box[0]! - (160 * 72) / 200) < 0.5 && Math.abs(w.box[2]! - (173 * 72) / 200) < 0.5, JSON.stringify(w));
  });

  it('writes PDF/A-2b metadata and an sRGB output intent', async () => {
    const image = path.join(dir, 'a.png');
    await makeImage(image, 400, 300);
    const doc: OcrDocument = { ...sampleDocument, source: { path: image, name: 'a.png' }, pages: [{ ...sampleDocument.pages[1]!, index: 0, width: 400, height: 300 }] };
    const out = path.join(dir, 'a.pdf');
    await writeFile(out, await writeSearchablePdf(doc, { source: image, pdfa: true }));
    const { stdout: meta } = await run('pdfinfo', ['-meta', out]);
    assert.match(meta, /<pdfaid:part>2<\/pdfaid:part>/);
    assert.match(meta, /<pdfaid:conformance>B<\/pdfaid:conformance>/);
    const loaded = await PDFDocument.load(await readFile(out));
    const intents = loaded.catalog.lookup(PDFName.of('OutputIntents'), PDFArray);
    assert.equal(intents.size(), 1);
    assert.ok(loaded.context.trailerInfo.ID, 'document ID');
  });
});

describe('searchable PDF from a PDF', () => {
  it('adds the layer to OCRed pages only; other pages keep their content byte for byte', async () => {
    const source = path.join(pdfs, 'mixed', 'multipage.pdf');
    // Page 1 "OCRed" (synthetic words where its text would be), the other pages kept.
    const pages: OcrPage[] = [];
    for (let i = 0; i < 6; i++) pages.push(await pdfPageText(source, i, { dpi: 300, maxPixels: 1e8 }));
    const first = pages[0]!;
    pages[0] = {
      ...first,
      pdf: { ...first.pdf!, ocr: true },
      blocks: [{ box: box(100, 100, 800, 60) }],
      lines: [{ id: 'l1', text: 'Searchable layer', confidence: 0.9, block: 0, box: box(100, 100, 800, 60), words: [{ id: 'w1', text: 'Searchable', confidence: 0.9, box: box(100, 100, 500, 60) }, { id: 'w2', text: 'layer', confidence: 0.9, box: box(650, 100, 250, 60) }] }],
    };
    const doc: OcrDocument = { ...sampleDocument, source: { path: source, name: 'multipage.pdf' }, pages };
    const out = path.join(dir, 'multipage.pdf');
    await writeFile(out, await writeSearchablePdf(doc, { source }));

    const before = await pageContents(source);
    const afterContents = await pageContents(out);
    for (let i = 1; i < 6; i++) assert.ok(before[i]!.equals(afterContents[i]!), `page ${i + 1} content unchanged`);
    assert.ok(afterContents[0]!.includes(before[0]!), 'page 1 keeps its original stream bytes');

    const size = (await stat(out)).size;
    const original = (await stat(source)).size;
    assert.ok(size <= original * 1.1 + 20_000 * 6, `${size} bytes from ${original}`);

    assert.match(await pdftotext(out, 1), /Searchable\s+layer/);
    const [words] = await pdftotextWords(out);
    assert.deepEqual(boxMatchRate(words!.words, ocrWordBoxes(pages[0], words!.width)), { matched: 2, total: 2 });
    assert.equal((await comparePages(source, 1, out, 1, 50)).differing, 0);
  });

  it('redo replaces an earlier invisible OCR layer', async () => {
    const source = path.join(pdfs, 'mixed', 'graph_ocred.pdf');
    assert.match(await pdftotext(source, 1), /400/);
    const page = await pdfPageText(source, 0, { dpi: 300, maxPixels: 1e8 });
    const doc: OcrDocument = {
      ...sampleDocument,
      source: { path: source, name: 'graph_ocred.pdf' },
      pages: [{ ...page, pdf: { ...page.pdf!, ocr: true }, blocks: [{ box: box(50, 50, 400, 50) }], lines: [{ id: 'l1', text: 'fresh', confidence: 1, block: 0, box: box(50, 50, 400, 50), words: [{ id: 'w1', text: 'fresh', confidence: 1, box: box(50, 50, 400, 50) }] }] }],
    };
    const out = path.join(dir, 'redo.pdf');
    await writeFile(out, await writeSearchablePdf(doc, { source, replaceOcrLayer: true }));
    assert.equal((await pdftotext(out, 1)).trim(), 'fresh');
    assert.equal((await comparePages(source, 1, out, 1, 50)).differing, 0);
  });

  it('strips only text objects drawn invisibly, keeping the render mode that follows', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    const dec = (b: Uint8Array | undefined) => (b ? new TextDecoder().decode(b) : undefined);
    assert.equal(dec(stripInvisibleText(enc('q BT /F1 9 Tf 3 Tr (old \\) BT) Tj ET Q BT 0 Tr (kept) Tj ET'))), 'q 3 Tr Q BT 0 Tr (kept) Tj ET');
    assert.equal(stripInvisibleText(enc('BT (visible) Tj ET BI /W 1 /H 1 ID \x00BT\x01 EI')), undefined);
    assert.equal(dec(stripInvisibleText(enc('3 Tr BT [(a) 5 (b)] TJ ET'))), '3 Tr ');
  });

  it('refuses an encrypted source with a clear error', { skip: !hasQpdf && 'qpdf is not installed' }, async () => {
    const source = path.join(dir, 'locked.pdf');
    await run('qpdf', ['--encrypt', 'user', 'owner', '256', '--', path.join(pdfs, 'scanned', 'c02-22.pdf'), source]);
    const doc: OcrDocument = { ...sampleDocument, source: { path: source, name: 'locked.pdf' }, pages: [] };
    await assert.rejects(writeSearchablePdf(doc, { source }), (e: unknown) => e instanceof PdfOutputError && /is encrypted/.test(e.message));
  });
});
