/**
 * PDF input in the worker, without the models: probing what text each page has (and so what skip/force/redo do
 * on the real mixed PDFs), rendering at a DPI capped by the pixel limit, every edge-case PDF, encrypted PDFs.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { CorruptPdfError, ImageTooLargeError, PdfPasswordError } from '../app/common/errors.ts';
import { pdfPageNeedsOcr } from '../app/main/pipeline/pdf-pages.ts';
import { PDF_MODES } from '../app/common/job-settings.ts';
import { closeCached, pdfPageText, probePdf, renderDpi, renderPdfPage } from '../app/worker/pdf.ts';
import { DownscalingCanvasFactory } from '../app/worker/pdf-canvas.ts';
import { hasQpdf, sharedPdfs, tempDir } from './helpers.ts';

const run = promisify(execFile);
const pdfs = sharedPdfs;
const edge = (name: string) => path.join(pdfs, 'edge', name);

after(closeCached);

describe('PDF probe and modes', () => {
  it('multipage.pdf: only page 4 has text (an invisible OCR layer)', async () => {
    const probe = await probePdf(path.join(pdfs, 'mixed', 'multipage.pdf'), undefined);
    assert.equal(probe.pages, 6);
    const texts = probe.pdf.pages.map((p) => p.text);
    assert.deepEqual(texts, ['none', 'none', 'none', 'ocr-layer', 'none', 'none']);
    const ocred = (mode: (typeof PDF_MODES)[number]) => texts.map((t, i) => (pdfPageNeedsOcr(mode, t) ? i + 1 : 0)).filter((i) => i > 0);
    assert.deepEqual(ocred('skip'), [1, 2, 3, 5, 6]);
    assert.deepEqual(ocred('force'), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(ocred('redo'), [1, 2, 3, 4, 5, 6]);
  });

  it('graph_ocred.pdf carries an OCR layer, cmyk.pdf an unusable one; born-digital pages have visible text', async () => {
    // cmyk.pdf's invisible layer extracts as byte-swapped garbage (see pdf-text-layer.test.ts).
    for (const [name, kind] of [['graph_ocred.pdf', 'ocr-layer'], ['cmyk.pdf', 'unusable']]) {
      assert.deepEqual((await probePdf(path.join(pdfs, 'mixed', name!), undefined)).pdf.pages.map((p) => p.text), [kind], name);
    }
    const digital = await probePdf(path.join(pdfs, 'digital', 'ocrmypdf_tagged.pdf'), undefined);
    assert.deepEqual(digital.pdf.pages.map((p) => p.text), ['visible', 'visible']);
    // redo leaves visible text alone; skip keeps the old OCR layer; force OCRs everything.
    assert.deepEqual(PDF_MODES.map((m) => pdfPageNeedsOcr(m, 'visible')), [false, true, false]);
    assert.deepEqual(PDF_MODES.map((m) => pdfPageNeedsOcr(m, 'ocr-layer')), [false, true, true]);
    assert.deepEqual(PDF_MODES.map((m) => pdfPageNeedsOcr(m, 'none')), [true, true, true]);
  });

  it('kept pages give their own text in raster coordinates', async () => {
    const page = await pdfPageText(path.join(pdfs, 'digital', 'inv_oyo.pdf'), 0, { dpi: 150, maxPixels: 1e8 });
    assert.equal(page.pdf?.ocr, false);
    assert.equal(page.dpi, 150);
    assert.equal(page.width, Math.round((595 * 150) / 72));
    assert.match(page.lines.map((l) => l.text).join('\n'), /PAYMENT RECEIPT/);
    for (const line of page.lines) for (const [x, y] of line.box) assert.ok(x >= -1 && y >= -1 && x <= page.width + 1 && y <= page.height + 1);
  });
});

describe('PDF rendering', () => {
  it('renders at the asked DPI, lowered to fit the pixel limit', async () => {
    assert.equal(renderDpi(612, 792, 300, 1e8), 300);
    assert.ok(renderDpi(8400, 8400, 300, 1e8) < 86); // hugemono's page: 35000 px a side at 300 dpi
    const page = await renderPdfPage(path.join(pdfs, 'scanned', 'c02-22.pdf'), 0, { dpi: 100, maxPixels: 1e8 });
    assert.deepEqual([page.image.width, page.image.height, page.dpi], [533, 654, 100]);
    // 1600×1962 at 300 dpi; its embedded 800×981 scan is within the limit.
    const capped = await renderPdfPage(path.join(pdfs, 'scanned', 'c02-22.pdf'), 0, { dpi: 300, maxPixels: 1_000_000 });
    assert.ok(capped.image.width * capped.image.height <= 1_000_000 && capped.dpi < 300, `${capped.image.width}×${capped.image.height}`);
    // The transform maps the raster's corners onto the page (points, y up).
    const [a, b, c, d, e, f] = page.placement.transform;
    assert.deepEqual([a * 0 + c * 0 + e, b * 0 + d * 0 + f].map(Math.round), [0, 471]);
    assert.deepEqual([a * 533 + c * 654 + e, b * 533 + d * 654 + f].map(Math.round), [384, 0]);
  });
});

describe('the canvas factory for huge images', () => {
  it('makes a scratch canvas over the limit smaller and averages the rows put into it', () => {
    const factory = new DownscalingCanvasFactory();
    const size = 8100; // 65.6 M pixels: over the 64 M limit, so halved
    const { canvas, context } = factory.create(size, size);
    assert.deepEqual([canvas!.width, canvas!.height], [size / 2, size / 2]);
    const chunk = context!.createImageData(size, 16);
    for (let y = 0; y < size; y += 16) {
      const rows = Math.min(16, size - y);
      for (let i = 0; i < size * rows * 4; i += 4) chunk.data.fill((i / 4) % size < size / 2 ? 0 : 255, i, i + 3).fill(255, i + 3, i + 4);
      const put = context as unknown as { putImageData(image: unknown, x: number, y: number): void };
      put.putImageData(rows === 16 ? chunk : { width: size, height: rows, data: chunk.data.subarray(0, size * rows * 4) }, 0, y);
    }
    const small = canvas!.getContext('2d').getImageData(0, 0, size / 2, size / 2).data;
    const at = (x: number, y: number) => [...small.subarray((y * (size / 2) + x) * 4, (y * (size / 2) + x) * 4 + 4)];
    assert.deepEqual([at(0, 0), at(size / 2 - 1, 0), at(0, size / 2 - 1), at(size / 2 - 1, size / 2 - 1)], [[0, 0, 0, 255], [255, 255, 255, 255], [0, 0, 0, 255], [255, 255, 255, 255]]);
    factory.destroy({ canvas, context });
  });
});

describe('edge-case PDFs', () => {
  it('invalid.pdf: a damaged-PDF error', async () => {
    await assert.rejects(probePdf(edge('invalid.pdf'), undefined), (e: unknown) => e instanceof CorruptPdfError && /no valid PDF structure/.test(e.message));
  });

  it('hugemono.pdf: probed; its 35000×35000 1-bit image is refused before decoding under a low limit', async () => {
    const probe = await probePdf(edge('hugemono.pdf'), undefined);
    assert.deepEqual([probe.pages, probe.pdf.pages[0]!.text], [1, 'none']);
    // 153 MB of bits: over a 10-megapixel limit (30 MB), within the default (rendered in searchable-pdf.test.ts).
    await assert.rejects(renderPdfPage(edge('hugemono.pdf'), 0, { maxPixels: 1e7 }), (e: unknown) => e instanceof ImageTooLargeError && /35000×35000/.test(e.message));
  });

  it('enormous.pdf: its 9000×9000 RGB image (243 MB decoded) is refused under a lower limit', async () => {
    await assert.rejects(renderPdfPage(edge('enormous.pdf'), 0, { maxPixels: 5e7 }), ImageTooLargeError);
  });

  for (const name of ['no_contents.pdf', 'jbig2_baddevicen.pdf', 'truetype_font_nomapping.pdf', 'type3_font_nomapping.pdf', 'garbled-textlayer_issue-192-example.pdf']) {
    it(`${name}: probes and renders`, async () => {
      const probe = await probePdf(edge(name), undefined);
      assert.equal(probe.pages, 1);
      const page = await renderPdfPage(edge(name), 0, { dpi: 36, maxPixels: 1e8 });
      assert.ok(page.image.width > 0 && page.image.data.length === page.image.width * page.image.height * 3);
    });
  }

  it('no_contents.pdf renders blank', async () => {
    const page = await renderPdfPage(edge('no_contents.pdf'), 0, { dpi: 36, maxPixels: 1e8 });
    assert.ok(page.image.data.every((v) => v === 255));
  });
});

describe('encrypted PDFs', { skip: !hasQpdf && 'qpdf is not installed (it makes the encrypted PDF)' }, () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let locked: string;
  before(async () => {
    ({ dir, cleanup } = await tempDir('pdf-enc'));
    locked = path.join(dir, 'locked.pdf');
    await run('qpdf', ['--encrypt', 'open-sesame', 'owner', '256', '--', path.join(pdfs, 'scanned', 'c02-22.pdf'), locked]);
  });
  after(async () => cleanup());

  it('needs a password, names a wrong one, and opens with the right one', async () => {
    await assert.rejects(probePdf(locked, undefined), (e: unknown) => e instanceof PdfPasswordError && /needs a password/.test(e.message));
    await assert.rejects(probePdf(locked, 'wrong'), (e: unknown) => e instanceof PdfPasswordError && /does not open it/.test(e.message));
    const probe = await probePdf(locked, 'open-sesame');
    assert.equal(probe.pages, 1);
    const page = await renderPdfPage(locked, 0, { dpi: 50, maxPixels: 1e8, password: 'open-sesame' });
    assert.ok(page.image.width > 0);
  });
});
