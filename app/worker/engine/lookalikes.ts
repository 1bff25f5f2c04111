/**
 * Resolving look-alike characters (0/o/O, 1/l/I) from their context, which is all that tells them apart in many
 * fonts. A lone "0" or "1" in a table cell is one glyph that the recogniser, seeing nothing around it, reads as
 * often as "o" or "l" (a state-by-state table of counts lost 150 zeros that way): in a row of numbers the digit is
 * meant. Inside a word of letters, a 0 or 1 is the letter. No dictionary is involved. Pure functions.
 */
import type { Rect } from './layout.ts';

export interface LookalikeParams {
  /** Other lines of the row that must be numbers. @default 2 */
  readonly minNumbers: number;
  /** Share of the row's other lines that must be numbers. @default 0.5 */
  readonly minShare: number;
}

export const DEFAULT_LOOKALIKES: LookalikeParams = { minNumbers: 2, minShare: 0.5 };

/** The digit each look-alike letter stands for. */
const DIGIT_OF: Readonly<Record<string, string>> = { o: '0', O: '0', l: '1', I: '1', '|': '1' };

/** A number as tables print it: digits with grouping, decimal, sign, percent, currency or parentheses. */
const NUMBER = /^[(+\-−–$€£¥]*\d[\d.,' ]*[%)]*$/u;

/** Lines that share a row: they overlap vertically by at least half the shorter one's height. */
function sameRow(a: Rect, b: Rect): boolean {
  const overlap = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  return overlap >= 0.5 * Math.min(a.y2 - a.y1, b.y2 - b.y1);
}

/**
 * For each line, the text it should have: the digit for a lone look-alike letter standing in a row of numbers,
 * otherwise its own text.
 */
export function resolveLookalikes(lines: readonly { readonly text: string; readonly rect: Rect }[], params: LookalikeParams = DEFAULT_LOOKALIKES): string[] {
  return lines.map((line, i) => {
    const digit = DIGIT_OF[line.text];
    if (digit === undefined) return line.text;
    let others = 0;
    let numbers = 0;
    let alike = 0;
    lines.forEach((other, j) => {
      if (j === i || !sameRow(line.rect, other.rect)) return;
      others++;
      if (NUMBER.test(other.text)) numbers++;
      else if (DIGIT_OF[other.text] !== undefined) alike++;
    });
    // Other lone look-alikes of the row count towards its share (a row of zeros reads as "0 o 0 o"), but the
    // row must hold real numbers too.
    return numbers >= params.minNumbers && numbers + alike >= params.minShare * others ? digit : line.text;
  });
}

const LETTER = /\p{L}/u;
const DIGIT = /\p{Nd}/u;
const LOWER = /\p{Ll}/u;

/**
 * A word read with zeros and ones where its letters are: "INV0ICE", "Ja1an", "Leve1", "N0.". A run of 0s and 1s
 * becomes letters when it stands between letters, or ends a word after a letter (for 1s only after a lowercase
 * letter: "A1", "C1" are codes) and is not followed by a decimal point and digits ("S0.50"); a lone 0 before two or
 * more lowercase letters at a word's start is a capital O ("0ver"); never in a word
 * that holds other digits ("M026588", "T0049"). 0 becomes o or O and 1 becomes l or I after the case of the
 * letters around it.
 */
export function lettersForDigits(word: string): string {
  const c = [...word];
  if (!c.some((x) => x === '0' || x === '1') || !c.some((x) => LETTER.test(x))) return word;
  for (let i = 0; i < c.length; ) {
    if (c[i] !== '0' && c[i] !== '1') {
      i++;
      continue;
    }
    let j = i;
    while (j < c.length && (c[j] === '0' || c[j] === '1')) j++;
    const before = c[i - 1];
    const after = c[j];
    const otherDigits = c.some((x, k) => (k < i || k >= j) && DIGIT.test(x));
    const letterBefore = before !== undefined && LETTER.test(before);
    const between = letterBefore && after !== undefined && LETTER.test(after);
    const decimal = after !== undefined && /[.,]/.test(after) && DIGIT.test(c[j + 1] ?? '');
    const ending = letterBefore && (after === undefined || (!LETTER.test(after) && !DIGIT.test(after) && !decimal));
    if (!otherDigits) {
      if (startsLowercaseWord(c, i, j, letterBefore)) c[i] = 'O';
      else if (between || (ending && (c.slice(i, j).every((x) => x === '0') || LOWER.test(before!)))) {
        // Lowercase after a lowercase letter, or before one ("U1tra"); uppercase otherwise.
        const lower = LOWER.test(before!) || (after !== undefined && LOWER.test(after));
        for (let k = i; k < j; k++) c[k] = c[k] === '0' ? (lower ? 'o' : 'O') : lower ? 'l' : 'I';
      }
    }
    i = j;
  }
  return c.join('');
}

/** A lone 0 at `i` (run [i, j)) starting a word of two or more lowercase letters ("0ver"): a capital O. Ordinals ("0th") stay. */
function startsLowercaseWord(c: readonly string[], i: number, j: number, letterBefore: boolean): boolean {
  if (letterBefore || j !== i + 1 || c[i] !== '0') return false;
  const rest = c.slice(j).join('');
  return /^\p{Ll}{2,}/u.test(rest) && !/^(th|st|nd|rd)\b/u.test(rest);
}

/** Words that really do start with a lowercase l and a consonant: units. */
const L_UNITS = new Set(['lb', 'lbs', 'lm', 'lx']);
const UPPER = /\p{Lu}/u;
const CONSONANT = /[bcdfghjkmnpqrstvwxz]/u;

/**
 * A capital I read as a lowercase l, which most sans-serif fonts draw alike: "ltem", "lnclusive", "(lnvoice",
 * "lTEM", "SlMPLIFIED". An l becomes I where it starts a word and a lowercase consonant follows (no English, French,
 * Dutch or German word starts so, units such as "lb" aside), or where uppercase letters stand on both sides of it
 * (or after it, at the start of a word). Pure.
 */
export function capitalIForL(word: string): string {
  if (!word.includes('l')) return word;
  const c = [...word];
  const start = c.findIndex((x) => LETTER.test(x) || DIGIT.test(x));
  if (start < 0) return word;
  const unit = L_UNITS.has(c.slice(start).filter((x) => LETTER.test(x)).join(''));
  for (let i = start; i < c.length; i++) {
    if (c[i] !== 'l') continue;
    const before = i > start ? c[i - 1] : undefined;
    const after = c[i + 1];
    if (after === undefined || !LETTER.test(after)) continue;
    const inCapitals = UPPER.test(after) && (before === undefined || UPPER.test(before));
    const initial = before === undefined && CONSONANT.test(after) && !unit;
    if (inCapitals || initial) c[i] = 'I';
  }
  return c.join('');
}
