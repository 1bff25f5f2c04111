/**
 * Words read as no word of the language, corrected from the recogniser's own runners-up: where the model was unsure
 * of a character (`SPECIPICATION`, its F read as P), the word is read again with that character's alternatives
 * (ctc.ts), and the most probable reading that is a word of the lexicon replaces it (`SPECIFICATION`). A word is
 * never changed to anything the model did not see as likely on those frames, and a word the model read surely, or
 * one already in the lexicon, stays as read. Names and codes mostly are not in it: a name read unsurely can become a
 * word (`Kall` → `Ball` where it was Mail), about one change in fifteen on the evaluation sets.
 *
 * Chosen on all evaluation sets at once (CER / word F1, off → on, with {@link joinWords}): sroie-dev
 * 0.0471 / 0.8811 → 0.0450 / 0.8930, funsd-dev 0.1217 / 0.8183 → 0.1197 / 0.8346, docs-dev 0.0125 → 0.0124;
 * docs-wide-dev (Dutch, French and German pages among them) and zh-dev unchanged. The values sit on a plateau
 * (README, "The engine's steps"). Words under four letters are left alone: there, most changes turned
 * abbreviations into words (`Amt` → `Ant`). Pure functions.
 */
import type { CtcChar } from './ctc.ts';
import type { CtcWord } from './words.ts';

export interface SpellingParams {
  /** Correct words against the page language's lexicon at all. @default true */
  readonly enabled: boolean;
  /** Fewest letters of a word that is corrected. @default 4 */
  readonly minLetters: number;
  /** Characters read with at least this probability are kept as read. @default 0.95 */
  readonly maxCharProb: number;
  /** Least probability of an alternative put in a character's place. @default 0.02 */
  readonly minAltProb: number;
  /** Most characters changed in one word. @default 2 */
  readonly maxChanges: number;
  /**
   * Fewest letters of each part of a word split in two that is joined again (see {@link joinWords}). Single letters
   * are mostly words or initials (`A RM` is not `ARM`, `Carol S.` not `Carols`).
   * @default 2
   */
  readonly joinMinLetters: number;
}

export const DEFAULT_SPELLING: SpellingParams = { enabled: true, minLetters: 4, maxCharProb: 0.95, minAltProb: 0.02, maxChanges: 2, joinMinLetters: 2 };

const LETTER = /^\p{L}$/u;
const LOWER = /\p{Ll}/u;
/** Most unsure characters of one word tried (the least sure): a garbled word does not cost a search of millions. */
const MAX_UNSURE = 8;
const UPPER = /\p{Lu}/u;

/**
 * A letter put in place `i` of a word, in the case the word calls for: lower case in a word whose other letters
 * (its first aside) are lower case, upper in one whose letters are all capitals. A first letter is a capital where
 * the word's other letters are, or where the model read a capital there (`Hames` → `Names`); otherwise it is as
 * the model offered it (`ltem` → `Item`). In a word of mixed case the letter is as offered.
 */
export function withCaseOfWord(letters: readonly string[], i: number, char: string): string {
  const rest = letters.filter((c, k) => k !== i && k !== 0 && LETTER.test(c));
  const allUpper = rest.length > 0 && rest.every((c) => UPPER.test(c));
  if (i === 0) return allUpper || UPPER.test(letters[0] ?? '') ? char.toUpperCase() : char;
  if (rest.length === 0) return char;
  if (rest.every((c) => LOWER.test(c))) return char.toLowerCase();
  if (allUpper && !LOWER.test(letters[0] ?? '')) return char.toUpperCase();
  return char;
}

/**
 * A word (its characters as decoded, punctuation around it allowed but no digit next to its letters) corrected to
 * the lexicon, or undefined where it stays as read. `lexicon` holds lower-case words.
 */
export function correctWord(chars: readonly CtcChar[], lexicon: ReadonlySet<string>, params: SpellingParams = DEFAULT_SPELLING): string | undefined {
  const text = chars.map((c) => c.char).join('');
  if ([...text].length !== chars.length) return undefined;
  const m = /^(|[^\p{L}]*[^\p{L}\p{N}])(\p{L}+)(|[^\p{L}\p{N}][^\p{L}]*)$/u.exec(text);
  if (!m) return undefined;
  const [, prefix = '', core = '', suffix = ''] = m;
  const letters = [...core];
  // Every character of the match is one CTC character: the prefix's code points come first.
  const first = [...prefix].length;
  if (letters.length < params.minLetters || lexicon.has(core.toLowerCase())) return undefined;
  const unsure = letters.flatMap((_, i) => {
    const c = chars[first + i]!;
    const alts = (c.alternatives ?? []).filter((a) => a.prob >= params.minAltProb && LETTER.test(a.char));
    return c.prob < params.maxCharProb && alts.length ? [{ i, prob: c.prob, alts }] : [];
  })
    // The search grows with unsure characters to the power of maxChanges: only the least sure are tried.
    .sort((a, b) => a.prob - b.prob)
    .slice(0, MAX_UNSURE)
    .sort((a, b) => a.i - b.i);
  let best: { text: string; score: number } | undefined;
  // Depth-first over the unsure characters in order: each kept as read or swapped, up to maxChanges swaps. The
  // score is the log of how much less likely the model found the swapped reading.
  const visit = (k: number, word: string[], changes: number, score: number) => {
    if (changes > 0) {
      const candidate = word.join('');
      if (lexicon.has(candidate.toLowerCase()) && (!best || score > best.score)) best = { text: candidate, score };
    }
    if (changes === params.maxChanges) return;
    for (let j = k; j < unsure.length; j++) {
      const u = unsure[j]!;
      for (const a of u.alts) {
        const next = [...word];
        next[u.i] = withCaseOfWord(letters, u.i, a.char);
        visit(j + 1, next, changes + 1, score + Math.log(a.prob / u.prob));
      }
    }
  };
  visit(0, letters, 0, 0);
  return best && prefix + best.text + suffix;
}

/**
 * Neighbouring words that are not both words of the lexicon but are one together, split where the word-gap rule
 * (words.ts) or the model put a space inside a word (`Fema le`, `OVE RALL`, `Invoi ce`, `Br and`), joined again.
 * Not where a lower-case letter meets a capital (`the Ist` is not `theist`), nor across digits. On the evaluation
 * sets: 16 words joined (funsd-dev 11, sroie-dev 5), none wrongly by the truth.
 */
export function joinWords(words: readonly CtcWord[], lexicon: ReadonlySet<string>, params: SpellingParams = DEFAULT_SPELLING): CtcWord[] {
  const n = params.joinMinLetters;
  const head = new RegExp(`^[^\\p{L}\\p{N}]*(\\p{L}{${n},})$`, 'u');
  const tail = new RegExp(`^(\\p{L}{${n},})[^\\p{L}\\p{N}]*$`, 'u');
  const out: CtcWord[] = [];
  for (const w of words) {
    const prev = out.at(-1);
    const a = prev && head.exec(prev.text)?.[1];
    const b = tail.exec(w.text)?.[1];
    const joinable = a && b && !(lexicon.has(a.toLowerCase()) && lexicon.has(b.toLowerCase())) && lexicon.has((a + b).toLowerCase()) && !(LOWER.test(a.at(-1)!) && UPPER.test(b[0]!));
    if (!prev || !joinable) {
      out.push(w);
      continue;
    }
    const chars = [...prev.chars, ...w.chars];
    out[out.length - 1] = {
      text: prev.text + w.text,
      chars,
      confidence: (prev.confidence * prev.chars.length + w.confidence * w.chars.length) / chars.length,
      start: prev.start,
      end: w.end,
    };
  }
  return out;
}
