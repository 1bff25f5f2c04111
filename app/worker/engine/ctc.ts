/**
 * CTC decoding for the recognition model's output, shape (T, C) per line: greedy best path, with each character's
 * probability and frame span.
 *
 * The model often emits no space between English words: the best path goes blank → next letter. But the space
 * class still gains probability on the blank frames of a real gap (typically 0.05–0.4, against < 0.01 inside a
 * word), so that probability is kept per character as `spaceBefore`, for words.ts to find the boundaries the path
 * dropped.
 */

export interface CtcChar {
  readonly char: string;
  readonly prob: number;
  /** First and last frame (inclusive) of the character's run. */
  readonly start: number;
  readonly end: number;
  /** Highest probability of the space class on the blank frames between the previous character and this one. */
  readonly spaceBefore: number;
  /**
   * Probability of the character's look-alike group (0/o/O, 1/l/I/|: see charset.ts lookalikeGroups) on the frame
   * where the character peaked; `prob` when it has none. A lone "0" in a table cell is shared out among its
   * look-alikes: the glyph is sure, the class is not.
   */
  readonly shapeProb: number;
  /**
   * The classes the model rated next on the frame where the character peaked, most probable first (at most
   * {@link MAX_ALTERNATIVES}, each at least {@link MIN_ALTERNATIVE_PROB}; never the space): what a word that is not
   * in the lexicon may be read as instead (spelling.ts).
   */
  readonly alternatives?: readonly Alternative[];
}

export interface Alternative {
  readonly char: string;
  readonly prob: number;
}

/** Most alternatives kept per character. */
export const MAX_ALTERNATIVES = 3;
/** Least probability of a kept alternative. */
export const MIN_ALTERNATIVE_PROB = 0.01;

/**
 * Greedy CTC decoding of one sequence. `probs` holds T×C values from `offset`; `alphabet[i]` is the character of
 * class i, with `alphabet[blank]` unused; `space` is the space class, or -1 if the model has none; `lookalikes[i]`
 * lists the classes that look like class i (itself included), if any; with `alternatives`, each character carries
 * its runners-up ({@link CtcChar.alternatives}).
 */
export function ctcGreedy(
  probs: Float32Array,
  offset: number,
  frames: number,
  classes: number,
  alphabet: readonly string[],
  {
    blank = 0,
    space = -1,
    lookalikes,
    alternatives = false,
  }: { blank?: number; space?: number; lookalikes?: readonly (readonly number[] | undefined)[]; alternatives?: boolean } = {},
): CtcChar[] {
  const out: { char: string; prob: number; start: number; end: number; spaceBefore: number; shapeProb: number; peak: number }[] = [];
  // Probability of class c's look-alike group (its classes, c included) on the frame at `base`.
  const shape = (base: number, c: number, p: number): number => {
    const group = lookalikes?.[c];
    if (!group) return p;
    let sum = 0;
    for (const k of group) sum += probs[base + k]!;
    return sum;
  };
  let prev = -1;
  let gapSpace = 0;
  for (let t = 0; t < frames; t++) {
    const base = offset + t * classes;
    let best = 0;
    let bestP = probs[base]!;
    for (let c = 1; c < classes; c++) {
      const p = probs[base + c]!;
      if (p > bestP) {
        bestP = p;
        best = c;
      }
    }
    if (best === blank) {
      if (space >= 0) gapSpace = Math.max(gapSpace, probs[base + space]!);
    } else if (best === prev) {
      const last = out[out.length - 1]!;
      last.end = t;
      if (bestP > last.prob) {
        last.prob = bestP;
        last.peak = t;
        last.shapeProb = shape(base, best, bestP);
      }
    } else {
      out.push({ char: alphabet[best] ?? '', prob: bestP, start: t, end: t, spaceBefore: gapSpace, shapeProb: shape(base, best, bestP), peak: t });
      gapSpace = 0;
    }
    prev = best;
  }
  // Only words that spelling.ts corrects need the runners-up: a scan of every class per character otherwise.
  if (!alternatives) return out.map(({ peak: _peak, ...c }) => c);
  return out.map(({ peak, ...c }) => ({ ...c, alternatives: alternativesAt(probs, offset + peak * classes, classes, alphabet, blank, space, c.char) }));
}

/** The runners-up of one frame (see {@link CtcChar.alternatives}). */
function alternativesAt(probs: Float32Array, base: number, classes: number, alphabet: readonly string[], blank: number, space: number, char: string): Alternative[] {
  const found: Alternative[] = [];
  for (let c = 0; c < classes; c++) {
    const p = probs[base + c]!;
    if (p < MIN_ALTERNATIVE_PROB || c === blank || c === space || alphabet[c] === char) continue;
    found.push({ char: alphabet[c] ?? '', prob: p });
  }
  return found.sort((a, b) => b.prob - a.prob).slice(0, MAX_ALTERNATIVES);
}
