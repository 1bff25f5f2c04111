/**
 * Find in the document: the matches of a query in every page as the draft leaves the open one, the match shown,
 * and stepping through them. A match on another page opens that page (saving this one first) and selects the first
 * match on it as it opens.
 */
import { useCallback, useMemo, useRef, useState } from 'react';
import type { OcrDocument, OcrPage } from '../../../common/result.ts';
import { useApp } from '../../context.tsx';
import { findMatches, type Match, type Selection } from './editor-model.ts';

export interface Find {
  readonly query: string;
  readonly matches: readonly Match[];
  /** The ids of the words matched on the open page. */
  readonly matchWords: ReadonlySet<string>;
  /** The match shown (-1 once the query changes: none yet). */
  readonly matchAt: number;
  readonly currentMatch: Match | undefined;
  /** "2 of 5", "Not found", or nothing. */
  readonly found: string;
  /** A new query: no match shown yet. */
  readonly search: (query: string) => void;
  readonly clear: () => void;
  /** Shows the i-th match (wrapping around), on its page. */
  readonly goMatch: (i: number) => void;
  /**
   * The selection for a page as it opens: the first match on it when the page was opened for a match; undefined
   * when it was not.
   */
  readonly openedFor: (base: OcrPage) => Selection | null | undefined;
}

export function useFind(args: {
  readonly saved: OcrDocument | null;
  /** The open page as its draft leaves it. */
  readonly page: OcrPage | null;
  readonly pageIndex: number;
  readonly selectAndReveal: (s: Selection | null) => void;
  readonly goTo: (page: number) => Promise<void>;
}): Find {
  const { t } = useApp();
  const { saved, page, pageIndex, selectAndReveal, goTo } = args;
  const [query, setQuery] = useState('');
  const [matchAt, setMatchAt] = useState(0);
  const wantMatch = useRef<number | null>(null);

  const searchPages = useMemo(() => (saved && page ? saved.pages.map((p) => (p.index === page.index ? page : p)) : []), [saved, page]);
  const matches = useMemo(() => findMatches(searchPages, query), [searchPages, query]);
  const matchWords = useMemo(() => new Set(matches.filter((m) => m.page === pageIndex).flatMap((m) => m.words)), [matches, pageIndex]);
  const currentMatch = matches[matchAt];

  const goMatch = useCallback(
    (i: number) => {
      if (matches.length === 0) return;
      const at = ((i % matches.length) + matches.length) % matches.length;
      setMatchAt(at);
      const m = matches[at]!;
      if (m.page === pageIndex) selectAndReveal(m.words[0] ? { kind: 'word', id: m.words[0] } : { kind: 'line', id: m.line });
      else {
        wantMatch.current = at;
        void goTo(m.page);
      }
    },
    [matches, pageIndex, selectAndReveal, goTo],
  );

  const openedFor = (base: OcrPage): Selection | null | undefined => {
    const m = wantMatch.current;
    wantMatch.current = null;
    if (m === null) return undefined;
    const match = findMatches([base], query)[0];
    return match ? { kind: 'word', id: match.words[0] ?? '' } : null;
  };

  return {
    query,
    matches,
    matchWords,
    matchAt,
    currentMatch,
    found: query.trim() ? (matches.length > 0 ? t('edSearchCount', { n: Math.max(0, matchAt) + 1, count: matches.length }) : t('edSearchNone')) : '',
    search: (q) => {
      setQuery(q);
      setMatchAt(-1);
    },
    clear: () => setQuery(''),
    goMatch,
    openedFor,
  };
}
