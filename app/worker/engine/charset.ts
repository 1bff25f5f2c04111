/**
 * Languages and the characters they allow. The default model reads Chinese and English; a page known to be
 * English should never come back with Chinese characters (a row of asterisks read as 水水水水 cost more CER than
 * any other single error on receipts), so the decoder is restricted to the chosen languages' scripts.
 */

import type { Language } from '../../common/languages.ts';

/** Latin script with its punctuation and symbols: what English (and most Western European) text uses. */
function isLatin(c: string): boolean {
  const cp = c.codePointAt(0)!;
  return (
    cp < 0x250 || // ASCII, Latin-1, Latin Extended-A/B
    (cp >= 0x2000 && cp <= 0x206f) || // general punctuation: dashes, quotes, bullets
    (cp >= 0x20a0 && cp <= 0x20cf) || // currency signs
    (cp >= 0x2100 && cp <= 0x214f) || // letterlike: №, ™
    (cp >= 0x2190 && cp <= 0x21ff) // arrows
  );
}

const HAN = /\p{Script=Han}/u;

/**
 * Class mask over `alphabet` (1 = allowed), or undefined when every class is allowed: with Chinese chosen, or
 * for a model that reads no Chinese at all (a Latin, Cyrillic or Arabic pack: the restriction exists to keep
 * Chinese out of English text, and such a model has nothing to keep out).
 */
export function allowedClasses(alphabet: readonly string[], languages: readonly Language[]): Uint8Array | undefined {
  if (languages.includes('zh') || !alphabet.some((c) => HAN.test(c))) return undefined;
  const mask = new Uint8Array(alphabet.length);
  alphabet.forEach((c, i) => {
    mask[i] = c === ' ' || (c !== '' && isLatin(c)) ? 1 : 0;
  });
  return mask;
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/**
 * Full-width forms (（，：) are right inside Chinese text and wrong inside Latin text: a word without CJK
 * characters gets them folded to their ASCII shapes.
 */
export function normaliseWord(word: string): string {
  if (CJK.test(word)) return word;
  return word.replace(/[\uff01-\uff5e]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

/**
 * Characters that one glyph can be in many fonts, told apart only by context: zero and the letter o, one and
 * the letters l and I (and the bar). Alone in a table cell the recogniser shares its probability among them.
 */
export const LOOKALIKES: readonly string[] = ['0oO', '1lI|'];

/** For each class of `alphabet`, the classes of its look-alike group (itself included), or undefined. */
export function lookalikeClasses(alphabet: readonly string[]): readonly (number[] | undefined)[] {
  // Asked for on every page with the recogniser's alphabet (up to 6,625 classes), which a worker keeps: made once.
  let out = lookalikesOf.get(alphabet);
  if (out) return out;
  out = new Array<number[] | undefined>(alphabet.length).fill(undefined);
  for (const group of LOOKALIKES) {
    const members = alphabet.flatMap((c, i) => (c.length === 1 && group.includes(c) ? [i] : []));
    if (members.length > 1) for (const i of members) out[i] = members;
  }
  lookalikesOf.set(alphabet, out);
  return out;
}

const lookalikesOf = new WeakMap<readonly string[], (number[] | undefined)[]>();
