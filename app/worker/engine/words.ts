/**
 * Word boundaries in a recognised line. The model emits a space between some words and drops it between others,
 * so a boundary is also placed where the evidence for a dropped space is strong enough, weighed in one score:
 *
 *   score = log10(max(spaceBefore, spaceFloor)) + inkWeight × inkGap + frameWeight × frameGap ≥ threshold
 *
 * - spaceBefore: the space class's highest probability on the blank frames between the two characters (ctc.ts);
 * - inkGap: the widest run of blank columns of the line crop between the two characters' centres, in line heights
 *   (the crop is the line scaled to the recogniser's height, so this holds at any resolution);
 * - frameGap: blank CTC frames between the two characters, in units of the line's character pitch (the median
 *   distance between consecutive characters' first frames).
 *
 * In a monospaced line (typewriters, receipt printers) a narrow letter (i, l, t, ...) sits in a cell as wide as any
 * other, with paper on both sides, so the blank gap next to it is discounted by `narrowDiscount` line heights. A line
 * is monospaced when its characters' centres lie on a regular grid: the resultant length of their phases at the
 * best pitch, |mean(exp(2πi·x/pitch))|, is at least `monoRegularity` (1 for a perfect grid; proportional text
 * measured 0.2-0.6, typed forms and receipts 0.7-0.9).
 *
 * Where the model read two characters on adjacent frames, or they belong to one number ("0.00", "264,140",
 * "08:30"), no boundary is placed, whatever the score; a space the model emitted inside such a number is dropped
 * too. Scripts written without spaces (Chinese, Japanese) never get a boundary inserted. Pure functions.
 */
import type { CtcChar } from './ctc.ts';
import type { RgbImage } from './raster.ts';

export interface WordSplitParams {
  /** Space probabilities below this count as this (a log needs a floor; the gaps alone must then decide). @default 0.0001 */
  readonly spaceFloor: number;
  /** Weight of the blank gap in the crop, per line height. @default 2 */
  readonly inkWeight: number;
  /** Weight of the blank CTC frames, per character pitch. @default 0.2 */
  readonly frameWeight: number;
  /** Score at or above which a boundary is placed. @default -1 */
  readonly threshold: number;
  /** Blank gap (line heights) not counted next to a narrow letter in a monospaced line. @default 0.2 */
  readonly narrowDiscount: number;
  /** Grid regularity (0-1) from which a line counts as monospaced. @default 0.7 */
  readonly monoRegularity: number;
  /** Fewest characters for a line to be judged monospaced (fewer can fit a grid by chance). @default 12 */
  readonly monoMinChars: number;
}

export const DEFAULT_WORD_SPLIT: WordSplitParams = {
  spaceFloor: 1e-4,
  inkWeight: 2,
  frameWeight: 0.2,
  threshold: -1,
  narrowDiscount: 0.2,
  monoRegularity: 0.7,
  monoMinChars: 12,
};

export interface CtcWord {
  readonly text: string;
  /** The decoded characters the word is made of. */
  readonly chars: readonly CtcChar[];
  readonly confidence: number;
  readonly start: number;
  readonly end: number;
}

/** Per character (index into the decoded characters), the gaps to the character before it. */
export interface GapEvidence {
  /** Widest blank run between the previous character's centre and this one's, in crop heights. */
  readonly ink: Float32Array;
  /** Blank frames between the previous character and this one, in character pitches. */
  readonly frames: Float32Array;
  /**
   * How many inked characters there are, and how regular a grid their centres lie on (0-1, see
   * {@link gridRegularity}); the regularity is worked out on first use, as few lines ever need it.
   */
  readonly grid: { readonly chars: number; regularity(): number };
}

const NO_SPACE_SCRIPTS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** Characters of scripts written without spaces (Chinese, Japanese) never get a boundary inserted between them. */
export const spacedScript = (c: string): boolean => !NO_SPACE_SCRIPTS.test(c);

/**
 * The darkest value of each column of a crop (shape (H, W, 3)), as the mean of the three channels; and the level
 * between the crop's ink and its paper (half-way between its 5th and 90th percentile columns) above which a
 * column is blank.
 */
export function columnInk(img: RgbImage): { dark: Uint8Array; blankAbove: number } {
  const { data, width, height } = img;
  // Sums of the three channels; divided (and rounded) once at the end.
  const sum = new Uint16Array(width).fill(765);
  for (let y = 0; y < height; y++) {
    let i = y * width * 3;
    for (let x = 0; x < width; x++, i += 3) {
      const v = data[i]! + data[i + 1]! + data[i + 2]!;
      if (v < sum[x]!) sum[x] = v;
    }
  }
  const dark = new Uint8Array(width);
  for (let x = 0; x < width; x++) dark[x] = Math.round(sum[x]! / 3);
  const sorted = Uint8Array.from(dark).sort();
  const at = (f: number) => sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))] ?? 255;
  return { dark, blankAbove: (at(0.9) + at(0.05)) / 2 };
}

/**
 * How well positions (frames) fit a grid of some pitch near `pitch` (0.8-1.25 times it): the largest resultant
 * length |mean(exp(2πi·x/p))| over candidate pitches p. 1 when every position is on one grid, near 0 when they are
 * spread at random. CTC frames quantise a 0.6-line-height cell to ±0.14 of a pitch, which leaves a typed line near
 * 0.8.
 */
export function gridRegularity(positions: readonly number[], pitch: number): number {
  if (positions.length < 2) return 0;
  let best = 0;
  for (let p = 0.8 * pitch; p <= 1.25 * pitch; p += 0.02) {
    let re = 0;
    let im = 0;
    for (const x of positions) {
      re += Math.cos((2 * Math.PI * x) / p);
      im += Math.sin((2 * Math.PI * x) / p);
    }
    best = Math.max(best, Math.hypot(re, im) / positions.length);
  }
  return best;
}

/** Gap evidence for each decoded character of a line crop whose frames are `frameWidth` crop pixels wide (`columns`: the crop's {@link columnInk}, where the caller has it already). */
export function gapEvidence(chars: readonly CtcChar[], img: RgbImage, frameWidth: number, columns = columnInk(img)): GapEvidence {
  const ink = new Float32Array(chars.length);
  const frames = new Float32Array(chars.length);
  const inked = chars.filter((c) => c.char.trim() !== '');
  const steps = inked.slice(1).map((c, i) => c.start - inked[i]!.start).sort((a, b) => a - b);
  const pitch = Math.max(1, steps.length ? steps[steps.length >> 1]! : 1);
  const { dark, blankAbove } = columns;
  const centre = (c: CtcChar) => Math.round(((c.start + c.end + 1) / 2) * frameWidth);
  for (let i = 1; i < chars.length; i++) {
    const a = chars[i - 1]!;
    const b = chars[i]!;
    let best = 0;
    let run = 0;
    for (let x = Math.max(0, centre(a)); x < Math.min(dark.length, centre(b)); x++) {
      run = dark[x]! > blankAbove ? run + 1 : 0;
      if (run > best) best = run;
    }
    ink[i] = best / img.height;
    frames[i] = (b.start - a.end - 1) / pitch;
  }
  let regularity: number | undefined;
  const grid = { chars: inked.length, regularity: () => (regularity ??= gridRegularity(inked.map((c) => (c.start + c.end) / 2), pitch)) };
  return { ink, frames, grid };
}

const DIGIT = /\p{Nd}/u;
/** Letters much narrower than a monospaced cell. */
const NARROW = /^[ilIjtfr]$/u;

/** Whether the character at `s` separates the digits of one number: "0.00", "08:30", "264,140" (a comma before exactly three digits). */
function numberSeparator(chars: readonly CtcChar[], s: number): boolean {
  const c = (k: number) => chars[k]?.char ?? '';
  if (!DIGIT.test(c(s - 1)) || !DIGIT.test(c(s + 1))) return false;
  if (c(s) === '.' || c(s) === ':') return true;
  return c(s) === ',' && DIGIT.test(c(s + 2)) && DIGIT.test(c(s + 3)) && !DIGIT.test(c(s + 4));
}

/** Whether a space the model emitted at `s` sits inside a decimal or a time ("0. 00", "08 :30"). */
function spaceInNumber(chars: readonly CtcChar[], s: number): boolean {
  const c = (k: number) => chars[k]?.char ?? '';
  const sep = (v: string) => v === '.' || v === ':';
  return (DIGIT.test(c(s - 2)) && sep(c(s - 1)) && DIGIT.test(c(s + 1))) || (DIGIT.test(c(s - 1)) && sep(c(s + 1)) && DIGIT.test(c(s + 2)));
}

/** Whether a boundary goes before `chars[i]`, both it and the character before it being inked (not spaces). */
export function boundaryBefore(chars: readonly CtcChar[], i: number, evidence: GapEvidence, params: WordSplitParams): boolean {
  const a = chars[i - 1]!;
  const b = chars[i]!;
  if (!spacedScript(a.char) || !spacedScript(b.char)) return false;
  // Read on adjacent frames: the model saw one unit.
  if (b.start - a.end <= 1) return false;
  if (numberSeparator(chars, i - 1) || numberSeparator(chars, i)) return false;
  const score = (ink: number) => Math.log10(Math.max(b.spaceBefore, params.spaceFloor)) + params.inkWeight * ink + params.frameWeight * evidence.frames[i]!;
  if (score(evidence.ink[i]!) < params.threshold) return false;
  // Beside a narrow letter, a gap that only the discount would close is judged by whether the type is monospaced.
  if (!NARROW.test(a.char) && !NARROW.test(b.char)) return true;
  if (score(Math.max(0, evidence.ink[i]! - params.narrowDiscount)) >= params.threshold) return true;
  return !(evidence.grid.chars >= params.monoMinChars && evidence.grid.regularity() >= params.monoRegularity);
}

/** Groups decoded characters into words: at spaces the model emitted (unless inside a number) and where {@link boundaryBefore} says so. */
export function splitWords(chars: readonly CtcChar[], evidence: GapEvidence, params: WordSplitParams = DEFAULT_WORD_SPLIT): CtcWord[] {
  const words: CtcWord[] = [];
  let cur: CtcChar[] = [];
  const flush = () => {
    if (!cur.length) return;
    const probs = cur.map((c) => c.prob);
    words.push({
      text: cur.map((c) => c.char).join(''),
      chars: cur,
      confidence: probs.reduce((s, p) => s + p, 0) / probs.length,
      start: cur[0]!.start,
      end: cur[cur.length - 1]!.end,
    });
    cur = [];
  };
  chars.forEach((c, i) => {
    if (c.char.trim() === '') {
      if (!spaceInNumber(chars, i)) flush();
      return;
    }
    const prev = chars[i - 1];
    if (cur.length && prev && prev.char.trim() !== '' && boundaryBefore(chars, i, evidence, params)) flush();
    cur.push(c);
  });
  flush();
  return words;
}
