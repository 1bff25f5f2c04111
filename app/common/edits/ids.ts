/**
 * Line and word ids of an edited page: a line or word an edit adds takes the next free number, never one given
 * before on the page (the page's `lastIds` remembers the highest so far, deleted ones included).
 */
import type { OcrPage } from '../result.ts';

const numberOf = (id: string) => Number(id.slice(1));

/** The highest line and word numbers given on the page so far. */
export function lastIdsOf(page: OcrPage): { line: number; word: number } {
  let line = page.lastIds?.line ?? 0;
  let word = page.lastIds?.word ?? 0;
  for (const l of page.lines) {
    line = Math.max(line, numberOf(l.id));
    for (const w of l.words) word = Math.max(word, numberOf(w.id));
  }
  return { line, word };
}

/** The next free line and word ids while one edit is applied. */
export class Ids {
  line: number;
  word: number;
  constructor(page: OcrPage) {
    ({ line: this.line, word: this.word } = lastIdsOf(page));
  }
  nextLine = () => `l${++this.line}`;
  nextWord = () => `w${++this.word}`;
}
