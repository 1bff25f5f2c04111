/** Languages OCR Desk can be told a page is in. The default model pack reads both. */
import { InvalidOptionError } from './errors.ts';

export const SUPPORTED_LANGUAGES = ['en', 'zh'] as const;
export type Language = (typeof SUPPORTED_LANGUAGES)[number];

/** English unless told otherwise: an English page must not come back with Chinese look-alikes. */
export const DEFAULT_LANGUAGES: readonly Language[] = ['en'];

/** Parses `en`, `zh`, `en,zh` (also `+` or spaces as separators). `source` names the flag or variable. */
export function parseLanguages(source: string, value: string): Language[] {
  const langs = value.split(/[,+\s]+/).filter(Boolean);
  for (const l of langs) {
    if (!(SUPPORTED_LANGUAGES as readonly string[]).includes(l)) {
      throw new InvalidOptionError(`Expected \`${source}\` to list languages from ${SUPPORTED_LANGUAGES.join(', ')}, got \`${l}\``);
    }
  }
  if (langs.length === 0) throw new InvalidOptionError(`Expected \`${source}\` to list at least one language, got none`);
  return [...new Set(langs)] as Language[];
}
