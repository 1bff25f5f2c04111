/**
 * The one result model (after doctr): document → page → block → line → word, with geometry and confidences.
 * Every exporter, the result editor and the scorer read this shape. It is also the versioned JSON export.
 *
 * Geometry: a {@link Quad} is four [x, y] points in pixels of the page image after EXIF orientation, clockwise
 * from the text's own top-left corner (so a line on a page scanned upside down starts at the image's bottom-right).
 */
import { z } from 'zod';

export const RESULT_VERSION = 1;

export type Point = readonly [x: number, y: number];
export type Quad = readonly [Point, Point, Point, Point];

export interface OcrWord {
  readonly text: string;
  /** Mean character probability, 0..1. */
  readonly confidence: number;
  readonly box: Quad;
}

export interface OcrLine {
  readonly text: string;
  readonly confidence: number;
  readonly box: Quad;
  readonly words: readonly OcrWord[];
  /** Index into {@link OcrPage.blocks}. */
  readonly block: number;
}

/** A column or paragraph: lines that read together. */
export interface OcrBlock {
  readonly box: Quad;
}

export type PageOrientation = 0 | 90 | 180 | 270;

export interface StageTimings {
  readonly decodeMs: number;
  readonly detectMs: number;
  readonly classifyMs: number;
  readonly recogniseMs: number;
  readonly layoutMs: number;
}

export interface OcrPage {
  /** 0-based page index within the source file. */
  readonly index: number;
  readonly width: number;
  readonly height: number;
  /** Clockwise rotation the page content had; 0 when upright. */
  readonly orientation: PageOrientation;
  /** Lines in reading order. */
  readonly lines: readonly OcrLine[];
  readonly blocks: readonly OcrBlock[];
  readonly timings?: StageTimings;
  /** Resolution of the page raster (from the image's metadata, or the PDF rendering resolution), when known. */
  readonly dpi?: number;
  /** For pages of PDF inputs: where the raster lies on the PDF page. */
  readonly pdf?: PdfPagePlacement;
  /**
   * Set when the chosen languages read the page far worse than another installed language would: which languages
   * to read it with instead, and why. A Chinese page read with `-l en` comes out as a few stray lines otherwise.
   */
  readonly languageHint?: LanguageHint;
}

export interface LanguageHint {
  /** Language codes (en, zh) to read the page with. */
  readonly suggested: readonly string[];
  readonly reason: string;
}

/**
 * What text a PDF page holds of its own: none, only an invisible layer (text render mode 3 or 7, what OCR tools
 * write), visible text, or text that is unusable (it extracts as garbage: unmapped glyphs, a broken Unicode
 * mapping), which counts as none.
 */
export type PdfPageText = 'none' | 'ocr-layer' | 'visible' | 'unusable';
export const PDF_PAGE_TEXTS = ['none', 'ocr-layer', 'visible', 'unusable'] as const satisfies readonly PdfPageText[];

/** Ties a PDF page's raster (the page's coordinate system above) to the PDF page it came from. */
export interface PdfPagePlacement {
  /** Affine map [a b c d e f] from raster pixels to PDF user space (x' = a·x + c·y + e, y' = b·x + d·y + f). */
  readonly transform: readonly [number, number, number, number, number, number];
  /** false when the page was not OCRed (it already had text) and its lines are the PDF's own text. */
  readonly ocr: boolean;
  /**
   * OCRed pages: the text the page held before, as the probe found it. The searchable PDF removes it, so the page
   * has one text layer, the OCR's. Absent in results made before it was recorded.
   */
  readonly text?: PdfPageText;
  /** Why the page's own text was unusable (`text` is 'unusable'), so the page was OCRed instead. */
  readonly textProblem?: string;
}

export interface OcrSource {
  /** Path as given to OCR Desk. */
  readonly path: string;
  readonly name: string;
  readonly sha256?: string;
  readonly bytes?: number;
}

export interface OcrDocument {
  readonly version: typeof RESULT_VERSION;
  readonly source: OcrSource;
  readonly engine: { readonly models: string; readonly createdAt: string };
  readonly pages: readonly OcrPage[];
}

const point = z.tuple([z.number().finite(), z.number().finite()]);
export const quadSchema = z.tuple([point, point, point, point]);
const timingsSchema = z.object({
  decodeMs: z.number(),
  detectMs: z.number(),
  classifyMs: z.number(),
  recogniseMs: z.number(),
  layoutMs: z.number(),
});
export const wordSchema = z.object({ text: z.string(), confidence: z.number().min(0).max(1), box: quadSchema });
export const lineSchema = z.object({
  text: z.string(),
  confidence: z.number().min(0).max(1),
  box: quadSchema,
  words: z.array(wordSchema).readonly(),
  block: z.number().int().min(0),
});
export const pageSchema = z.object({
  index: z.number().int().min(0),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  orientation: z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]),
  lines: z.array(lineSchema).readonly(),
  blocks: z.array(z.object({ box: quadSchema })).readonly(),
  timings: timingsSchema.optional(),
  dpi: z.number().positive().optional(),
  languageHint: z.object({ suggested: z.array(z.string()).readonly(), reason: z.string() }).optional(),
  pdf: z
    .object({
      transform: z.tuple([z.number(), z.number(), z.number(), z.number(), z.number(), z.number()]),
      ocr: z.boolean(),
      text: z.enum(PDF_PAGE_TEXTS).optional(),
      textProblem: z.string().optional(),
    })
    .optional(),
});
export const documentSchema = z.object({
  version: z.literal(RESULT_VERSION),
  source: z.object({ path: z.string(), name: z.string(), sha256: z.string().optional(), bytes: z.number().optional() }),
  engine: z.object({ models: z.string(), createdAt: z.string() }),
  pages: z.array(pageSchema).readonly(),
});

/** Axis-aligned bounds of a quad: [x1, y1, x2, y2]. */
export function quadBounds(q: Quad): [number, number, number, number] {
  const xs = q.map((p) => p[0]);
  const ys = q.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/** Plain text of a page in reading order: lines joined by newlines, blocks separated by a blank line. */
export function pageText(page: OcrPage): string {
  const out: string[] = [];
  let block = -1;
  for (const line of page.lines) {
    if (block !== -1 && line.block !== block) out.push('');
    block = line.block;
    out.push(line.text);
  }
  return out.join('\n');
}

/** Plain text of a document: pages separated by a form feed, as pdftotext does. */
export function documentText(doc: OcrDocument): string {
  return doc.pages.map(pageText).join('\n\f') + '\n';
}
