/**
 * How a PDF input is turned into pages and back into a searchable PDF, shared by the batch CLI and the durable
 * queue (hot folders) so both make the same per-page decisions:
 * - which pages are OCRed: the probe says what text each page already holds, the PDF mode decides
 *   ({@link pdfPageNeedsOcr}); kept pages are not rendered, the worker returns their own text instead;
 * - the searchable PDF: the source's objects copied, a text layer on the OCRed pages only (`redo` strips an earlier
 *   OCR layer from them first).
 */
import type { OcrDocument } from '../common/result.ts';
import type { PageOptions, PdfPageText, ProbeResult } from '../common/worker-protocol.ts';
import type { PdfMode } from './cli/options.ts';

/** The PDF mode when none is given: pages that already have text keep it. */
export const DEFAULT_PDF_MODE: PdfMode = 'skip';
/** Rendering resolution when none is given. */
export const DEFAULT_PDF_DPI = 300;

export interface PdfPageSettings {
  readonly mode: PdfMode;
  readonly dpi: number;
  readonly password?: string | undefined;
}

/**
 * Whether a PDF page is OCRed: `skip` only pages without text (or with unusable text, which counts as none), `redo`
 * also pages with only an invisible OCR layer, `force` every page.
 */
export function pdfPageNeedsOcr(mode: PdfMode, text: PdfPageText): boolean {
  return mode === 'force' || text === 'none' || text === 'unusable' || (mode === 'redo' && text === 'ocr-layer');
}

/** The options of page `i` of a file: for a PDF (the probe has per-page info), whether to OCR it and how to render it. */
export function pageOptionsFor(probe: ProbeResult | undefined, i: number, base: PageOptions, pdf: PdfPageSettings | undefined): PageOptions {
  const info = probe?.pdf?.pages[i];
  if (!info) return base;
  const s = pdf ?? { mode: DEFAULT_PDF_MODE, dpi: DEFAULT_PDF_DPI };
  const password = s.password === undefined ? {} : { password: s.password };
  const problem = info.textProblem === undefined ? {} : { textProblem: info.textProblem };
  return { ...base, pdf: { dpi: s.dpi, ocr: pdfPageNeedsOcr(s.mode, info.text), text: info.text, ...problem, ...password } };
}

export interface SearchablePdfSettings {
  readonly mode: PdfMode;
  readonly pdfa?: boolean | undefined;
  /** Fixed creation date (PDF/A metadata), for output that is the same bytes every time. @default now */
  readonly date?: Date | undefined;
}

/** The searchable PDF of a recognised document, built from its source file (image or PDF). */
export async function searchablePdf(doc: OcrDocument, source: string, s: SearchablePdfSettings): Promise<Uint8Array> {
  const date = s.date === undefined ? {} : { date: s.date };
  // Loaded on first use: pdf-lib and sharp add ~0.15 s to the start of every run that writes no PDF.
  const { writeSearchablePdf } = await import('../node/pdf/searchable-pdf.ts');
  return writeSearchablePdf(doc, { source, pdfa: s.pdfa ?? false, replaceOcrLayer: s.mode === 'redo', ...date });
}
