/**
 * A PDF page's content replaced by an image of itself, for pages whose own text must go (`--pdf-mode force` on a
 * page with visible text, and pages that show text which extracts as garbage): what OCRmyPDF's --force-ocr does.
 *
 * Why an image: a page's text cannot be made unextractable while its glyphs stay drawn. Render mode 3 hides the
 * glyphs but leaves the text extractable; removing the text-showing operators removes the glyphs from the page
 * too; keeping the glyphs while breaking their Unicode mapping (no ToUnicode) still leaves text that extractors
 * turn into garbage. So the page is rendered exactly as OCR saw it (same renderer, same resolution), that image
 * becomes the page's only content, and the OCR text layer goes over it: one text layer, the same appearance.
 * The trade-off: vector graphics and text on such pages become pixels at the OCR resolution (300 dpi by default):
 * zooming far in shows pixels, and the file grows by about one JPEG per page.
 *
 * The page is rendered with the worker's renderer in this (the main) process. Rendering trusts the source less
 * than pdf-lib's copy does, but the worker has already rendered this very page without failing.
 */
import { PDFName, type PDFContext, type PDFDocument, type PDFPage, type PDFRef } from 'pdf-lib';
import sharp from 'sharp';
import type { OcrPage } from '../../common/result.ts';
import { PdfOutputError } from '../../common/errors.ts';

/**
 * JPEG quality of the page image. 90 with full-resolution colour keeps edges of small and coloured text clean at
 * 300 dpi; lossless PNG of a rendered page is several times larger.
 */
export const PAGE_IMAGE_QUALITY = 90;

/** Renders queued one at a time: see {@link render}. */
let renderQueue: Promise<unknown> = Promise.resolve();

/**
 * Renders one page as OCR saw it. The worker's renderer keeps one document open in a module-level slot, and the
 * main process may be writing several searchable PDFs at once: each render therefore waits for the previous one
 * and closes its document when done, so one file's render never cancels another's.
 */
function render(source: string, page: OcrPage) {
  const next = renderQueue.then(async () => {
    const { closeCached, renderPdfPage } = await import('../../worker/pdf.ts');
    try {
      // The OCR raster's resolution, and no pixel limit: the worker already rendered this page within it.
      return await renderPdfPage(source, page.index, { dpi: page.dpi, maxPixels: Number.MAX_SAFE_INTEGER });
    } finally {
      await closeCached();
    }
  });
  renderQueue = next.catch(() => undefined);
  return next;
}

/** Makes `target`'s content an image of the page (rendered from `source`), drawn where the page showed it. */
export async function rasterizePage(out: PDFDocument, target: PDFPage, source: string, page: OcrPage): Promise<void> {
  let rendered;
  try {
    rendered = await render(source, page);
  } catch (error) {
    throw new PdfOutputError(`Page ${page.index + 1} of ${source} could not be rendered again to replace its text (${(error as Error).message}).`);
  }
  const { data, width, height } = rendered.image;
  const jpeg = await sharp(data, { raw: { width, height, channels: 3 } }).jpeg({ quality: PAGE_IMAGE_QUALITY, chromaSubsampling: '4:4:4' }).toBuffer();
  const image = await out.embedJpg(jpeg);
  const context: PDFContext = out.context;
  // embedJpg writes the image object when the document is saved; its reference is known now.
  const name = target.node.newXObject('OcrDeskPage', image.ref as PDFRef);
  // Image space (the unit square, first row at the top) → raster pixels → user space.
  const t = rendered.placement.transform.map((v) => +v.toFixed(6)).join(' ');
  const ops = `q\n${t} cm\n${width} 0 0 ${-height} 0 ${height} cm\n${name.asString()} Do\nQ\n`;
  // An array, as pdf-lib keeps Contents once a page is normalised: the text layer is appended to it.
  target.node.set(PDFName.of('Contents'), context.obj([context.register(context.flateStream(ops))]));
}
