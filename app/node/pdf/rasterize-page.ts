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
 * The page is rendered by an OCR worker (a bad PDF can only take down a worker), exactly as OCR saw it, and arrives
 * here as JPEG bytes with the transform that places its pixels on the PDF page.
 */
import { PDFName, type PDFContext, type PDFDocument, type PDFPage, type PDFRef } from 'pdf-lib';
import type { OcrPage } from '../../common/result.ts';
import { PdfOutputError } from '../../common/errors.ts';

/** A page rendered as OCR saw it: JPEG bytes, their size, and raster pixels → PDF user space. */
export interface RenderedPdfPage {
  readonly jpeg: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly transform: readonly [number, number, number, number, number, number];
}

/** Renders a page of the source for {@link rasterizePage} (the service asks a worker). */
export type PageRenderer = (page: OcrPage) => Promise<RenderedPdfPage>;

/** Makes `target`'s content an image of the page (rendered by `render`), drawn where the page showed it. */
export async function rasterizePage(out: PDFDocument, target: PDFPage, source: string, page: OcrPage, render: PageRenderer | undefined): Promise<void> {
  if (!render) throw new PdfOutputError(`Page ${page.index + 1} of ${source} must be rendered again to replace its own text, and no renderer was given.`);
  let rendered: RenderedPdfPage;
  try {
    rendered = await render(page);
  } catch (error) {
    throw new PdfOutputError(`Page ${page.index + 1} of ${source} could not be rendered again to replace its text (${(error as Error).message}).`);
  }
  const { jpeg, width, height } = rendered;
  const image = await out.embedJpg(jpeg);
  const context: PDFContext = out.context;
  // embedJpg writes the image object when the document is saved; its reference is known now.
  const name = target.node.newXObject('OcrDeskPage', image.ref as PDFRef);
  // Image space (the unit square, first row at the top) → raster pixels → user space.
  const t = rendered.transform.map((v) => +v.toFixed(6)).join(' ');
  const ops = `q\n${t} cm\n${width} 0 0 ${-height} 0 ${height} cm\n${name.asString()} Do\nQ\n`;
  // An array, as pdf-lib keeps Contents once a page is normalised: the text layer is appended to it.
  target.node.set(PDFName.of('Contents'), context.obj([context.register(context.flateStream(ops))]));
}
