/**
 * Ruled lines in a line crop: forms underline their fields and tables box their cells, and the detector's line box
 * takes the rule along with the text. The recogniser then reads the rule between words as "_", and the word-gap
 * evidence (words.ts) finds no blank column between underlined words, so "managing_records_is_too_complex" comes back
 * as one word. The rule is found and painted over with the paper's colour before the crop is read:
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

/** The paper's colour: per channel, the 90th percentile of the crop's channel means' pixels (text is the minority). */
function paperColour(img: RgbImage): [number, number, number] {
  const { data } = img;
  const n = data.length / 3;
  const hist = new Uint32Array(256);
  for (let i = 0; i < n; i++) hist[Math.round((data[i * 3]! + data[i * 3 + 1]! + data[i * 3 + 2]!) / 3)]!++;
  let level = 255;
  for (let acc = 0, v = 0; v < 256; v++) {
    acc += hist[v]!;
    if (acc >= 0.9 * n) {
      level = v;
      break;
    }
  }
  // The mean colour of the pixels at that level, so a tinted paper stays tinted.
  let r = 0, g = 0, b = 0, count = 0;
  for (let i = 0; i < n; i++) {
    const o = i * 3;
    if (Math.abs((data[o]! + data[o + 1]! + data[o + 2]!) / 3 - level) > 1) continue;
    r += data[o]!;
    g += data[o + 1]!;
    b += data[o + 2]!;
    count++;
  }
  return count ? [r / count, g / count, b / count] : [level, level, level];
}

/**
 * The crop with its ruled lines painted the paper's colour, or the same crop when it has none. Shape (H, W, 3)
 * in and out.
 */
export function eraseRules(img: RgbImage, params: RuleParams = DEFAULT_RULES): RgbImage {
  const { data, width: w, height: h } = img;
  const minRun = params.minRunHeights * h;
  if (params.minRunHeights <= 0 || w < minRun) return img;
  const paper = paperColour(img);
  const inkBelow = (paper[0] + paper[1] + paper[2]) / 3 - params.inkContrast;
  const ink = new Uint8Array(w * h);
  for (let i = 0; i < w * h; i++) ink[i] = (data[i * 3]! + data[i * 3 + 1]! + data[i * 3 + 2]!) / 3 < inkBelow ? 1 : 0;
  // Thickness of the vertical ink run through each pixel.
  const thick = new Uint16Array(w * h);
  for (let x = 0; x < w; x++) {
    for (let y = 0; y < h; ) {
      if (!ink[y * w + x]) {
        y++;
        continue;
      }
      let end = y;
      while (end < h && ink[end * w + x]) end++;
      for (let k = y; k < end; k++) thick[k * w + x] = end - y;
      y = end;
    }
  }
  const maxThick = Math.max(1, Math.round(params.maxThickness * h));
  let out: Uint8Array | undefined;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; ) {
      if (!ink[y * w + x]) {
        x++;
        continue;
      }
      let end = x;
      while (end < w && ink[y * w + end]) end++;
      if (end - x >= minRun) {
        for (let k = x; k < end; k++) {
          if (thick[y * w + k]! > maxThick) continue;
          out ??= Uint8Array.from(data);
          const o = (y * w + k) * 3;
          out[o] = paper[0];
          out[o + 1] = paper[1];
          out[o + 2] = paper[2];
        }
      }
      x = end;
    }
  }
  return out ? { data: out, width: w, height: h } : img;
}

/** A line crop with its ruled lines painted out ({@link eraseRules}); the quad it was sampled from is unchanged. */
export function withoutRules<T extends { readonly image: RgbImage }>(crop: T, params: RuleParams = DEFAULT_RULES): T {
  const image = eraseRules(crop.image, params);
  return image === crop.image ? crop : { ...crop, image };
}

/**
 * The characters of a line with each "_" the recogniser read off a ruled line turned into a space: one whose frames
 * hold no ink once the rules are painted out (`clean`, from {@link eraseRules}). An underscore that is a glyph (a
 * short stroke, "BLR_WFLD") is no rule and stays.
 */
export function underlinesAsSpaces(chars: readonly CtcChar[], clean: RgbImage, frameWidth: number): readonly CtcChar[] {
  if (!chars.some((c) => c.char === '_')) return chars;
  const { dark, blankAbove } = columnInk(clean);
  return chars.map((c) => {
    if (c.char !== '_') return c;
    const x1 = Math.max(0, Math.floor(c.start * frameWidth));
    const x2 = Math.min(dark.length, Math.ceil((c.end + 1) * frameWidth));
    let blank = 0;
    for (let x = x1; x < x2; x++) if (dark[x]! > blankAbove) blank++;
    return blank * 2 >= x2 - x1 ? { ...c, char: ' ' } : c;
  });
}
