/**
 * The invisible text layer of a searchable PDF page, as content-stream operators, from an {@link OcrPage}.
 *
 * Words are written in the page raster's pixel space (the caller maps it onto the PDF page with `cm`), in the
 * GlyphLessFont with text render mode 3 (neither fill nor stroke). For each word, in its own (possibly rotated)
 * box: the text matrix runs along the box's baseline direction, the font size is the box height, the baseline sits
 * at 20% of the height above the box bottom (the font's descent), and horizontal scaling (Tz) stretches the fixed
 * half-em advances to the box width. Selecting or searching the text then highlights the word on the image.
 */
import type { OcrPage, Point, Quad } from '../../common/result.ts';
import { ADVANCE, DESCENT, UNITS_PER_EM } from './glyphless-font.ts';

/** Assigns each distinct character (code point) a CID, shared by all pages of one PDF. */
export class CidMap {
  readonly #cids = new Map<number, number>();
  /** Code point of each CID, from CID 1 (CID 0 stays .notdef). */
  readonly codePoints: number[] = [];

  cid(codePoint: number): number {
    let cid = this.#cids.get(codePoint);
    if (cid === undefined) {
      if (this.codePoints.length >= 0xfffe) return 0;
      this.codePoints.push(codePoint);
      cid = this.codePoints.length;
      this.#cids.set(codePoint, cid);
    }
    return cid;
  }

  /** `<hhhh…>`: the 2-byte CIDs of a string under Identity-H. */
  hex(text: string): string {
    let out = '';
    for (const c of text) out += this.cid(c.codePointAt(0)!).toString(16).padStart(4, '0');
    return `<${out}>`;
  }
}

/** A number for a content stream: at most 3 decimals, no exponent, no "-0". */
export function num(n: number): string {
  if (!Number.isFinite(n)) return '0';
  const s = n.toFixed(3).replace(/\.?0+$/, '');
  return s === '-0' || s === '' ? '0' : s;
}

const sub = (a: Point, b: Point): [number, number] => [a[0] - b[0], a[1] - b[1]];
const len = (v: readonly [number, number]) => Math.hypot(v[0], v[1]);

/**
 * Least horizontal scaling (percent). A word far longer than its box (a correction typed over a short misread:
 * "CORRECTEDWORD" over a 13-pixel "RI") squeezed to fit puts its characters 0.05 em apart; text extraction takes
 * such close, equal neighbours for one glyph drawn twice (fake bold) and drops one ("COR ECTEDWORD"). Below this
 * scaling the word is set smaller instead, on the same baseline, and still fills its box's width: 30% keeps
 * characters 0.15 em apart, past pdftotext's 0.1 em for a duplicate. Being smaller than its neighbours, such a word
 * extracts on a line of its own, whole.
 */
export const MIN_SCALING = 30;

/** Words within this angle of a multiple of 90° are set square to the page, over their axis-aligned bounds. */
export const SNAP_DEGREES = 12;

/**
 * Text-space placement of a word box: unit baseline direction u, unit up direction v, baseline origin, size.
 * Slightly skewed words (scans are rarely straight) are set square to the page over the box's bounds: text
 * extraction (pdftotext and viewers) splits a word whose characters climb, and the bounds still cover the word.
 * Words turned by more than {@link SNAP_DEGREES} keep their own angle.
 */
export function wordPlacement(box: Quad): { u: [number, number]; v: [number, number]; origin: [number, number]; width: number; height: number } | undefined {
  const [p0, p1, p2, p3] = box;
  const top = sub(p1, p0);
  const bottom = sub(p2, p3);
  const dir: [number, number] = [top[0] + bottom[0], top[1] + bottom[1]];
  const dl = len(dir);
  if (!(dl > 0)) return undefined;
  let u: [number, number] = [dir[0] / dl, dir[1] / dl];
  const angle = Math.atan2(u[1], u[0]);
  const square = Math.round(angle / (Math.PI / 2)) * (Math.PI / 2);
  if (Math.abs(angle - square) <= (SNAP_DEGREES * Math.PI) / 180) u = [Math.round(Math.cos(square)), Math.round(Math.sin(square))];
  // Perpendicular to u, on the side of the box's top edge.
  const upHint = sub(p0, p3);
  let v: [number, number] = [u[1], -u[0]];
  if (v[0] * upHint[0] + v[1] * upHint[1] < 0) v = [-u[1], u[0]];
  // Extent of the box along u and v.
  const along = box.map((p) => p[0] * u[0] + p[1] * u[1]);
  const across = box.map((p) => p[0] * v[0] + p[1] * v[1]);
  const u0 = Math.min(...along);
  const v0 = Math.min(...across);
  const width = Math.max(...along) - u0;
  const height = Math.max(...across) - v0;
  if (!(width > 0) || !(height > 0)) return undefined;
  const descent = (-DESCENT / UNITS_PER_EM) * height;
  const origin: [number, number] = [u[0] * u0 + v[0] * (v0 + descent), u[1] * u0 + v[1] * (v0 + descent)];
  return { u, v, origin, width, height };
}

/**
 * Operators drawing a page's words invisibly, in raster pixel space; `transform` (pixels → PDF user space) is
 * applied first. Returns '' for a page without words.
 */
export function textLayer(page: OcrPage, fontName: string, cids: CidMap, transform: readonly number[]): string {
  const ops: string[] = [];
  for (const line of page.lines) {
    const words = line.words.length > 0 ? line.words : [{ text: line.text, confidence: line.confidence, box: line.box }];
    words.forEach((word, i) => {
      const text = word.text.trim();
      if (text === '') return;
      const place = wordPlacement(word.box);
      if (!place) return;
      const chars = [...text].length;
      const natural = (chars * ADVANCE * place.height) / UNITS_PER_EM;
      const fit = (100 * place.width) / natural;
      const tz = Math.max(fit, MIN_SCALING);
      const size = (place.height * fit) / tz;
      ops.push(
        `/${fontName} ${num(size)} Tf ${num(tz)} Tz ` +
          `${num(place.u[0])} ${num(place.u[1])} ${num(place.v[0])} ${num(place.v[1])} ${num(place.origin[0])} ${num(place.origin[1])} Tm ` +
          // A space after every word but a line's last: extraction then breaks words where OCR did, even where
          // boxes touch, and copied text has its spaces. It lies past the box end and is not part of the word.
          `${cids.hex(i < words.length - 1 ? `${text} ` : text)} Tj`,
      );
    });
  }
  if (ops.length === 0) return '';
  return `q\n${transform.map(num).join(' ')} cm\nBT\n3 Tr\n${ops.join('\n')}\nET\nQ\n`;
}

/** ToUnicode CMap mapping each CID to its character (UTF-16BE, surrogate pairs beyond the BMP). */
export function toUnicodeCMap(cids: CidMap): string {
  const entries = cids.codePoints.map((cp, i) => {
    const utf16 = String.fromCodePoint(cp);
    let hex = '';
    for (let k = 0; k < utf16.length; k++) hex += utf16.charCodeAt(k).toString(16).padStart(4, '0');
    return `<${(i + 1).toString(16).padStart(4, '0')}> <${hex}>`;
  });
  const chunks: string[] = [];
  for (let i = 0; i < entries.length; i += 100) {
    const part = entries.slice(i, i + 100);
    chunks.push(`${part.length} beginbfchar\n${part.join('\n')}\nendbfchar`);
  }
  return [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange',
    '<0000> <FFFF>',
    'endcodespacerange',
    ...chunks,
    'endcmap',
    'CMapName currentdict /CMap defineresource pop',
    'end',
    'end',
    '',
  ].join('\n');
}

/** CIDToGIDMap: every CID in use (and .notdef's CID 0 too) maps to glyph 1, the empty glyph. */
export function cidToGidMap(cids: CidMap): Uint8Array {
  const map = new Uint8Array(2 * (cids.codePoints.length + 1));
  for (let i = 1; i < map.length; i += 2) map[i] = 1;
  return map;
}
