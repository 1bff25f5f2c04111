/**
 * The library: full-text search over every document (hits with the matching words in context), the newest
 * documents when nothing is searched, recent searches (kept in the UI database), and a selection to export.
 */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type { SearchHit } from '../../../common/api/resources.ts';
import { Snippet } from '../../components/Highlight.tsx';
import { useApp, useServiceState } from '../../context.tsx';
import { recentSearches, rememberSearch } from '../../prefs/db.ts';
import { ExportDialog, type ExportTarget } from './ExportDialog.tsx';

/** Documents listed when nothing is searched. */
const LISTED = 100;

export function LibraryView(props: { query: string; onQuery: (q: string) => void }): ReactNode {
  const { client, db, t, attempt } = useApp();
  const state = useServiceState();
  const [input, setInput] = useState(props.query);
  const [hits, setHits] = useState<readonly SearchHit[] | null>(null);
  const [recent, setRecent] = useState<readonly string[]>([]);
  const [selected, setSelected] = useState<ReadonlyMap<number, string>>(new Map());
  const [exporting, setExporting] = useState<readonly ExportTarget[] | null>(null);
  const q = props.query;

  useEffect(() => {
    void recentSearches(db).then(setRecent, () => undefined);
  }, [db]);

  useEffect(() => setInput(q), [q]);

  useEffect(() => {
    if (!q) return setHits(null);
    let live = true;
    void attempt(() => client.search({ q, limit: 100 })).then((r) => live && r && setHits(r.hits));
    return () => {
      live = false;
    };
    // Documents come and go (a deletion, a finished OCR): the hits are looked up again.
  }, [q, client, attempt, state.documents.size]);

  useEffect(() => {
    if (!q) return;
    void rememberSearch(db, q)
      .then(() => recentSearches(db))
      .then(setRecent, () => undefined);
  }, [q, db]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onQuery(input.trim());
  };
  const toggle = (id: number, name: string, on: boolean) =>
    setSelected((s) => {
      const next = new Map(s);
      if (on) next.set(id, name);
      else next.delete(id);
      return next;
    });

  const docs = [...state.documents.values()].filter((d) => d.state === 'done').sort((a, b) => b.id - a.id).slice(0, LISTED);
  const items: { id: number; name: string; detail: ReactNode }[] = hits
    ? hits.map((h) => ({ id: h.documentId, name: h.name, detail: <Snippet snippet={h.snippet} /> }))
    : docs.map((d) => ({ id: d.id, name: d.name, detail: t('pagesCount', { count: d.pageCount ?? d.pagesDone }) }));
  const allSelected = items.length > 0 && items.every((i) => selected.has(i.id));

  return (
    <div className="stack library">
      <form role="search" className="card search" onSubmit={submit}>
        <label htmlFor="library-q" className="search-label">
          {t('libSearchLabel')}
        </label>
        <div className="row">
          <input id="library-q" type="search" value={input} onChange={(e) => setInput(e.target.value)} placeholder={t('libSearchPlaceholder')} autoComplete="off" />
          <button type="submit" className="button primary">
            {t('libSearch')}
          </button>
        </div>
        {recent.length > 0 ? (
          <div className="recent" role="group" aria-label={t('recentSearches')}>
            <span className="muted">{t('recentSearchesLead')}</span>
            {recent.map((r) => (
              <button key={r} type="button" className="chip" onClick={() => props.onQuery(r)}>
                {r}
              </button>
            ))}
            <button type="button" className="link-button" onClick={() => void db.searches.clear().then(() => setRecent([]))}>
              {t('clearRecent')}
            </button>
          </div>
        ) : null}
      </form>

      <div className="toolbar">
        <h2 className="results-title" aria-live="polite">
          {hits ? (hits.length > 0 ? t('libHits', { count: hits.length, q }) : t('libNoHits', { q })) : t('libAllDocs')}
        </h2>
        <div className="row">
          {hits ? (
            <button type="button" className="button small quiet" onClick={() => props.onQuery('')}>
              {t('libShowAll')}
            </button>
          ) : null}
          <button type="button" className="button small" disabled={selected.size === 0} onClick={() => setExporting([...selected].map(([id, name]) => ({ id, name })))}>
            {t('exportSelected', { count: selected.size })}
          </button>
        </div>
      </div>

      {items.length === 0 && !hits ? <p className="empty">{t('libNoDocs')}</p> : null}
      {items.length > 0 ? (
        <ul className="card hits" aria-label={t('libAllDocs')}>
          <li className="hit select-all">
            <label className="choice">
              <input type="checkbox" checked={allSelected} onChange={(e) => setSelected(e.target.checked ? new Map(items.map((i) => [i.id, i.name])) : new Map())} />
              {t('selectAll')}
            </label>
          </li>
          {items.map((item) => (
            <li key={item.id} className="hit" data-document-id={item.id}>
              <input type="checkbox" aria-label={t('selectDoc', { name: item.name })} checked={selected.has(item.id)} onChange={(e) => toggle(item.id, item.name, e.target.checked)} />
              <div className="hit-main">
                <a className="hit-name" href={`#/library/${item.id}${q ? `?q=${encodeURIComponent(q)}` : ''}`}>
                  {item.name}
                </a>
                <p className="snippet">{item.detail}</p>
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      {exporting ? <ExportDialog documents={exporting} onClose={() => setExporting(null)} /> : null}
    </div>
  );
}
