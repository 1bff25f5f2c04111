/**
 * UI preferences: what they are, their defaults, and loading and saving them (Dexie). Unknown or damaged stored
 * values fall back to the defaults.
 */
import { DEFAULT_REVIEW_THRESHOLD } from '../../common/api/editing.ts';
import type { QueueFilter } from '../state/service-state.ts';
import { QUEUE_FILTERS } from '../state/service-state.ts';
import type { UiDatabase } from './db.ts';

export type ThemeChoice = 'system' | 'light' | 'dark';
export type LanguageChoice = 'system' | 'en' | 'zh';
export type Tab = 'queue' | 'hot-folders' | 'library' | 'review' | 'settings' | 'diagnostics';
/** Languages of dropped files: `default` leaves them to the service's job defaults (Settings). */
export type UploadLanguages = 'default' | 'en' | 'zh' | 'en,zh';

export const TABS: readonly Tab[] = ['queue', 'hot-folders', 'library', 'review', 'settings', 'diagnostics'];
/** Low-confidence thresholds a person can choose (the result editor and the review queue): 0.50 to 0.99. */
export const REVIEW_THRESHOLDS: readonly number[] = Array.from({ length: 50 }, (_, i) => Math.round(50 + i) / 100);
export const UPLOAD_LANGUAGES: readonly UploadLanguages[] = ['default', 'en', 'zh', 'en,zh'];

export interface Prefs {
  readonly theme: ThemeChoice;
  readonly language: LanguageChoice;
  readonly tab: Tab;
  readonly queueFilter: QueueFilter;
  readonly uploadLanguages: UploadLanguages;
  /** Words under this confidence are highlighted in the editor and counted by the review queue. */
  readonly reviewThreshold: number;
}

export const DEFAULT_PREFS: Prefs = { theme: 'system', language: 'system', tab: 'queue', queueFilter: 'all', uploadLanguages: 'default', reviewThreshold: DEFAULT_REVIEW_THRESHOLD };

const ALLOWED: { readonly [K in keyof Prefs]: readonly Prefs[K][] } = {
  theme: ['system', 'light', 'dark'],
  language: ['system', 'en', 'zh'],
  tab: TABS,
  queueFilter: QUEUE_FILTERS,
  uploadLanguages: UPLOAD_LANGUAGES,
  reviewThreshold: REVIEW_THRESHOLDS,
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
