/**
 * Ruled lines in a line crop: forms underline their fields and tables box their cells, and the detector's line box
 * takes the rule along with the text. The recogniser then reads the rule between words as "_", and the word-gap
 * evidence (words.ts) finds no blank column between underlined words, so "managing_records_is_too_complex" comes back
 * as one word. The rule is found and painted over with the paper's colour in a copy of the crop, on which the word
 * gaps are measured and each "_" is judged (the recogniser still reads the crop as it was: painting the rule out also
 * takes the feet of the letters standing on it):
 *
 *   a pixel is rule when it lies on a horizontal run of ink at least `minRunHeights` line heights long, and the
 *   vertical run of ink through it is at most `maxThickness` line heights,
 *
 * so a descender or a stroke that crosses the rule keeps its pixels, and glyph strokes (never several line heights
 * long) are never touched. Pure functions over an (H, W, 3) crop.
 */
import type { CtcChar } from './ctc.ts';
import type { RgbImage } from './raster.ts';
import { columnInk } from './words.ts';

export interface RuleParams {
  /** A rule's horizontal run of ink is at least this long, in line (crop) heights; 0 turns removal off. @default 2 */
  readonly minRunHeights: number;
  /** A rule is at most this thick, in line heights; ink thicker than this at a column is a glyph crossing it. @default 0.2 */
  readonly maxThickness: number;
  /** A pixel is ink when its channel mean is this far below the paper's (0-255). @default 60 */
  readonly inkContrast: number;
}

export const DEFAULT_RULES: RuleParams = { minRunHeights: 2, maxThickness: 0.2, inkContrast: 60 };

/** The paper's level as a sum of the three channels (0-765): the 90th percentile of the crop's pixels (text is the minority). */
function paperSum(img: RgbImage): number {
  const { data } = img;
  const n = data.length / 3;
  const hist = new Uint32Array(766);
  for (let o = 0; o < data.length; o += 3) hist[data[o]! + data[o + 1]! + data[o + 2]!]!++;
  for (let acc = 0, v = 0; v < 766; v++) {
    acc += hist[v]!;
    if (acc >= 0.9 * n) return v;
  }
  return 765;
}

/** The mean colour of the pixels at the paper's level (a channel sum), so a tinted paper stays tinted. */
function paperColour(img: RgbImage, sum: number): [number, number, number] {
  const { data } = img;
  let r = 0, g = 0, b = 0, count = 0;
  for (let o = 0; o < data.length; o += 3) {
    if (Math.abs(data[o]! + data[o + 1]! + data[o + 2]! - sum) > 3) continue;
    r += data[o]!;
    g += data[o + 1]!;
    b += data[o + 2]!;
    count++;
  }
  return count ? [r / count, g / count, b / count] : [sum / 3, sum / 3, sum / 3];
}

/**
 * The crop with its ruled lines painted the paper's colour, or the same crop when it has none. Shape (H, W, 3)
 * in and out. Most crops have no rule: they cost two passes over their pixels (the paper level, then the ink runs
 * of each row); only pixels on a long run have their vertical thickness measured.
 */
export function eraseRules(img: RgbImage, params: RuleParams = DEFAULT_RULES): RgbImage {
  const { data, width: w, height: h } = img;
  const minRun = params.minRunHeights * h;
  if (params.minRunHeights <= 0 || w < minRun) return img;
  const paperAt = paperSum(img);
  const inkBelow = paperAt - 3 * params.inkContrast;
  const isInk = (x: number, y: number) => {
    const o = (y * w + x) * 3;
    return data[o]! + data[o + 1]! + data[o + 2]! < inkBelow;
  };
  // Long horizontal runs of ink, as [y, x1, x2) triples.
  const runs: number[] = [];
  for (let y = 0, o = 0; y < h; y++) {
    let start = -1;
    for (let x = 0; x <= w; x++, o += 3) {
      if (x < w && data[o]! + data[o + 1]! + data[o + 2]! < inkBelow) {
        if (start < 0) start = x;
      } else if (start >= 0) {
        if (x - start >= minRun) runs.push(y, start, x);
        start = -1;
      }
    }
    o -= 3;
  }
  if (runs.length === 0) return img;
  const maxThick = Math.max(1, Math.round(params.maxThickness * h));
  // Thicker than the rule at this pixel: a glyph crosses it. Counting stops past the limit.
  const thin = (x: number, y: number) => {
    let n = 1;
    for (let k = y - 1; k >= 0 && isInk(x, k) && n <= maxThick; k--) n++;
    for (let k = y + 1; k < h && isInk(x, k) && n <= maxThick; k++) n++;
    return n <= maxThick;
  };
  const erase: number[] = [];
  for (let r = 0; r < runs.length; r += 3) {
    const y = runs[r]!;
    for (let x = runs[r + 1]!; x < runs[r + 2]!; x++) if (thin(x, y)) erase.push(y * w + x);
  }
  if (erase.length === 0) return img;
  // Decided on the crop as it was, then painted: erasing a row first would thin the rows next to it.
  const paper = paperColour(img, paperAt);
  const out = Uint8Array.from(data);
  for (const p of erase) {
    out[p * 3] = paper[0];
    out[p * 3 + 1] = paper[1];
    out[p * 3 + 2] = paper[2];
  }
  return { data: out, width: w, height: h };
}

/**
 * The characters of a line with each "_" the recogniser read off a ruled line turned into a space: one whose frames
 * hold no ink once the rules are painted out (`clean`, from {@link eraseRules}). An underscore that is a glyph (a
 * short stroke, "BLR_WFLD") is no rule and stays.
 */
export function underlinesAsSpaces(chars: readonly CtcChar[], clean: RgbImage, frameWidth: number, columns = columnInk(clean)): readonly CtcChar[] {
  if (!chars.some((c) => c.char === '_')) return chars;
  const { dark, blankAbove } = columns;
  return chars.map((c) => {
    if (c.char !== '_') return c;
    const x1 = Math.max(0, Math.floor(c.start * frameWidth));
    const x2 = Math.min(dark.length, Math.ceil((c.end + 1) * frameWidth));
    let blank = 0;
    for (let x = x1; x < x2; x++) if (dark[x]! > blankAbove) blank++;
    return blank * 2 >= x2 - x1 ? { ...c, char: ' ' } : c;
  });
}
