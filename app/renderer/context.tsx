/**
 * What every view reads: the client, the live service state, the UI database and preferences, translation, and
 * a way to tell the person what happened (announced to screen readers).
 */
import { createContext, useCallback, useContext, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { OcrClient } from '../common/api/client.ts';
import type { Transport } from './client.ts';
import { resolveLanguage, translator, type Language, type Translate } from './i18n/i18n.ts';
import type { PageImages } from './lib/page-images.ts';
import type { UiDatabase } from './prefs/db.ts';
import { savePref, type Prefs } from './prefs/prefs.ts';
import type { ServiceState } from './state/service-state.ts';
import type { ServiceStore } from './state/service-store.ts';

export interface Notice {
  readonly id: number;
  readonly text: string;
  readonly tone: 'info' | 'error';
}

export interface AppContextValue {
  readonly client: OcrClient;
  readonly transport: Transport;
  readonly store: ServiceStore;
  readonly db: UiDatabase;
  readonly images: PageImages;
  readonly prefs: Prefs;
  readonly setPref: <K extends keyof Prefs>(key: K, value: Prefs[K]) => void;
  readonly language: Language;
  readonly t: Translate;
  readonly notices: readonly Notice[];
  readonly notify: (text: string, tone?: Notice['tone']) => void;
  readonly dismiss: (id: number) => void;
  /** Runs a service call; a failure becomes a notice with the service's own words. Resolves to undefined then. */
  readonly attempt: <T>(call: () => Promise<T>) => Promise<T | undefined>;
}

const AppContext = createContext<AppContextValue | null>(null);

let nextNotice = 1;

export function AppProvider(props: { client: OcrClient; transport: Transport; store: ServiceStore; db: UiDatabase; images: PageImages; initialPrefs: Prefs; children: ReactNode }): ReactNode {
  const { client, transport, store, db, images } = props;
  const [prefs, setPrefs] = useState(props.initialPrefs);
  const [notices, setNotices] = useState<readonly Notice[]>([]);
  const language = resolveLanguage(prefs.language, typeof navigator === 'undefined' ? [] : navigator.languages ?? [navigator.language]);
  const t = useMemo(() => translator(language), [language]);

  const setPref = useCallback(
    <K extends keyof Prefs>(key: K, value: Prefs[K]) => {
      setPrefs((p) => ({ ...p, [key]: value }));
      void savePref(db, key, value);
    },
    [db],
  );
  const dismiss = useCallback((id: number) => setNotices((n) => n.filter((x) => x.id !== id)), []);
  const notify = useCallback(
    (text: string, tone: Notice['tone'] = 'info') => {
      const id = nextNotice++;
      setNotices((n) => [...n.slice(-3), { id, text, tone }]);
      if (tone === 'info') setTimeout(() => dismiss(id), 6000);
    },
    [dismiss],
  );
  const attempt = useCallback(
    async <T,>(call: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await call();
      } catch (error) {
        notify(t('errorPrefix', { message: error instanceof Error ? error.message : String(error) }), 'error');
        return undefined;
      }
    },
    [notify, t],
  );

  const value = useMemo<AppContextValue>(
    () => ({ client, transport, store, db, images, prefs, setPref, language, t, notices, notify, dismiss, attempt }),
    [client, transport, store, db, images, prefs, setPref, language, t, notices, notify, dismiss, attempt],
  );
  return <AppContext.Provider value={value}>{props.children}</AppContext.Provider>;
}

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside AppProvider');
  return value;
}

/** The live service state; re-renders on every change. */
export function useServiceState(): ServiceState {
  const { store } = useApp();
  return useSyncExternalStore(store.subscribe, store.getState);
}
