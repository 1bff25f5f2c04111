/**
 * The one result model (after doctr): document → page → block → line → word, with geometry, confidences and ids.
 * Every exporter, the store, the service API, the result editor and the scorer read this shape; it is also the
 * versioned JSON export. The zod schemas are the definition: the types are derived from them, and stored JSON is
 * parsed with them when read back ({@link parseDocument}, {@link parsePage}).
 *
 * Geometry: a {@link Quad} is four [x, y] points in pixels of the page image after EXIF orientation, clockwise
 * from the text's own top-left corner (so a line on a page scanned upside down starts at the image's bottom-right).
 *
 * Ids: every line (`l1`, `l2`, …) and word (`w1`, `w2`, …) has an id unique within its page, given in reading order
 * when the page is recognised and never reused on that page, so the editor can address a word across edits (lines
 * and words an edit adds take the next numbers; `lastIds` remembers the highest given).
 *
 * Version 2 added the ids and dropped per-run stage timings (they describe one run on one machine, not the document;
 * they travel beside the page in the worker protocol). Version 1 JSON is upgraded when read.
 */
import { z } from 'zod';
import { ResultShapeError } from './errors.ts';

export const RESULT_VERSION = 2;

const coordinate = z.number().finite();
export const pointSchema = z.tuple([coordinate, coordinate]).readonly();
export const quadSchema = z.tuple([pointSchema, pointSchema, pointSchema, pointSchema]).readonly();
const confidence = z.number().min(0).max(1);
const idSchema = z.string().regex(/^[a-z][0-9]+$/, 'an id such as l3 or w12');

export const wordSchema = z
  .object({
    id: idSchema,
    text: z.string(),
    /** Mean character probability, 0..1. */
    confidence,
    box: quadSchema,
  })
  .readonly();

export const lineSchema = z
  .object({
    id: idSchema,
    text: z.string(),
    confidence,
    box: quadSchema,
    words: z.array(wordSchema).readonly(),
    /** Index into the page's blocks. */
    block: z.number().int().min(0),
  })
  .readonly();

/** A column or paragraph: lines that read together. */
export const blockSchema = z.object({ box: quadSchema }).readonly();

export const PAGE_ORIENTATIONS = [0, 90, 180, 270] as const;
export const orientationSchema = z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]);

/**
 * What text a PDF page holds of its own: none, only an invisible layer (text render mode 3 or 7, what OCR tools
 * write), visible text, or text that is unusable (it extracts as garbage: unmapped glyphs, a broken Unicode
 * mapping), which counts as none.
 */
export const PDF_PAGE_TEXTS = ['none', 'ocr-layer', 'visible', 'unusable'] as const;
export const pdfPageTextSchema = z.enum(PDF_PAGE_TEXTS);
export type PdfPageText = z.infer<typeof pdfPageTextSchema>;

/** Ties a PDF page's raster (the page's coordinate system) to the PDF page it came from. */
export const pdfPlacementSchema = z
  .object({
    /** Affine map [a b c d e f] from raster pixels to PDF user space (x' = a·x + c·y + e, y' = b·x + d·y + f). */
    transform: z.tuple([coordinate, coordinate, coordinate, coordinate, coordinate, coordinate]).readonly(),
    /** false when the page was not OCRed (it already had text) and its lines are the PDF's own text. */
    ocr: z.boolean(),
    /**
     * OCRed pages: the text the page held before, as the probe found it. The searchable PDF removes it, so the page
     * has one text layer, the OCR's. Absent in results made before it was recorded.
     */
    text: pdfPageTextSchema.optional(),
    /** Why the page's own text was unusable (`text` is 'unusable'), so the page was OCRed instead. */
    textProblem: z.string().optional(),
  })
  .readonly();

/**
 * Set when the chosen languages read the page far worse than another installed language would: which languages
 * to read it with instead, and why. A Chinese page read with `-l en` comes out as a few stray lines otherwise.
 */
export const languageHintSchema = z.object({ suggested: z.array(z.string()).readonly(), reason: z.string() }).readonly();

export const pageSchema = z
  .object({
    /** 0-based page index within the source file. */
    index: z.number().int().min(0),
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    /** The clockwise rotation that turns the page image upright (a page scanned turned 90° clockwise has 270); 0 when upright. */
    orientation: orientationSchema,
    /** Lines in reading order. */
    lines: z.array(lineSchema).readonly(),
    blocks: z.array(blockSchema).readonly(),
    /** Resolution of the page raster (from the image's metadata, or the PDF rendering resolution), when known. */
    dpi: z.number().positive().optional(),
    /** For pages of PDF inputs: where the raster lies on the PDF page. */
    pdf: pdfPlacementSchema.optional(),
    /** Another installed language would read this page far better (see languageHintSchema). */
    languageHint: languageHintSchema.optional(),
    /**
     * The highest line and word numbers given on this page so far, set once it is edited (app/common/edits.ts), so
     * an id whose line or word was deleted is never given again. Absent: the highest ids the page holds.
     */
    lastIds: z.object({ line: z.number().int().min(0), word: z.number().int().min(0) }).readonly().optional(),
  })
  .readonly();

export const sourceSchema = z
  .object({
    /** Path as given to OCR Desk. */
    path: z.string(),
    name: z.string(),
    sha256: z.string().optional(),
    bytes: z.number().int().min(0).optional(),
  })
  .readonly();

export const documentSchema = z
  .object({
    version: z.literal(RESULT_VERSION),
    source: sourceSchema,
    engine: z.object({ models: z.string(), createdAt: z.string() }).readonly(),
    pages: z.array(pageSchema).readonly(),
  })
  .readonly();

export type Point = z.infer<typeof pointSchema>;
export type Quad = z.infer<typeof quadSchema>;
export type OcrWord = z.infer<typeof wordSchema>;
export type OcrLine = z.infer<typeof lineSchema>;
export type OcrBlock = z.infer<typeof blockSchema>;
export type PageOrientation = z.infer<typeof orientationSchema>;
export type PdfPagePlacement = z.infer<typeof pdfPlacementSchema>;
export type LanguageHint = z.infer<typeof languageHintSchema>;
export type OcrPage = z.infer<typeof pageSchema>;
export type OcrSource = z.infer<typeof sourceSchema>;
export type OcrDocument = z.infer<typeof documentSchema>;

/** A word as the engine (or a PDF's own text layer) produces it, before the page gives it an id. */
export type RecognisedWord = Omit<OcrWord, 'id'>;
/** A line as the engine produces it, before the page gives ids to it and its words. */
export type RecognisedLine = Omit<OcrLine, 'id' | 'words'> & { readonly words: readonly RecognisedWord[] };

/** Gives lines and words their ids, in reading order: `l1…`, `w1…`. */
export function assignIds(lines: readonly RecognisedLine[]): OcrLine[] {
  let w = 0;
  return lines.map((line, i) => ({ ...line, id: `l${i + 1}`, words: line.words.map((word) => ({ ...word, id: `w${++w}` })) }));
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unknown shape';
}

/** Upgrades a version-1 page in place of parsing: ids given, timings dropped. */
function upgradePage(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null) return raw;
  const { timings: _timings, ...page } = raw as { timings?: unknown; lines?: unknown };
  const lines = page.lines;
  if (!Array.isArray(lines) || lines.every((l) => typeof (l as { id?: unknown })?.id === 'string')) return page;
  return { ...page, lines: assignIds(lines as RecognisedLine[]) };
}

/** Parses a page (JSON text or a value), upgrading version-1 pages; throws {@link ResultShapeError}. */
export function parsePage(json: string | unknown): OcrPage {
  const raw = typeof json === 'string' ? JSON.parse(json) : json;
  const parsed = pageSchema.safeParse(upgradePage(raw));
  if (!parsed.success) throw new ResultShapeError(`A stored page does not fit the result model (${describeIssue(parsed.error)}).`);
  return parsed.data;
}

/** Parses a document (JSON text or a value), upgrading version 1; throws {@link ResultShapeError}. */
export function parseDocument(json: string | unknown): OcrDocument {
  const raw = typeof json === 'string' ? JSON.parse(json) : json;
  let value = raw;
  if (typeof raw === 'object' && raw !== null && (raw as { version?: unknown }).version === 1) {
    const v1 = raw as { pages?: unknown };
    value = { ...v1, version: RESULT_VERSION, pages: Array.isArray(v1.pages) ? v1.pages.map(upgradePage) : v1.pages };
  }
  const parsed = documentSchema.safeParse(value);
  if (!parsed.success) throw new ResultShapeError(`A stored result does not fit the result model (${describeIssue(parsed.error)}).`);
  return parsed.data;
}

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
