/**
 * Checks of a searchable PDF against the OCR result it was made from, with poppler's own tools (what a reader of
 * the PDF sees): `pdftotext` text agreement, `pdftotext -bbox` word boxes against the OCR word boxes (IoU), and
 * `pdftoppm` rasters with and without the text layer. Shared by the tests and `npm run bench:pdf`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { pageText, quadBounds, type OcrPage } from '../app/common/result.ts';

const run = promisify(execFile);

/** Levenshtein distance (two rows). */
export function editDistance(a: readonly string[], b: readonly string[]): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

/** Character agreement, 1 − edit distance ÷ longer length, ignoring white space (layouts space text differently). */
export function charAgreement(expected: string, actual: string): number {
  const a = [...expected.replace(/\s+/g, '')];
  const b = [...actual.replace(/\s+/g, '')];
  const longest = Math.max(a.length, b.length);
  return longest === 0 ? 1 : 1 - editDistance(a, b) / longest;
}

/** Text of one page (1-based) as pdftotext extracts it; `raw`: in content-stream order rather than by layout. */
export async function pdftotext(pdf: string, page: number, raw = false): Promise<string> {
  const args = ['-f', String(page), '-l', String(page), '-enc', 'UTF-8', ...(raw ? ['-raw'] : []), pdf, '-'];
  const { stdout } = await run('pdftotext', args, { maxBuffer: 64 << 20 });
  return stdout;
}

export interface PdfWord {
  readonly text: string;
  /** [x1, y1, x2, y2] in points from the page's top-left, as pdftotext -bbox gives them. */
  readonly box: readonly [number, number, number, number];
}

export interface PdfWordPage {
  readonly width: number;
  readonly height: number;
  readonly words: readonly PdfWord[];
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/** Words and their boxes on every page, from `pdftotext -bbox`. */
export async function pdftotextWords(pdf: string): Promise<PdfWordPage[]> {
  const { stdout } = await run('pdftotext', ['-bbox', '-enc', 'UTF-8', pdf, '-'], { maxBuffer: 64 << 20 });
  const pages: PdfWordPage[] = [];
  for (const m of stdout.matchAll(/<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g)) {
    const words: PdfWord[] = [];
    for (const w of m[3]!.matchAll(/<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)<\/word>/g)) {
      words.push({ text: unescape(w[5]!), box: [Number(w[1]), Number(w[2]), Number(w[3]), Number(w[4])] });
    }
    pages.push({ width: Number(m[1]), height: Number(m[2]), words });
  }
  return pages;
}

export function iou(a: readonly number[], b: readonly number[]): number {
  const ix = Math.max(0, Math.min(a[2]!, b[2]!) - Math.max(a[0]!, b[0]!));
  const iy = Math.max(0, Math.min(a[3]!, b[3]!) - Math.max(a[1]!, b[1]!));
  const inter = ix * iy;
  const union = (a[2]! - a[0]!) * (a[3]! - a[1]!) + (b[2]! - b[0]!) * (b[3]! - b[1]!) - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * OCR word boxes of a page in pdftotext's coordinates: points from the top-left of the page as displayed. Pages
 * with a known resolution scale by 72/dpi; others (images) by the page width (pdftotext reports the unrotated
 * width, which differs for pages with /Rotate).
 */
export function ocrWordBoxes(page: OcrPage, pageWidthPt: number): { text: string; box: [number, number, number, number] }[] {
  const scale = page.dpi ? 72 / page.dpi : pageWidthPt / page.width;
  return page.lines.flatMap((line) =>
    line.words
      .filter((w) => w.text.trim() !== '')
      .map((w) => {
        const [x1, y1, x2, y2] = quadBounds(w.box);
        return { text: w.text, box: [x1 * scale, y1 * scale, x2 * scale, y2 * scale] as [number, number, number, number] };
      }),
  );
}

/** Share of the PDF's words whose box overlaps some OCR word box at IoU ≥ `threshold`. */
export function boxMatchRate(pdfWords: readonly PdfWord[], ocrBoxes: readonly { box: readonly number[] }[], threshold = 0.5): { matched: number; total: number } {
  let matched = 0;
  for (const w of pdfWords) if (ocrBoxes.some((o) => iou(w.box, o.box) >= threshold)) matched++;
  return { matched, total: pdfWords.length };
}

/**
 * Agreement of a PDF page's extracted text with the OCR page's text. pdftotext runs in `-raw` mode: the text layer
 * is written in the JSON's reading order, which its layout analysis would otherwise re-flow (columns, table rows).
 */
export async function pageAgreement(pdf: string, pageNumber: number, page: OcrPage): Promise<number> {
  return charAgreement(pageText(page), await pdftotext(pdf, pageNumber, true));
}

export interface PixelDiff {
  readonly width: number;
  readonly height: number;
  /** Pixels whose value differs in any channel. */
  readonly differing: number;
  /** Largest difference of one channel value, 0–255. */
  readonly maxDelta: number;
}

/** Rasterises page `page` (1-based) of two PDFs with pdftoppm at `dpi` and compares them pixel by pixel. */
export async function comparePages(a: string, pageA: number, b: string, pageB: number, dpi = 72): Promise<PixelDiff> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ocr-desk-ppm-'));
  try {
    const raster = async (pdf: string, page: number, name: string) => {
      await run('pdftoppm', ['-f', String(page), '-l', String(page), '-r', String(dpi), '-png', pdf, path.join(dir, name)]);
      const file = (await readdir(dir)).find((f) => f.startsWith(name));
      if (!file) throw new Error(`pdftoppm wrote nothing for ${pdf} page ${page}`);
      return sharp(path.join(dir, file)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    };
    const x = await raster(a, pageA, 'a');
    const y = await raster(b, pageB, 'b');
    if (x.info.width !== y.info.width || x.info.height !== y.info.height) {
      return { width: x.info.width, height: x.info.height, differing: x.info.width * x.info.height, maxDelta: 255 };
    }
    let differing = 0;
    let maxDelta = 0;
    const ch = x.info.channels;
    for (let i = 0; i < x.data.length; i += ch) {
      let d = 0;
      for (let k = 0; k < ch; k++) d = Math.max(d, Math.abs(x.data[i + k]! - y.data[i + k]!));
      if (d > 0) differing++;
      maxDelta = Math.max(maxDelta, d);
    }
    return { width: x.info.width, height: x.info.height, differing, maxDelta };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
