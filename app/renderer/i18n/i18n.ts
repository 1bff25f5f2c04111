/**
 * Translation and formatting: the language follows the system (`navigator.language`) unless one is chosen; texts
 * come from the dictionaries, numbers and times are formatted for the language. A `(s)` in a text is a plural
 * ending, decided by the `count` value.
 */
import type { LanguageChoice } from '../prefs/prefs.ts';
import { en, type MessageKey, type Messages } from './messages-en.ts';
import { zh } from './messages-zh.ts';

export type Language = 'en' | 'zh';
export type Vars = Readonly<Record<string, string | number>>;
export type Translate = (key: MessageKey, vars?: Vars) => string;

const DICTIONARIES: Readonly<Record<Language, Messages>> = { en, zh };

/** The UI language: the choice, or the system's when it is Chinese, else English. */
export function resolveLanguage(choice: LanguageChoice, systemLanguages: readonly string[]): Language {
  if (choice !== 'system') return choice;
  for (const l of systemLanguages) {
    const lower = l.toLowerCase();
    if (lower.startsWith('zh')) return 'zh';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

/** A {@link Translate} for `language`; numbers in `vars` are formatted for it. */
export function translator(language: Language): Translate {
  const dict = DICTIONARIES[language];
  const numbers = new Intl.NumberFormat(language === 'zh' ? 'zh-CN' : 'en');
  return (key, vars) => {
    let text = dict[key] ?? en[key];
    if (!vars) return text;
    // English plurals: "file(s)" is "file" when `count` is 1, else "files".
    if (typeof vars.count === 'number') text = text.replaceAll('(s)', vars.count === 1 ? '' : 's');
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const v = vars[name];
      if (v === undefined) return whole;
      return typeof v === 'number' ? numbers.format(v) : v;
    });
  };
}

/** "1 min 20 s", "2 h 5 min", "45 s" (or the Chinese units). */
export function formatDuration(seconds: number, language: Language): string {
  const s = Math.max(0, Math.round(seconds));
  const [h, m, r] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const u = language === 'zh' ? { h: ' 小时', m: ' 分', s: ' 秒' } : { h: ' h', m: ' min', s: ' s' };
  if (h > 0) return `${h}${u.h} ${m}${u.m}`;
  if (m > 0) return r > 0 ? `${m}${u.m} ${r}${u.s}` : `${m}${u.m}`;
  return `${r}${u.s}`;
}

/** Pages per second with one or two significant decimals. */
export function formatRate(pagesPerSecond: number, language: Language): string {
  const digits = pagesPerSecond >= 10 ? 0 : pagesPerSecond >= 1 ? 1 : 2;
  return new Intl.NumberFormat(language === 'zh' ? 'zh-CN' : 'en', { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(pagesPerSecond);
}

export function formatBytes(bytes: number, language: Language): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${new Intl.NumberFormat(language === 'zh' ? 'zh-CN' : 'en', { maximumFractionDigits: i === 0 ? 0 : 1 }).format(v)} ${units[i]}`;
}

export function formatTime(iso: string, language: Language): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(language === 'zh' ? 'zh-CN' : 'en', { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}
