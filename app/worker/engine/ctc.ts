/**
 * CTC decoding for the recognition model's output, shape (T, C) per line: greedy best path, with each character's
 * probability and frame span, then word boundaries. The model often emits no space between English words, so a
 * boundary is also placed where the blank run between two characters is much wider than the line's usual spacing.
 */

export interface CtcChar {
  readonly char: string;
  readonly prob: number;
  /** First and last frame (inclusive) of the character's run. */
  readonly start: number;
  readonly end: number;
}

export interface CtcWord {
  readonly text: string;
  readonly confidence: number;
  readonly start: number;
  readonly end: number;
}

/**
 * Greedy CTC decoding of one sequence. `probs` holds T×C values from `offset`; `alphabet[i]` is the character of
 * class i, with `alphabet[blank]` unused.
 */
export function ctcGreedy(
  probs: Float32Array,
  offset: number,
  frames: number,
  classes: number,
  alphabet: readonly string[],
  blank = 0,
): CtcChar[] {
  const out: { char: string; prob: number; start: number; end: number }[] = [];
  let prev = -1;
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
    if (best !== blank) {
      if (best === prev) {
        const last = out[out.length - 1]!;
        last.end = t;
        last.prob = Math.max(last.prob, bestP);
      } else {
        out.push({ char: alphabet[best] ?? '', prob: bestP, start: t, end: t });
      }
    }
    prev = best;
  }
  return out;
}

export interface WordSplitParams {
  /**
   * A gap between two characters' centres wider than this many times the line's median centre spacing
   * starts a new word. @default 1.6
   */
  readonly gapFactor: number;
  /** Gaps are only measured between characters for which this holds (no spaces inside CJK text). */
  readonly spaced: (c: string) => boolean;
}

const LATIN_LIKE = /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{N}\p{P}\p{S}]/u;

export const DEFAULT_WORD_SPLIT: WordSplitParams = { gapFactor: 1.6, spaced: (c) => LATIN_LIKE.test(c) };

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length ? s[s.length >> 1]! : 0;
};

/** Groups decoded characters into words at spaces the model emitted and at wide gaps. */
export function splitWords(chars: readonly CtcChar[], params: WordSplitParams = DEFAULT_WORD_SPLIT): CtcWord[] {
  const centre = (c: CtcChar) => (c.start + c.end) / 2;
  const spacings: number[] = [];
  for (let i = 1; i < chars.length; i++) {
    const a = chars[i - 1]!;
    const b = chars[i]!;
    if (a.char !== ' ' && b.char !== ' ') spacings.push(centre(b) - centre(a));
  }
  const pitch = Math.max(median(spacings), 1);
  const words: CtcWord[] = [];
  let cur: CtcChar[] = [];
  const flush = () => {
    if (!cur.length) return;
    const probs = cur.map((c) => c.prob);
    words.push({
      text: cur.map((c) => c.char).join(''),
      confidence: probs.reduce((s, p) => s + p, 0) / probs.length,
      start: cur[0]!.start,
      end: cur[cur.length - 1]!.end,
    });
    cur = [];
  };
  for (const c of chars) {
    if (c.char === ' ' || c.char.trim() === '') {
      flush();
      continue;
    }
    const prev = cur[cur.length - 1];
    if (prev && params.spaced(prev.char) && params.spaced(c.char) && centre(c) - centre(prev) > params.gapFactor * pitch) flush();
    cur.push(c);
  }
  flush();
  return words;
}
