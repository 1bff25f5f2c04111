/**
 * Chinese (and Japanese, Korean) text for full-text search. FTS5's unicode61 tokenizer has no idea where words
 * begin in scripts written without spaces: a run such as 白细胞计数 is one token, so only its start can be found
 * (白细胞 as a prefix), never 细胞 or 计数 inside it. node:sqlite cannot register a custom tokenizer, so the CJK
 * index (migration 4, `documents_cjk`) stores a rewritten text that unicode61 tokenizes usefully:
 *
 * - every run of CJK characters becomes its overlapping bigrams, then its last character alone
 *   (白细胞计数 → 白细 细胞 胞计 计数 数), each a token; a run of one character stays as it is;
 * - a CJK run is cut from the Latin letters and digits it touches (WBC白细胞 → WBC 白细 细胞 胞);
 * - everything else is left as it is.
 *
 * A query word is rewritten the same way ({@link cjkQueryTokens}), as a phrase of consecutive tokens: 细胞 is the
 * token 细胞, 白细胞 the phrase 白细 细胞, and a single character the prefix 细* (bigrams starting with it, and the
 * run-final unigram, so every occurrence is found). Any word of two or more characters inside a run is thereby
 * found, wherever it sits in the run.
 */

/** Scripts written without spaces between words. */
const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const CJK_RUNS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+/gu;
/** A query word split into CJK runs and the letters and digits between them. */
const SEGMENTS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+|[^\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+/gu;

/** The SQL function migration 4 and the store use to fill the CJK index (registered on each connection). */
export const CJK_INDEX_FUNCTION = 'ocr_desk_cjk_index';

export function hasCjk(text: string): boolean {
  return CJK_CHAR.test(text);
}

/** Tokens of one CJK run: its bigrams, then (`withLast`) its last character; a one-character run is itself. */
function runTokens(run: string, withLast: boolean): string[] {
  const chars = [...run];
  if (chars.length === 1) return chars;
  const tokens: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) tokens.push(chars[i]! + chars[i + 1]!);
  if (withLast) tokens.push(chars[chars.length - 1]!);
  return tokens;
}

/** The text stored in the CJK index for a document's text. */
export function cjkIndexText(text: string): string {
  return text.replace(CJK_RUNS, (run) => ` ${runTokens(run, true).join(' ')} `);
}

/**
 * The index tokens of one query word (letters and digits only, as unicode61 would cut it) for the CJK index, as a
 * phrase; the result's `prefix` says whether its last token matches as a prefix. `prefix` asks for a prefix match
 * of the word's end; `followed`: more words of the same phrase follow it.
 *
 * A CJK run followed by more (of the word, or of the phrase) ends where the text's run ends, so it gets its
 * run-final character, as the index has; a run that ends the query may continue in the text, so it is matched by
 * its bigrams alone, and a single final character as a prefix.
 */
export function cjkQueryTokens(word: string, { prefix, followed }: { prefix: boolean; followed: boolean }): { tokens: string[]; prefix: boolean } {
  const segments = word.match(SEGMENTS) ?? [];
  const tokens: string[] = [];
  let lastPrefix = prefix && !followed;
  segments.forEach((segment, i) => {
    const final = i === segments.length - 1 && !followed;
    if (!hasCjk(segment)) {
      tokens.push(segment);
      return;
    }
    tokens.push(...runTokens(segment, !final));
    if (final) lastPrefix = [...segment].length === 1;
  });
  return { tokens, prefix: lastPrefix };
}

/** Context around the first of `needles` in `text`, marked with [ and ], like FTS5's snippet(). */
export function textSnippet(text: string, needles: readonly string[], context = 12): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const lower = flat.toLowerCase();
  let at = -1;
  let needle = '';
  for (const n of needles) {
    const i = lower.indexOf(n.toLowerCase());
    if (i >= 0 && (at < 0 || i < at)) [at, needle] = [i, n];
  }
  if (at < 0) return flat.slice(0, 2 * context) + (flat.length > 2 * context ? '…' : '');
  const start = Math.max(0, at - context);
  const end = Math.min(flat.length, at + needle.length + context);
  return `${start > 0 ? '…' : ''}${flat.slice(start, at)}[${flat.slice(at, at + needle.length)}]${flat.slice(at + needle.length, end)}${end < flat.length ? '…' : ''}`;
}
