/**
 * Resolving look-alike characters from their row. A lone "0" or "1" in a table cell is one glyph that the
 * recogniser, seeing nothing around it, reads as often as "o" or "l" (a state-by-state table of counts lost 150
 * zeros that way). In a row of numbers the digit is meant. Only whole lines that are a single look-alike letter
 * are changed; words are never touched. Pure functions over upright line rectangles.
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
