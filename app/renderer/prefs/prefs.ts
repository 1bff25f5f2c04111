/**
 * UI preferences: what they are, their defaults, and loading and saving them (Dexie). Unknown or damaged stored
 * values fall back to the defaults.
 */
import type { QueueFilter } from '../state/service-state.ts';
import { QUEUE_FILTERS } from '../state/service-state.ts';
import type { UiDatabase } from './db.ts';

export type ThemeChoice = 'system' | 'light' | 'dark';
export type LanguageChoice = 'system' | 'en' | 'zh';
export type Tab = 'queue' | 'hot-folders' | 'library' | 'settings' | 'diagnostics';
/** Languages of dropped files: `default` leaves them to the service's job defaults (Settings). */
export type UploadLanguages = 'default' | 'en' | 'zh' | 'en,zh';

export const TABS: readonly Tab[] = ['queue', 'hot-folders', 'library', 'settings', 'diagnostics'];
export const UPLOAD_LANGUAGES: readonly UploadLanguages[] = ['default', 'en', 'zh', 'en,zh'];

export interface Prefs {
  readonly theme: ThemeChoice;
  readonly language: LanguageChoice;
  readonly tab: Tab;
  readonly queueFilter: QueueFilter;
  readonly uploadLanguages: UploadLanguages;
}

export const DEFAULT_PREFS: Prefs = { theme: 'system', language: 'system', tab: 'queue', queueFilter: 'all', uploadLanguages: 'default' };

const ALLOWED: { readonly [K in keyof Prefs]: readonly Prefs[K][] } = {
  theme: ['system', 'light', 'dark'],
  language: ['system', 'en', 'zh'],
  tab: TABS,
  queueFilter: QUEUE_FILTERS,
  uploadLanguages: UPLOAD_LANGUAGES,
};

export async function loadPrefs(db: UiDatabase): Promise<Prefs> {
  const prefs: Record<string, unknown> = { ...DEFAULT_PREFS };
  try {
    for (const row of await db.prefs.toArray()) {
      const allowed = ALLOWED[row.key as keyof Prefs] as readonly unknown[] | undefined;
      if (allowed?.includes(row.value)) prefs[row.key] = row.value;
    }
  } catch {
    // IndexedDB unavailable (a private window): the defaults do.
  }
  return prefs as unknown as Prefs;
}

export async function savePref<K extends keyof Prefs>(db: UiDatabase, key: K, value: Prefs[K]): Promise<void> {
  await db.prefs.put({ key, value }).catch(() => undefined);
}
