/**
 * Where the UI is, in the address's hash (`#/queue`, `#/library?q=total`, `#/library/12`, `#/library/12/edit?p=2`),
 * so Back and Forward work and a document (or a page in the result editor) can be linked to. Hash routing needs nothing from the server, and works from file:// in
 * the Electron window too.
 */
import { useEffect, useState } from 'react';
import { TABS, type Tab } from '../prefs/prefs.ts';

export interface Route {
  readonly tab: Tab;
  /** A document open in the library. */
  readonly documentId?: number;
  /** The library's search words. */
  readonly query?: string;
  /** The document is open in the result editor. */
  readonly edit?: boolean;
  /** The page shown in the editor (0-based). */
  readonly page?: number;
  /** The editor was opened from the review queue: it starts at the lowest-confidence word, and moves on in the queue's order. */
  readonly review?: boolean;
}

export function parseRoute(hash: string): Route | null {
  const [path = '', search = ''] = hash.replace(/^#\/?/, '').split('?');
  const [tab, id, mode] = path.split('/');
  if (!tab || !(TABS as readonly string[]).includes(tab)) return null;
  const params = new URLSearchParams(search);
  const query = params.get('q') ?? undefined;
  const documentId = tab === 'library' && id && /^\d+$/.test(id) ? Number(id) : undefined;
  const edit = documentId !== undefined && mode === 'edit';
  const p = params.get('p');
  const page = edit && p && /^\d+$/.test(p) ? Number(p) : undefined;
  const review = edit && params.get('review') === '1';
  return {
    tab: tab as Tab,
    ...(documentId !== undefined ? { documentId } : {}),
    ...(query ? { query } : {}),
    ...(edit ? { edit } : {}),
    ...(page !== undefined ? { page } : {}),
    ...(review ? { review } : {}),
  };
}

export function routeHash(route: Route): string {
  const path = route.documentId !== undefined ? `${route.tab}/${route.documentId}${route.edit ? '/edit' : ''}` : route.tab;
  const params = new URLSearchParams();
  if (route.query) params.set('q', route.query);
  if (route.edit && route.page !== undefined && route.page > 0) params.set('p', String(route.page));
  if (route.edit && route.review) params.set('review', '1');
  const search = params.toString().replace(/\+/g, '%20');
  return `#/${path}${search ? `?${search}` : ''}`;
}

/** The current route; without one in the address, the tab used last. */
export function useRoute(lastTab: Tab): [Route, (r: Route) => void] {
  const [route, setRoute] = useState<Route>(() => parseRoute(location.hash) ?? { tab: lastTab });
  useEffect(() => {
    const onHash = () => setRoute(parseRoute(location.hash) ?? { tab: 'queue' });
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const go = (r: Route) => {
    // Drawn at once (arrow keys on the tabs must not wait for the hashchange event), and put in the address.
    setRoute(r);
    const hash = routeHash(r);
    if (location.hash !== hash) location.hash = hash;
  };
  return [route, go];
}
