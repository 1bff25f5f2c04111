/**
 * PDF input, in the worker (a bad PDF can only take down a worker): pdf.js parses and renders, @napi-rs/canvas is
 * the canvas it renders into. Nothing is fetched: fonts, CMaps, the wasm decoders (JBIG2, JPEG 2000) and ICC data
 * come from the installed pdfjs-dist package.
 *
 * - {@link probePdf}: page count, page sizes, and per page whether it has text: none, only an invisible layer
 *   (text render mode 3 or 7, what OCR tools write), visible text, or text that is unusable (it extracts as
 *   garbage: pdf-text-check.ts). Images are not decoded for this.
 * - {@link renderPdfPage}: one page to an RGB raster at the asked DPI, lowered so the raster stays within
 *   `maxPixels`. An embedded image is scaled down as pdf.js draws it (pdf-canvas.ts), so a 35000×35000 scan costs
 *   its decoded bits, not 4.9 GB of RGBA; images whose decoded size exceeds a `maxPixels` RGB image are refused.
 * - {@link pdfPageText}: the page's own text as an OCR page (for pages that are kept, not OCRed).
 *
 * Coordinates: the raster is the page as displayed (after /Rotate, cropped to the CropBox), y down; the returned
 * transform maps its pixels to PDF user space, which is what the searchable PDF writer needs.
 */
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as PdfJsModule from 'pdfjs-dist/legacy/build/pdf.mjs';
import { CorruptPdfError, ImageTooLargeError, PdfPasswordError } from '../common/errors.ts';
import { assignIds, type OcrPage, type PdfPagePlacement, type Quad, type RecognisedLine as OcrLine, type RecognisedWord as OcrWord } from '../common/result.ts';
import type { PdfPageProbe, PdfPageText } from '../common/worker-protocol.ts';
import type { RgbImage } from './engine/raster.ts';
import { DownscalingCanvasFactory } from './pdf-canvas.ts';
import { largestImages, type ImageSize } from './pdf-images.ts';
import { textLayerProblem } from './pdf-text-check.ts';

type PdfJs = typeof PdfJsModule;
type PdfLoadingTask = ReturnType<PdfJs['getDocument']>;
type PdfDocumentProxy = Awaited<PdfLoadingTask['promise']>;
type PdfPageProxy = Awaited<ReturnType<PdfDocumentProxy['getPage']>>;
type Matrix = readonly [number, number, number, number, number, number];

export const DEFAULT_PDF_DPI = 300;

let pdfjsModule: Promise<PdfJs> | undefined;
/** pdf.js is loaded on first use, so image-only workers never pay for it. */
function pdfjs(): Promise<PdfJs> {
  pdfjsModule ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjsModule;
}

const pdfjsDir = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
const asset = (folder: string) => path.join(pdfjsDir, folder) + path.sep;

export { isPdfHead } from './pdf-head.ts';

interface OpenPdf {
  readonly key: string;
  readonly doc: PdfDocumentProxy;
  readonly task: PdfLoadingTask;
  readonly bytes: Uint8Array;
  /** Largest embedded image of each page (0-based), from a pdf-lib parse; null where that parse failed. */
  imageSizes?: (ImageSize | undefined)[] | null;
}

let cached: OpenPdf | undefined;

async function fileKey(file: string, password: string | undefined): Promise<string> {
  const info = await stat(file);
  return JSON.stringify([path.resolve(file), info.size, info.mtimeMs, password ?? null]);
}

interface Opened {
  readonly doc: PdfDocumentProxy;
  /** Destroying the loading task releases the document. */
  readonly task: PdfLoadingTask;
}

async function openDocument(file: string, bytes: Uint8Array, password: string | undefined, maxImageSize: number): Promise<Opened> {
  const lib = await pdfjs();
  const task = lib.getDocument({
    data: bytes.slice(), // pdf.js takes ownership of (and detaches) what it is given
    password,
    standardFontDataUrl: asset('standard_fonts'),
    cMapUrl: asset('cmaps'),
    cMapPacked: true,
    wasmUrl: asset('wasm'),
    iccUrl: asset('iccs'),
    useSystemFonts: false,
    disableFontFace: true,
    enableXfa: false,
    stopAtErrors: false,
    maxImageSize,
    CanvasFactory: DownscalingCanvasFactory,
    verbosity: lib.VerbosityLevel.ERRORS,
  });
  try {
    return { doc: await task.promise, task };
  } catch (error) {
    await task.destroy().catch(() => undefined);
    throw pdfError(lib, file, error, password);
  }
}

function pdfError(lib: PdfJs, file: string, error: unknown, password: string | undefined): Error {
  const e = error as { name?: string; message?: string; code?: number };
  if (e.name === 'PasswordException') {
    return new PdfPasswordError(file, password !== undefined && e.code === lib.PasswordResponses.INCORRECT_PASSWORD);
  }
  if (e.name === 'InvalidPDFException') return new CorruptPdfError(file, 'no valid PDF structure was found in it');
  return new CorruptPdfError(file, e.message ?? String(error));
}

async function readPdf(file: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(file));
}

/** The document for rendering, kept open between pages of the same file. */
async function renderDocument(file: string, password: string | undefined): Promise<OpenPdf> {
  const key = await fileKey(file, password);
  if (cached?.key === key) return cached;
  await closeCached();
  const bytes = await readPdf(file);
  const { doc, task } = await openDocument(file, bytes, password, -1);
  cached = { key, doc, task, bytes };
  return cached;
}

/** Releases the document kept open for rendering. */
export async function closeCached(): Promise<void> {
  const old = cached;
  cached = undefined;
  await old?.task.destroy().catch(() => undefined);
}

async function getPage(file: string, doc: PdfDocumentProxy, index: number): Promise<PdfPageProxy> {
  if (index >= doc.numPages) throw new CorruptPdfError(file, `it has ${doc.numPages} page(s); page ${index + 1} does not exist`);
  try {
    return await doc.getPage(index + 1);
  } catch (error) {
    throw new CorruptPdfError(file, `page ${index + 1} cannot be read: ${(error as Error).message}`);
  }
}

export interface ProbedPdf {
  readonly format: 'pdf';
  readonly pages: number;
  /** First page's size in points, rounded. */
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
  readonly pdf: { readonly pages: readonly PdfPageProbe[] };
}

/** Page count, sizes and text kind of every page. Images are skipped (not decoded), so this is quick. */
export async function probePdf(file: string, password: string | undefined): Promise<ProbedPdf> {
  const lib = await pdfjs();
  const bytes = await readPdf(file);
  const { doc, task } = await openDocument(file, bytes, password, 1); // maxImageSize 1: every image is left out
  try {
    if (doc.numPages < 1) throw new CorruptPdfError(file, 'it has no pages');
    const pages: PdfPageProbe[] = [];
    for (let i = 0; i < doc.numPages; i++) {
      const page = await getPage(file, doc, i);
      const { width, height } = page.getViewport({ scale: 1 });
      let text: PdfPageText;
      let textProblem: string | undefined;
      try {
        text = textKind(lib, await page.getOperatorList({ intent: 'print' }));
        // Text that extracts as garbage (unmapped glyphs, a broken Unicode mapping) is no text: OCR the page.
        if (text !== 'none') textProblem = textLayerProblem((await page.getTextContent()).items.map((item) => ('str' in item ? item.str : '')).join(' '));
      } catch (error) {
        throw new CorruptPdfError(file, `the content of page ${i + 1} cannot be read: ${(error as Error).message}`);
      }
      pages.push(textProblem === undefined ? { width, height, text } : { width, height, text: 'unusable', textProblem });
      page.cleanup();
    }
    const first = pages[0]!;
    return { format: 'pdf', pages: pages.length, width: Math.round(first.width), height: Math.round(first.height), bytes: bytes.length, pdf: { pages } };
  } finally {
    await task.destroy().catch(() => undefined);
  }
}

/** Whether a page's operators draw text, and whether all of it is invisible (render modes 3 and 7). */
export function textKind(lib: Pick<PdfJs, 'OPS'>, ops: { fnArray: number[]; argsArray: unknown[] }): PdfPageText {
  const { OPS } = lib;
  const shows = new Set<number>([OPS.showText, OPS.showSpacedText, OPS.nextLineShowText, OPS.nextLineSetSpacingShowText]);
  const stack: number[] = [];
  let mode = 0;
  let invisible = 0;
  let visible = 0;
  for (let i = 0; i < ops.fnArray.length; i++) {
    const fn = ops.fnArray[i]!;
    if (fn === OPS.save) stack.push(mode);
    else if (fn === OPS.restore) mode = stack.pop() ?? 0;
    else if (fn === OPS.setTextRenderingMode) mode = Number((ops.argsArray[i] as unknown[])[0]) & 7;
    else if (shows.has(fn)) {
      if (mode === 3 || mode === 7) invisible++;
      else visible++;
    }
  }
  return visible > 0 ? 'visible' : invisible > 0 ? 'ocr-layer' : 'none';
}

export interface RenderOptions {
  /** @default 300 */
  readonly dpi?: number;
  readonly maxPixels: number;
  readonly password?: string | undefined;
}

export interface RenderedPdfPage {
  readonly image: RgbImage;
  /** The DPI actually used (lower than asked when the page would exceed maxPixels). */
  readonly dpi: number;
  readonly placement: PdfPagePlacement;
}

/** Resolution for a page of `widthPt`×`heightPt` points: `dpi`, lowered until the raster fits `maxPixels`. */
export function renderDpi(widthPt: number, heightPt: number, dpi: number, maxPixels: number): number {
  const areaIn = (widthPt / 72) * (heightPt / 72);
  if (areaIn <= 0) return dpi;
  const cap = Math.sqrt(maxPixels / areaIn);
  // Skia canvases are limited to 32767 pixels a side.
  const sideCap = 32767 / (Math.max(widthPt, heightPt) / 72);
  const chosen = Math.min(dpi, cap, sideCap);
  // Round down a little so rounding the raster size up can never cross the limit.
  return Math.floor(chosen * 100) / 100;
}

/** Renders page `index` (0-based) to RGB. */
export async function renderPdfPage(file: string, index: number, options: RenderOptions): Promise<RenderedPdfPage> {
  const open = await renderDocument(file, options.password);
  const page = await getPage(file, open.doc, index);
  const base = page.getViewport({ scale: 1 });
  const dpi = renderDpi(base.width, base.height, options.dpi ?? DEFAULT_PDF_DPI, options.maxPixels);
  // pdf.js holds an embedded image decoded in memory (scaled down only when drawn, see pdf-canvas.ts): refuse one
  // whose decoded size exceeds that of a maxPixels RGB image. A 35000×35000 1-bit scan (153 MB) passes.
  const image = await largestImage(open, index);
  if (image !== undefined && image.bytes > options.maxPixels * 3) {
    const limit = Math.floor((options.maxPixels * 3) / (image.bytes / image.pixels));
    throw new ImageTooLargeError(`${file} (page ${index + 1}, embedded image)`, image.width, image.height, limit);
  }
  const viewport = page.getViewport({ scale: dpi / 72 });
  const width = Math.max(1, Math.round(viewport.width));
  const height = Math.max(1, Math.round(viewport.height));
  const { createCanvas } = await import('@napi-rs/canvas');
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  try {
    await page.render({
      canvas: canvas as unknown as HTMLCanvasElement,
      canvasContext: context as unknown as CanvasRenderingContext2D,
      viewport,
      intent: 'print',
    }).promise;
  } catch (error) {
    throw new CorruptPdfError(file, `page ${index + 1} cannot be rendered: ${(error as Error).message}`);
  } finally {
    page.cleanup();
  }
  const rgba = context.getImageData(0, 0, width, height).data;
  canvas.width = canvas.height = 1; // free the surface before the copy below doubles the footprint
  const data = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; j < data.length; i += 4, j += 3) {
    data[j] = rgba[i]!;
    data[j + 1] = rgba[i + 1]!;
    data[j + 2] = rgba[i + 2]!;
  }
  return {
    image: { data, width, height },
    dpi,
    placement: { transform: invert(viewport.transform as unknown as Matrix), ocr: true },
  };
}

/** The page's own text (kept pages are not OCRed), in the coordinates of a raster at `dpi`, as an OCR page. */
export async function pdfPageText(file: string, index: number, options: RenderOptions): Promise<OcrPage> {
  const open = await renderDocument(file, options.password);
  const page = await getPage(file, open.doc, index);
  const base = page.getViewport({ scale: 1 });
  const dpi = renderDpi(base.width, base.height, options.dpi ?? DEFAULT_PDF_DPI, options.maxPixels);
  const viewport = page.getViewport({ scale: dpi / 72 });
  let content;
  try {
    content = await page.getTextContent();
  } catch (error) {
    throw new CorruptPdfError(file, `the text of page ${index + 1} cannot be read: ${(error as Error).message}`);
  } finally {
    page.cleanup();
  }
  const vt = viewport.transform as unknown as Matrix;
  const lines: OcrLine[] = [];
  let words: OcrWord[] = [];
  const flush = () => {
    if (words.length === 0) return;
    const box = unionQuad(words.map((w) => w.box));
    lines.push({ text: words.map((w) => w.text).join(' '), confidence: 1, box, words, block: 0 });
    words = [];
  };
  for (const item of content.items) {
    if (!('str' in item)) continue;
    const t = item.transform as unknown as Matrix;
    const str = item.str;
    const chars = [...str];
    if (str.trim() !== '' && chars.length > 0) {
      const len = Math.hypot(t[0], t[1]) || 1;
      const ux = t[0] / len;
      const uy = t[1] / len;
      const upLen = Math.hypot(t[2], t[3]) || 1;
      const vx = t[2] / upLen;
      const vy = t[3] / upLen;
      const h = item.height || upLen;
      const perChar = item.width / chars.length;
      let offset = 0;
      for (const part of str.split(/(\s+)/)) {
        const n = [...part].length;
        if (part.trim() !== '') {
          const x0 = t[4] + ux * offset * perChar;
          const y0 = t[5] + uy * offset * perChar;
          const x1 = x0 + ux * n * perChar;
          const y1 = y0 + uy * n * perChar;
          const corners: [number, number][] = [
            [x0 + vx * h, y0 + vy * h],
            [x1 + vx * h, y1 + vy * h],
            [x1, y1],
            [x0, y0],
          ];
          const box = corners.map(([x, y]) => apply(vt, x, y)) as unknown as Quad;
          words.push({ text: part, confidence: 1, box });
        }
        offset += n;
      }
    }
    if (item.hasEOL) flush();
  }
  flush();
  const blocks = lines.length > 0 ? [{ box: unionQuad(lines.map((l) => l.box)) }] : [];
  return {
    index,
    width: Math.max(1, Math.round(viewport.width)),
    height: Math.max(1, Math.round(viewport.height)),
    orientation: 0,
    lines: assignIds(lines),
    blocks,
    dpi,
    pdf: { transform: invert(vt), ocr: false },
  };
}

function unionQuad(quads: readonly Quad[]): Quad {
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  for (const q of quads) {
    for (const [x, y] of q) {
      x1 = Math.min(x1, x);
      y1 = Math.min(y1, y);
      x2 = Math.max(x2, x);
      y2 = Math.max(y2, y);
    }
  }
  return [[x1, y1], [x2, y1], [x2, y2], [x1, y2]];
}

function apply(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

export function invert(m: Matrix): [number, number, number, number, number, number] {
  const det = m[0] * m[3] - m[1] * m[2];
  if (det === 0) return [1, 0, 0, 1, 0, 0];
  const a = m[3] / det;
  const b = -m[1] / det;
  const c = -m[2] / det;
  const d = m[0] / det;
  return [a, b, c, d, -(a * m[4] + c * m[5]), -(b * m[4] + d * m[5])];
}

/** The largest embedded image of page `index`, from a pdf-lib parse made once per open document. */
async function largestImage(open: OpenPdf, index: number): Promise<ImageSize | undefined> {
  if (open.imageSizes === undefined) open.imageSizes = await largestImages(open.bytes);
  return open.imageSizes?.[index];
}
