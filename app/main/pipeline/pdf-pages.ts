/**
 * How a PDF input is turned into pages and back into a searchable PDF, the same for every job (batch, hot folder,
 * upload):
 * - which pages are OCRed: the probe says what text each page already holds, the PDF mode decides
 *   ({@link pdfPageNeedsOcr}); kept pages are not rendered, the worker returns their own text instead;
 * - the searchable PDF: the source's objects copied, a text layer on the OCRed pages only (`redo` strips an earlier
 *   OCR layer from them first).
 */
import type { JobSettings, PdfMode } from '../../common/job-settings.ts';
import type { OcrDocument } from '../../common/result.ts';
import type { PageOptions, PdfPageText, ProbeResult } from '../../common/worker-protocol.ts';
import type { PageRenderer } from '../../node/pdf/rasterize-page.ts';
import type { PageRecogniser } from '../pool/worker-pool.ts';

/**
 * Whether a PDF page is OCRed: `skip` only pages without text (or with unusable text, which counts as none), `redo`
 * also pages with only an invisible OCR layer, `force` every page.
 */
export function pdfPageNeedsOcr(mode: PdfMode, text: PdfPageText): boolean {
  return mode === 'force' || text === 'none' || text === 'unusable' || (mode === 'redo' && text === 'ocr-layer');
}

/** What the worker is told for every page of a job's documents. */
export function basePageOptions(s: JobSettings): PageOptions {
  return { autoRotate: s.autoRotate, languages: s.languages, maxPixels: s.maxPixels };
}

/** The options of page `i` of a file: for a PDF (the probe has per-page info), whether to OCR it and how to render it. */
export function pageOptionsFor(probe: ProbeResult | undefined, i: number, s: JobSettings): PageOptions {
  const base = basePageOptions(s);
  const info = probe?.pdf?.pages[i];
  if (!info) return base;
  const password = s.password === undefined ? {} : { password: s.password };
  const problem = info.textProblem === undefined ? {} : { textProblem: info.textProblem };
  return { ...base, pdf: { dpi: s.pdfDpi, ocr: pdfPageNeedsOcr(s.pdfMode, info.text), text: info.text, ...problem, ...password } };
}

export interface SearchablePdfSettings {
  readonly mode: PdfMode;
  readonly pdfa?: boolean | undefined;
  /** Fixed creation date (PDF/A metadata), for output that is the same bytes every time. @default now */
  readonly date?: Date | undefined;
  /** Renders a page as OCR saw it, for pages whose own text is replaced by their image (see rasterize-page.ts). */
  readonly renderPage?: PageRenderer | undefined;
}

/** The searchable PDF of a recognised document, built from its source file (image or PDF). */
export async function searchablePdf(doc: OcrDocument, source: string, s: SearchablePdfSettings): Promise<Uint8Array> {
  const date = s.date === undefined ? {} : { date: s.date };
  const render = s.renderPage === undefined ? {} : { renderPage: s.renderPage };
  // Loaded on first use: pdf-lib and sharp add ~0.15 s to the start of every run that writes no PDF.
  const { writeSearchablePdf } = await import('../../node/pdf/searchable-pdf.ts');
  return writeSearchablePdf(doc, { source, pdfa: s.pdfa ?? false, replaceOcrLayer: s.mode === 'redo', ...date, ...render });
}

/** A page renderer for the searchable PDF that asks the worker pool (the page as OCR saw it, full size). */
export function poolPageRenderer(recogniser: Pick<PageRecogniser, 'renderPage'>, source: string, password: string | undefined): PageRenderer {
  return async (page) => {
    const image = await recogniser.renderPage(source, page.index, {
      purpose: 'pdf-page',
      maxSide: 16384,
      dpi: page.dpi,
      // The page was rendered within the job's pixel limit at this resolution already.
      maxPixels: Number.MAX_SAFE_INTEGER,
      ...(password === undefined ? {} : { password }),
    });
    if (!image.transform) throw new Error(`page ${page.index + 1} of ${source} is not a PDF page`);
    return { jpeg: image.data.slice(), width: image.width, height: image.height, transform: image.transform };
  };
}
