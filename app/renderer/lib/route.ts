/**
 * Where the UI is, in the address's hash (`#/queue`, `#/library?q=total`, `#/library/12`), so Back and Forward
 * work and a document can be linked to. Hash routing needs nothing from the server, and works from file:// in
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
}

export function parseRoute(hash: string): Route | null {
  const [path = '', search = ''] = hash.replace(/^#\/?/, '').split('?');
  const [tab, id] = path.split('/');
  if (!tab || !(TABS as readonly string[]).includes(tab)) return null;
  const query = new URLSearchParams(search).get('q') ?? undefined;
  const documentId = tab === 'library' && id && /^\d+$/.test(id) ? Number(id) : undefined;
  return { tab: tab as Tab, ...(documentId !== undefined ? { documentId } : {}), ...(query ? { query } : {}) };
}

export function routeHash(route: Route): string {
  const path = route.documentId !== undefined ? `${route.tab}/${route.documentId}` : route.tab;
  return `#/${path}${route.query ? `?q=${encodeURIComponent(route.query)}` : ''}`;
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
