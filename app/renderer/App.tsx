/** The window: a header (name, connection, theme and language), the sections as tabs, and notices. */
import { useEffect, type ReactNode } from 'react';
import { Tabs } from './components/Tabs.tsx';
import { useApp, useServiceState } from './context.tsx';
import { useRoute } from './lib/route.ts';
import { useTheme } from './theme.ts';
import { TABS, type LanguageChoice, type Tab, type ThemeChoice } from './prefs/prefs.ts';
import { HotFoldersView } from './views/hot-folders/HotFoldersView.tsx';
import { EditorView } from './views/editor/EditorView.tsx';
import { DocumentView } from './views/library/DocumentView.tsx';
import { LibraryView } from './views/library/LibraryView.tsx';
import { QueueView } from './views/queue/QueueView.tsx';
import { ReviewView } from './views/review/ReviewView.tsx';
import { DiagnosticsView } from './views/settings/DiagnosticsView.tsx';
import { SettingsView } from './views/settings/SettingsView.tsx';

function Notices(): ReactNode {
  const { notices, dismiss, t } = useApp();
  return (
    <div className="notices">
      <div role="status" aria-live="polite" className="notice-list">
        {notices
          .filter((n) => n.tone === 'info')
          .map((n) => (
            <p key={n.id} className="notice">
              {n.text}
            </p>
          ))}
      </div>
      <div role="alert" className="notice-list">
        {notices
          .filter((n) => n.tone === 'error')
          .map((n) => (
            <p key={n.id} className="notice error">
              <span>{n.text}</span>
              <button type="button" className="link-button" onClick={() => dismiss(n.id)}>
                {t('close')}
              </button>
            </p>
          ))}
      </div>
    </div>
  );
}

function Header(): ReactNode {
  const { t, prefs, setPref } = useApp();
  const { connection } = useServiceState();
  return (
    <header className="app-header">
      <div className="brand">
        <svg viewBox="0 0 24 24" aria-hidden="true" className="logo">
          <rect x="3.5" y="2.5" width="17" height="19" rx="2.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
          <path d="M7.5 8h9M7.5 12h9M7.5 16h5.5" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
        </svg>
        <h1>{t('appName')}</h1>
        <span className={`conn conn-${connection}`} role="status">
          {connection === 'lost' ? t('conn_lost') : t(`conn_${connection}`)}
        </span>
      </div>
      <div className="header-controls">
        <div className="inline-field">
          <label htmlFor="theme-choice">{t('theme')}</label>
          <select id="theme-choice" value={prefs.theme} onChange={(e) => setPref('theme', e.target.value as ThemeChoice)}>
            {(['system', 'light', 'dark'] as const).map((v) => (
              <option key={v} value={v}>
                {t(`theme_${v}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="inline-field">
          <label htmlFor="language-choice">{t('language')}</label>
          <select id="language-choice" value={prefs.language} onChange={(e) => setPref('language', e.target.value as LanguageChoice)}>
            <option value="system">{t('language_system')}</option>
            <option value="en" lang="en">
              English
            </option>
            <option value="zh" lang="zh-CN">
              简体中文
            </option>
          </select>
        </div>
      </div>
    </header>
  );
}

export function App(): ReactNode {
  const { t, prefs, setPref, language } = useApp();
  const [route, go] = useRoute(prefs.tab);
  const state = useServiceState();
  const failed = [...state.jobs.values()].filter((j) => j.state === 'failed').length;
  const active = [...state.jobs.values()].filter((j) => j.state === 'running' || j.state === 'queued').length;

  useEffect(() => {
    document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
    document.title = t('appName');
  }, [language, t]);
  useTheme(prefs.theme);
  useEffect(() => {
    if (route.tab !== prefs.tab) setPref('tab', route.tab);
  }, [route.tab, prefs.tab, setPref]);
  useEffect(() => {
    // A file dropped outside the drop zone must not replace the app with the file.
    const stop = (e: DragEvent) => e.preventDefault();
    window.addEventListener('dragover', stop);
    window.addEventListener('drop', stop);
    return () => {
      window.removeEventListener('dragover', stop);
      window.removeEventListener('drop', stop);
    };
  }, []);

  const badge = (tab: Tab) => {
    if (tab === 'queue' && active > 0) return <span className="badge">{active}</span>;
    if (tab === 'queue' && failed > 0) return <span className="badge error">{failed}</span>;
    return undefined;
  };

  return (
    <div className="app">
      <a className="skip" href="#main">
        {t('skipToContent')}
      </a>
      <Header />
      <nav className="app-nav" aria-label={t('sections')}>
        <Tabs idPrefix="main" label={t('sections')} items={TABS.map((id) => ({ id, label: t(`tab_${id}`), badge: badge(id) }))} selected={route.tab} onSelect={(tab) => go({ tab })} />
      </nav>
      <main id="main" className={`app-main${route.edit ? ' wide' : ''}`} tabIndex={-1}>
        <div id={`main-panel-${route.tab}`} className="panel" role="tabpanel" aria-labelledby={`main-tab-${route.tab}`}>
          {route.tab === 'queue' ? <QueueView /> : null}
          {route.tab === 'hot-folders' ? <HotFoldersView /> : null}
          {route.tab === 'library' && route.documentId !== undefined && route.edit ? <EditorView documentId={route.documentId} page={route.page} review={route.review ?? false} /> : null}
          {route.tab === 'library' && route.documentId !== undefined && !route.edit ? <DocumentView documentId={route.documentId} query={route.query} /> : null}
          {route.tab === 'library' && route.documentId === undefined ? <LibraryView query={route.query ?? ''} onQuery={(q) => go({ tab: 'library', ...(q ? { query: q } : {}) })} /> : null}
          {route.tab === 'review' ? <ReviewView /> : null}
          {route.tab === 'settings' ? <SettingsView /> : null}
          {route.tab === 'diagnostics' ? <DiagnosticsView /> : null}
        </div>
      </main>
      <Notices />
    </div>
  );
}
