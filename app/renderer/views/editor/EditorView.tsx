/**
 * The result editor: a page beside its text, for checking what OCR read against the page and correcting it.
 *
 * - The picture with line and word boxes (PageCanvas), low-confidence words marked under a threshold a person
 *   chooses; the text in reading order beside it (TextPanel); selecting in one selects in the other.
 * - Corrections are edits (app/common/edits.ts) made on the page version loaded; undo and redo step through them;
 *   every change (and every key typed into a correction) is kept at once in the UI database as a draft, offered
 *   back after a crash or reload; saving sends them to the service as the page's next version, which every export
 *   then carries. A page saved elsewhere meanwhile is a conflict: the draft stays, and is applied to the new version
 *   on request.
 * - Keyboard first (HelpDialog's KEY_MAP): next/previous low-confidence word, accept, edit, undo, redo, pages,
 *   documents of the review queue, split, merge, reading order, boxes to read again, zoom, find.
 *
 * Performance marks for the tests: `ocr-desk:editor-open` (mount), `ocr-desk:editor-painted` (the page's picture on
 * screen under its boxes), `ocr-desk:editor-step` (a key that moved the selection, to the next frame painted).
 */
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { DocumentVersions } from '../../../common/api/editing.ts';
import type { DocumentDetail } from '../../../common/api/resources.ts';
import { insideQuad, quadCentre, type Edit } from '../../../common/edits.ts';
import type { OcrDocument, OcrPage, PageOrientation, Quad } from '../../../common/result.ts';
import { ConfirmDialog } from '../../components/Dialog.tsx';
import { useApp } from '../../context.tsx';
import { formatTime } from '../../i18n/i18n.ts';
import { routeHash } from '../../lib/route.ts';
import { dropDraft, loadDraft, saveDraft, type DraftRow } from '../../prefs/db.ts';
import { ExportDialog } from '../library/ExportDialog.tsx';
import {
  act,
  current,
  findMatches,
  lineOf,
  lowCount,
  lowestWord,
  movedOrder,
  newDraft,
  pendingEdits,
  redo,
  restore,
  stepLine,
  stepLow,
  stepWord,
  undo,
  wordsOf,
  type Action,
  type Draft,
  type Selection,
} from './editor-model.ts';
import { EditorHeader, EditorTools } from './EditorBars.tsx';
import { HelpDialog } from './HelpDialog.tsx';
import { HistoryDialog } from './HistoryDialog.tsx';
import { PageCanvas, type PageCanvasHandle, type View } from './PageCanvas.tsx';
import { RegionPanel, type RegionState } from './RegionPanel.tsx';
import { TextPanel } from './TextPanel.tsx';
import { TypingBox } from './TypingBox.tsx';

/** The page being edited: which one, and its draft. */
interface Editing {
  readonly documentId: number;
  readonly page: number;
  readonly draft: Draft;
}

interface Typing {
  readonly kind: 'word' | 'line';
  readonly id: string;
  readonly text: string;
  /** Taken up again from a kept draft: the cursor goes after the text rather than selecting it. */
  readonly restored?: boolean;
}

type DialogKind = 'help' | 'history' | 'export' | 'revert' | null;

const kindOf = (error: unknown): string | undefined => (error as { kind?: string } | null)?.kind;
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function hullOf(quads: readonly Quad[]): Quad | null {
  if (quads.length === 0) return null;
  const xs = quads.flatMap((q) => q.map((p) => p[0]));
  const ys = quads.flatMap((q) => q.map((p) => p[1]));
  const [x1, y1, x2, y2] = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  return [[x1, y1], [x2, y1], [x2, y2], [x1, y2]];
}

function boxOf(page: OcrPage, sel: Selection | null): Quad | null {
  if (!sel) return null;
  if (sel.kind === 'line') return page.lines.find((l) => l.id === sel.id)?.box ?? null;
  for (const l of page.lines) for (const w of l.words) if (w.id === sel.id) return w.box;
  return null;
}

/** The first page (in order) with a word under the threshold, else the first page. */
function firstLowPage(doc: OcrDocument, threshold: number): number {
  return doc.pages.find((p) => lowCount(p, threshold) > 0)?.index ?? doc.pages[0]?.index ?? 0;
}

export function EditorView(props: { documentId: number; page: number | undefined; review: boolean }): ReactNode {
  const { client, db, store, t, language, prefs, setPref, notify, attempt } = useApp();
  const { documentId } = props;
  const threshold = prefs.reviewThreshold;

  const [detail, setDetail] = useState<DocumentDetail | null>(null);
  const [saved, setSaved] = useState<OcrDocument | null>(null);
  const [history, setHistory] = useState<DocumentVersions | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [loadCount, setLoadCount] = useState(0);
  const [editing, setEditingState] = useState<Editing | null>(null);
  const [sel, setSelState] = useState<Selection | null>(null);
  const [typing, setTyping] = useState<Typing | null>(null);
  const [offer, setOffer] = useState<DraftRow | null>(null);
  const [conflict, setConflict] = useState<number | null>(null);
  const [saving, setSaving] = useState(false);
  const [drawing, setDrawing] = useState(false);
  const [region, setRegion] = useState<{ quad: Quad; state: RegionState } | null>(null);
  const [dialog, setDialog] = useState<DialogKind>(null);
  const [query, setQuery] = useState('');
  const [matchAt, setMatchAt] = useState(0);
  const [view, setView] = useState<View | null>(null);

  const canvas = useRef<PageCanvasHandle>(null);
  const findInput = useRef<HTMLInputElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  // The latest values, for handlers that run between renders (fast key repeats) and for the event hook.
  const editingRef = useRef<Editing | null>(null);
  const selRef = useRef<Selection | null>(null);
  const typingRef = useRef<Typing | null>(null);
  const knownVersion = useRef(0);
  const ownSave = useRef(false);
  const stepStarted = useRef<number | null>(null);
  const wantMatch = useRef<number | null>(null);
  typingRef.current = typing;

  const setEditing = (e: Editing | null) => {
    editingRef.current = e;
    setEditingState(e);
  };
  const select = (s: Selection | null) => {
    selRef.current = s;
    setSelState(s);
  };

  useEffect(() => {
    performance.mark('ocr-desk:editor-open', { detail: { documentId } });
  }, [documentId]);

  // The document, its result and its versions.
  useEffect(() => {
    let live = true;
    setProblem(null);
    setDetail(null);
    setSaved(null);
    setHistory(null);
    (async () => {
      const d = await client.getDocument({ documentId });
      if (!live) return;
      setDetail(d);
      if (d.state !== 'done') return;
      const [r, v] = await Promise.all([client.getResult({ documentId }), client.getVersions({ documentId })]);
      if (!live) return;
      setSaved(r);
      setHistory(v);
    })().catch((e: unknown) => live && setProblem(messageOf(e)));
    return () => {
      live = false;
    };
  }, [client, documentId, loadCount]);

  const pageCount = saved?.pages.length ?? 0;
  const requested = props.page ?? (props.review && saved ? firstLowPage(saved, threshold) : 0);
  const pageIndex = Math.max(0, Math.min(Math.max(0, pageCount - 1), requested));
  const pageKey = `${documentId}:${pageIndex}:${loadCount}`;

  // A page to edit: its saved version, and any draft kept for it (offered back, never silently dropped).
  const loadedKey = useRef('');
  useEffect(() => {
    // The result and versions of this document (those of the one before are still there until they arrive).
    if (!saved || !history || history.documentId !== documentId) return;
    if (loadedKey.current === pageKey) return;
    const base = saved.pages.find((p) => p.index === pageIndex);
    if (!base) return;
    loadedKey.current = pageKey;
    const version = history.pages.find((h) => h.page === pageIndex)?.version ?? 0;
    knownVersion.current = version;
    setEditing({ documentId, page: pageIndex, draft: newDraft(version, base) });
    setTyping(null);
    setRegion(null);
    setDrawing(false);
    setConflict(null);
    setOffer(null);
    const m = wantMatch.current;
    wantMatch.current = null;
    if (m !== null) {
      const match = findMatches([base], query)[0];
      select(match ? { kind: 'word', id: match.words[0] ?? '' } : null);
    } else if (props.review) {
      const lowest = lowestWord(base);
      select(lowest && lowCount(base, threshold) > 0 ? { kind: 'word', id: lowest } : null);
    } else select(null);
    void loadDraft(db, documentId, pageIndex).then((row) => {
      if (row && loadedKey.current === pageKey && (row.done.length > 0 || row.typing)) setOffer(row);
    });
    // Once per page: later changes of the result and versions are the draft's own (a save), not a new page.
  }, [saved, history, pageKey]);

  // Every change of the draft, and every key typed into a correction, is kept at once.
  useEffect(() => {
    if (!editing || offer) return; // a kept draft not yet answered must not be overwritten
    const d = editing.draft;
    const mine = typing && boxOf(current(d), typing) ? { kind: typing.kind, id: typing.id, text: typing.text } : null;
    if (d.done.length > 0 || mine) {
      void saveDraft(db, { documentId: editing.documentId, page: editing.page, baseVersion: d.baseVersion, done: d.done, undone: d.undone, typing: mine, updatedAt: Date.now() });
    } else void dropDraft(db, editing.documentId, editing.page);
  }, [db, editing, typing, offer]);

  const page = editing ? current(editing.draft) : null;
  const pending = editing ? pendingEdits(editing.draft).length : 0;

  // ---- actions ----

  const doEdits = useCallback(
    (edits: Edit[], next?: Selection | null): boolean => {
      const e = editingRef.current;
      if (!e) return false;
      try {
        setEditing({ ...e, draft: act(e.draft, { edits }) });
      } catch (error) {
        notify(messageOf(error), 'error');
        return false;
      }
      if (next !== undefined) select(next);
      return true;
    },
    [notify],
  );

  const save = useCallback(async (): Promise<boolean> => {
    const e = editingRef.current;
    if (!e) return true;
    const edits = pendingEdits(e.draft);
    if (edits.length === 0) return true;
    setSaving(true);
    ownSave.current = true;
    try {
      const r = await client.editPage({ documentId: e.documentId, page: e.page, baseVersion: e.draft.baseVersion, edits });
      knownVersion.current = r.version;
      const now = editingRef.current;
      if (now && now.documentId === e.documentId && now.page === e.page) {
        // Whatever was done while saving stays a draft on the new version; a save is where redo ends.
        const later = now.draft.done.slice(e.draft.done.length);
        setEditing({ ...now, draft: restore(r.version, r.page, later, []).draft });
      }
      setSaved((doc) => (doc ? { ...doc, pages: doc.pages.map((p) => (p.index === e.page ? r.page : p)) } : doc));
      setConflict(null);
      void client.getVersions({ documentId: e.documentId }).then(setHistory, () => undefined);
      return true;
    } catch (error) {
      if (kindOf(error) === 'edit-conflict') {
        const v = await client.getVersions({ documentId: e.documentId }).catch(() => null);
        setConflict(v?.pages.find((p) => p.page === e.page)?.version ?? e.draft.baseVersion + 1);
      } else notify(t('errorPrefix', { message: messageOf(error) }), 'error');
      return false;
    } finally {
      ownSave.current = false;
      setSaving(false);
    }
  }, [client, notify, t]);

  /** Loads the page's saved version again; with `keep`, the draft's actions are applied to it. */
  const reloadPage = useCallback(
    async (keep: boolean) => {
      const e = editingRef.current;
      if (!e) return;
      const [p, v] = await Promise.all([client.getPage({ documentId: e.documentId, page: e.page }), client.getVersions({ documentId: e.documentId })]);
      const version = v.pages.find((h) => h.page === e.page)?.version ?? 0;
      knownVersion.current = version;
      const { draft, dropped } = restore(version, p, keep ? e.draft.done : [], []);
      setEditing({ ...e, draft });
      setSaved((doc) => (doc ? { ...doc, pages: doc.pages.map((x) => (x.index === e.page ? p : x)) } : doc));
      setHistory(v);
      setConflict(null);
      if (dropped > 0) notify(t('edDraftDropped', { count: dropped }), 'error');
      const s = selRef.current;
      if (s && !boxOf(current(draft), s)) select(null);
    },
    [client, notify, t],
  );

  // A page saved elsewhere (another window, the API): reloaded when nothing is pending, else a conflict to resolve.
  useEffect(() => {
    const hook = (ev: Parameters<typeof store.eventHooks.add>[0] extends (e: infer E) => void ? E : never) => {
      if (ev.type !== 'page-edited' || ev.documentId !== documentId || ownSave.current) return;
      const e = editingRef.current;
      if (!e || ev.page !== e.page) {
        void client.getVersions({ documentId }).then(setHistory, () => undefined);
        return;
      }
      if (ev.version <= Math.max(knownVersion.current, e.draft.baseVersion)) return;
      if (pendingEdits(e.draft).length === 0 && !typingRef.current) {
        void reloadPage(false).then(() => notify(t('edSavedElsewhere', { version: ev.version })));
      } else setConflict(ev.version);
    };
    store.eventHooks.add(hook);
    return () => void store.eventHooks.delete(hook);
  }, [store, client, documentId, reloadPage, notify, t]);

  const goTo = useCallback(
    async (pageTo: number, documentTo = documentId) => {
      if (!(await save())) return;
      location.hash = routeHash({ tab: 'library', documentId: documentTo, edit: true, page: pageTo, ...(props.review ? { review: true } : {}) });
    },
    [save, documentId, props.review],
  );

  const nextDocument = useCallback(async () => {
    if (!(await save())) return;
    const queue = await attempt(() => client.reviewQueue({ threshold, limit: 1000 }));
    if (!queue) return;
    const at = queue.documents.findIndex((d) => d.documentId === documentId);
    const next = queue.documents.slice(at + 1).find((d) => d.documentId !== documentId) ?? (at < 0 ? queue.documents[0] : undefined);
    if (!next) return notify(t('edReviewDone'));
    location.hash = routeHash({ tab: 'library', documentId: next.documentId, edit: true, review: true });
  }, [save, attempt, client, threshold, documentId, notify, t]);

  // ---- selection ----

  const selectAndReveal = useCallback((s: Selection | null, reveal = true) => {
    select(s);
    const p = editingRef.current && current(editingRef.current.draft);
    const box = p && boxOf(p, s);
    if (box && reveal) canvas.current?.reveal(box);
  }, []);

  // A step's time: from the key to the frame that shows it.
  useEffect(() => {
    const started = stepStarted.current;
    if (started === null) return;
    stepStarted.current = null;
    requestAnimationFrame(() =>
      setTimeout(() => {
        const ms = performance.now() - started;
        performance.mark('ocr-desk:editor-step', { detail: { ms } });
      }, 0),
    );
    // Focus follows the selection inside the text panel (roving tab stop).
    const active = document.activeElement;
    if (sel && active && panel.current?.contains(active) && active.tagName === 'BUTTON') {
      const el = panel.current.querySelector<HTMLElement>(sel.kind === 'word' ? `[data-word-id="${sel.id}"]` : `[data-line-id="${sel.id}"] .ed-line-no`);
      el?.focus();
    }
  }, [sel]);

  const startEditing = useCallback((target: Selection | null) => {
    const p = editingRef.current && current(editingRef.current.draft);
    if (!p || !target) return;
    const text = target.kind === 'word' ? wordsOf(p).find((w) => w.word.id === target.id)?.word.text : p.lines.find((l) => l.id === target.id)?.text;
    if (text === undefined) return;
    select(target);
    const box = boxOf(p, target);
    if (box) canvas.current?.reveal(box);
    setTyping({ kind: target.kind, id: target.id, text });
  }, []);

  const finishTyping = useCallback(
    (apply: boolean) => {
      const typed = typingRef.current;
      setTyping(null);
      typingRef.current = null;
      canvas.current?.focus();
      if (!apply || !typed) return;
      const p = editingRef.current && current(editingRef.current.draft);
      if (!p) return;
      const text = typed.text.trim();
      const before = typed.kind === 'word' ? wordsOf(p).find((w) => w.word.id === typed.id)?.word.text : p.lines.find((l) => l.id === typed.id)?.text;
      if (before === undefined || text === before) return;
      if (text === '') doEdits([typed.kind === 'word' ? { op: 'delete-word', word: typed.id } : { op: 'delete-line', line: typed.id }], null);
      else doEdits([typed.kind === 'word' ? { op: 'set-word-text', word: typed.id, text } : { op: 'set-line-text', line: typed.id, text }]);
    },
    [doEdits],
  );

  const accept = useCallback(() => {
    const s = selRef.current;
    const p = editingRef.current && current(editingRef.current.draft);
    if (!s || !p) return;
    const edit: Edit = s.kind === 'word' ? { op: 'accept-word', word: s.id } : { op: 'accept-line', line: s.id };
    if (!doEdits([edit])) return;
    const after = current(editingRef.current!.draft);
    const next = stepLow(after, s, threshold, 1);
    if (next) selectAndReveal({ kind: 'word', id: next });
    else notify(t('edNoLowLeft'));
  }, [doEdits, threshold, selectAndReveal, notify, t]);

  const remove = useCallback(() => {
    const s = selRef.current;
    const p = editingRef.current && current(editingRef.current.draft);
    if (!s || !p) return;
    const next = s.kind === 'word' ? stepWord(p, s, 1) : stepLine(p, s, 1);
    const ok = doEdits([s.kind === 'word' ? { op: 'delete-word', word: s.id } : { op: 'delete-line', line: s.id }]);
    if (!ok) return;
    const after = current(editingRef.current!.draft);
    select(next && boxOf(after, { kind: s.kind, id: next }) ? { kind: s.kind, id: next } : null);
  }, [doEdits]);

  const split = useCallback(() => {
    const s = selRef.current;
    const p = editingRef.current && current(editingRef.current.draft);
    if (!s || s.kind !== 'word' || !p) return;
    const line = lineOf(p, s);
    if (line) doEdits([{ op: 'split-line', line: line.id, word: s.id }]);
  }, [doEdits]);

  const merge = useCallback(() => {
    const s = selRef.current;
    const p = editingRef.current && current(editingRef.current.draft);
    const line = p && lineOf(p, s);
    if (!p || !line) return;
    const next = p.lines[p.lines.indexOf(line) + 1];
    if (next) doEdits([{ op: 'merge-lines', lines: [line.id, next.id] }]);
  }, [doEdits]);

  const moveLine = useCallback(
    (dir: 1 | -1) => {
      const p = editingRef.current && current(editingRef.current.draft);
      const line = p && lineOf(p, selRef.current);
      if (!p || !line) return;
      const order = movedOrder(p, line.id, dir);
      if (order) doEdits([{ op: 'reorder-lines', lines: order }], { kind: 'line', id: line.id });
    },
    [doEdits],
  );

  const undoAction = useCallback(() => {
    const e = editingRef.current;
    if (!e || e.draft.done.length === 0) return;
    setEditing({ ...e, draft: undo(e.draft) });
    const s = selRef.current;
    if (s && !boxOf(current(undo(e.draft)), s)) select(null);
  }, []);

  const redoAction = useCallback(() => {
    const e = editingRef.current;
    if (!e || e.draft.undone.length === 0) return;
    try {
      setEditing({ ...e, draft: redo(e.draft) });
    } catch (error) {
      notify(messageOf(error), 'error');
    }
  }, [notify]);

  // ---- regions ----

  const openRegion = useCallback((quad: Quad) => {
    const p = editingRef.current && current(editingRef.current.draft);
    setDrawing(false);
    setRegion({ quad, state: { rotation: (p?.orientation ?? 0) as PageOrientation, reading: false, proposal: null, problem: null } });
  }, []);

  const readRegion = useCallback(async () => {
    const e = editingRef.current;
    if (!e || !region) return;
    const quad = region.quad;
    setRegion((r) => (r ? { ...r, state: { ...r.state, reading: true, problem: null, proposal: null } } : r));
    try {
      const found = await client.recogniseRegion({ documentId: e.documentId, page: e.page, quad, rotation: region.state.rotation });
      setRegion((r) => (r && r.quad === quad ? { ...r, state: { ...r.state, reading: false, proposal: found.lines } } : r));
    } catch (error) {
      setRegion((r) => (r && r.quad === quad ? { ...r, state: { ...r.state, reading: false, problem: messageOf(error) } } : r));
    }
  }, [client, region]);

  // ---- search ----

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

  /** Selects a word as a step of the keyboard (timed), or says why there is none. */
  const stepTo = useCallback(
    (id: string | undefined, none?: string) => {
      if (!id) {
        if (none) notify(none);
        return;
      }
      stepStarted.current = performance.now();
      selectAndReveal({ kind: 'word', id });
    },
    [notify, selectAndReveal],
  );

  const rewrite = useCallback(async () => {
    if (!(await save())) return;
    const r = await attempt(() => client.rewriteOutputs({ documentId }));
    if (!r) return;
    notify(r.written.length > 0 ? t('edRewriteDone', { count: r.written.length }) : t('edRewriteNone'));
    for (const s of r.skipped) notify(t('edRewriteSkipped', { path: s.path, reason: s.reason }), 'error');
  }, [save, attempt, client, documentId, notify, t]);

  // ---- keys ----

  const onKeyDown = (ev: globalThis.KeyboardEvent) => {
    const target = ev.target as HTMLElement;
    // Fields, dialogs and the window's header keep their keys; everywhere else in the window they are the editor's.
    if (ev.defaultPrevented || dialog || target.closest('input, textarea, select, dialog, .app-header, .app-nav')) return;
    const p = editingRef.current && current(editingRef.current.draft);
    if (!p) return;
    const k = ev.key;
    const ctrl = ev.ctrlKey || ev.metaKey;
    const s = selRef.current;
    const step = stepTo;
    let handled = true;
    if (ctrl && (k === 'z' || k === 'Z')) (ev.shiftKey ? redoAction : undoAction)();
    else if (ctrl && (k === 'y' || k === 'Y')) redoAction();
    else if (ctrl && (k === 's' || k === 'S')) void save();
    else if (ctrl && (k === 'f' || k === 'F')) findInput.current?.focus();
    else if (ctrl) handled = false;
    else if (ev.altKey && (k === 'ArrowUp' || k === 'ArrowDown')) moveLine(k === 'ArrowUp' ? -1 : 1);
    else if (ev.altKey) handled = false;
    else if ((k === 'Enter' || k === ' ') && target.closest('a, button') && !target.dataset.wordId && !target.classList.contains('ed-line-no')) handled = false;
    else {
      switch (k) {
        case 'n':
          step(stepLow(p, s, threshold, 1), t('edNoLowLeft'));
          break;
        case 'N':
          step(stepLow(p, s, threshold, -1), t('edNoLowBefore'));
          break;
        case 'w':
        case 'W':
          step(lowestWord(p));
          break;
        case 'ArrowRight':
          step(stepWord(p, s, 1));
          break;
        case 'ArrowLeft':
          step(stepWord(p, s, -1));
          break;
        case 'ArrowDown':
        case 'ArrowUp': {
          const line = p.lines.find((l) => l.id === stepLine(p, s, k === 'ArrowDown' ? 1 : -1));
          const first = line?.words[0];
          if (first) step(first.id);
          break;
        }
        case 'a':
        case 'A':
          accept();
          break;
        case 'Enter':
          if (ev.shiftKey) {
            const line = lineOf(p, s);
            if (line) startEditing({ kind: 'line', id: line.id });
          } else startEditing(s);
          break;
        case 'F2':
          startEditing(s);
          break;
        case 'l':
        case 'L': {
          const line = lineOf(p, s);
          if (line) selectAndReveal({ kind: 'line', id: line.id });
          break;
        }
        case 'Delete':
        case 'Backspace':
          remove();
          break;
        case 's':
          split();
          break;
        case 'm':
          merge();
          break;
        case 'r':
          setDrawing((d) => !d);
          break;
        case 'R': {
          const box = boxOf(p, s && s.kind === 'word' ? { kind: 'line', id: lineOf(p, s)?.id ?? '' } : s);
          if (box) openRegion(box);
          break;
        }
        case 'PageDown':
          if (ev.shiftKey) void nextDocument();
          else if (pageIndex + 1 < pageCount) void goTo(pageIndex + 1);
          break;
        case 'PageUp':
          if (pageIndex > 0) void goTo(pageIndex - 1);
          break;
        case '+':
        case '=':
          canvas.current?.zoomBy(1.25);
          break;
        case '-':
          canvas.current?.zoomBy(0.8);
          break;
        case '0':
          canvas.current?.fitPage();
          break;
        case '/':
          findInput.current?.focus();
          break;
        case '?':
          setDialog('help');
          break;
        case 'Escape':
          if (drawing) setDrawing(false);
          else if (region) setRegion(null);
          else select(null);
          break;
        default:
          handled = false;
      }
    }
    if (handled) ev.preventDefault();
  };

  const keys = useRef(onKeyDown);
  keys.current = onKeyDown;
  useEffect(() => {
    const listener = (ev: globalThis.KeyboardEvent) => keys.current(ev);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);

  // ---- draft offered back ----

  const restoreOffer = () => {
    const e = editingRef.current;
    if (!offer || !e) return;
    const { draft, dropped } = restore(e.draft.baseVersion, e.draft.base, offer.done as Action[], offer.undone as Action[]);
    setEditing({ ...e, draft });
    if (dropped > 0) notify(t('edDraftDropped', { count: dropped }), 'error');
    const typed = offer.typing;
    setOffer(null);
    if (typed && boxOf(current(draft), typed)) {
      select({ kind: typed.kind, id: typed.id });
      setTyping({ ...typed, restored: true });
    }
  };
  const discardOffer = () => {
    setOffer(null);
    void dropDraft(db, documentId, pageIndex);
  };

  // ---- rendering ----

  const onPainted = useCallback(() => {
    performance.mark('ocr-desk:editor-painted', { detail: { documentId, page: pageIndex } });
    const p = editingRef.current && current(editingRef.current.draft);
    const box = p && boxOf(p, selRef.current);
    if (box) canvas.current?.reveal(box);
  }, [documentId, pageIndex]);
  const onCanvasSelect = useCallback((s: Selection | null) => selectAndReveal(s, false), [selectAndReveal]);
  const onPanelSelect = useCallback((s: Selection) => selectAndReveal(s), [selectAndReveal]);
  const lineLabel = useCallback((n: number) => t('edLineN', { n }), [t]);

  if (problem) {
    return (
      <div className="stack">
        <a className="link back" href={`#/library/${documentId}`}>
          {t('edBack')}
        </a>
        <p className="problem" role="alert">
          {problem}
        </p>
      </div>
    );
  }
  if (detail && detail.state !== 'done') {
    return (
      <div className="stack">
        <a className="link back" href={`#/library/${documentId}`}>
          {t('edBack')}
        </a>
        <p className="empty">{t('edNotDone', { state: t(`state_${detail.state}`) })}</p>
      </div>
    );
  }
  if (!detail || !saved || !history || !editing || !page) return <p className="empty">{t('loading')}</p>;

  const pageHistory = history.pages.find((h) => h.page === pageIndex);
  const selectedBox = boxOf(page, sel);
  const low = lowCount(page, threshold);
  const selWord = sel?.kind === 'word' ? wordsOf(page).find((w) => w.word.id === sel.id) : undefined;
  const selLine = lineOf(page, sel);
  const status = selWord
    ? t('edSelectedWord', { text: selWord.word.text, n: selWord.line.words.indexOf(selWord.word) + 1, line: page.lines.indexOf(selWord.line) + 1, percent: Math.round(selWord.word.confidence * 100) })
    : selLine
      ? t('edSelectedLine', { line: page.lines.indexOf(selLine) + 1, text: selLine.text })
      : t('edNothingSelected');
  const versionText = pending > 0 ? t('edUnsaved', { count: pending }) : editing.draft.baseVersion === 0 ? t('edOriginal') : t('edSavedVersion', { version: editing.draft.baseVersion });
  const inside = region ? page.lines.filter((l) => insideQuad(region.quad, quadCentre(l.box))).length : 0;
  const typingBox = typing ? boxOf(page, typing) : null;

  return (
    <div className="editor" data-testid="editor" data-page={pageIndex} data-version={editing.draft.baseVersion} data-pending={pending}>
      <EditorHeader
        documentId={documentId}
        name={detail.name}
        pageIndex={pageIndex}
        pageCount={pageCount}
        pending={pending}
        status={saving ? t('edSaving') : versionText}
        canUndo={editing.draft.done.length > 0}
        canRedo={editing.draft.undone.length > 0}
        canSave={pending > 0 && !saving}
        canRewrite={detail.outputs.length > 0}
        on={{
          page: (i) => void goTo(i),
          nextDocument: () => void nextDocument(),
          undo: undoAction,
          redo: redoAction,
          save: () => void save(),
          history: () => setDialog('history'),
          export: () => void save().then((ok) => ok && setDialog('export')),
          rewrite: () => void rewrite(),
          help: () => setDialog('help'),
        }}
      />
      <EditorTools
        threshold={threshold}
        low={low}
        selection={sel}
        drawing={drawing}
        zoom={view?.scale ?? null}
        query={query}
        found={query.trim() ? (matches.length > 0 ? t('edSearchCount', { n: Math.max(0, matchAt) + 1, count: matches.length }) : t('edSearchNone')) : ''}
        canFind={matches.length > 0}
        findInput={findInput}
        on={{
          threshold: (v) => setPref('reviewThreshold', v),
          lowest: () => stepTo(lowestWord(page)),
          previousLow: () => stepTo(stepLow(page, sel, threshold, -1), t('edNoLowBefore')),
          nextLow: () => stepTo(stepLow(page, sel, threshold, 1), t('edNoLowLeft')),
          accept,
          edit: () => startEditing(sel),
          remove,
          split,
          merge,
          moveUp: () => moveLine(-1),
          moveDown: () => moveLine(1),
          draw: () => setDrawing((d) => !d),
          zoomOut: () => canvas.current?.zoomBy(0.8),
          zoomIn: () => canvas.current?.zoomBy(1.25),
          fitWidth: () => canvas.current?.fitWidth(),
          fitPage: () => canvas.current?.fitPage(),
          query: (q) => {
            setQuery(q);
            setMatchAt(-1);
          },
          nextMatch: () => goMatch(matchAt + 1),
          previousMatch: () => goMatch(matchAt - 1),
          closeFind: () => {
            setQuery('');
            canvas.current?.focus();
          },
        }}
      />

      {offer ? (
        <div className="ed-banner" role="alert" data-testid="draft-offer">
          <p>
            {t('edDraftFound', { time: formatTime(new Date(offer.updatedAt).toISOString(), language), count: offer.done.length })}
            {offer.typing ? ` ${t('edDraftTyping', { text: offer.typing.text })}` : ''}
            {offer.baseVersion !== editing.draft.baseVersion ? ` ${t('edDraftStale', { version: editing.draft.baseVersion })}` : ''}
          </p>
          <div className="row">
            <button type="button" className="button primary" onClick={restoreOffer}>
              {t('edDraftRestore')}
            </button>
            <button type="button" className="button" onClick={discardOffer}>
              {t('edDraftDiscard')}
            </button>
          </div>
        </div>
      ) : null}
      {conflict !== null ? (
        <div className="ed-banner" role="alert">
          <p>{t('edConflict', { version: conflict })}</p>
          <button type="button" className="button primary" onClick={() => void reloadPage(true)}>
            {t('edReapply')}
          </button>
        </div>
      ) : null}

      <div className="ed-main">
        <PageCanvas
          ref={canvas}
          documentId={documentId}
          page={page}
          label={t('edCanvasLabel', { n: pageIndex + 1 })}
          threshold={threshold}
          selected={selectedBox}
          currentMatch={currentMatch && currentMatch.page === pageIndex ? hullOf(currentMatch.words.map((id) => boxOf(page, { kind: 'word', id })).filter((b): b is Quad => b !== null)) : null}
          matches={matchWords}
          drawing={drawing}
          hint={drawing ? t('edDrawing') : null}
          region={region?.quad ?? null}
          proposals={region?.state.proposal ?? []}
          onSelect={onCanvasSelect}
          onEdit={startEditing}
          onDrawn={openRegion}
          onView={setView}
          onPainted={onPainted}
          overlay={(toScreen) =>
            typing && typingBox ? (
              <TypingBox
                box={toScreen(typingBox)}
                label={typing.kind === 'word' ? t('edEditWord') : t('edEditLine')}
                hint={t('edEditHint')}
                text={typing.text}
                selectAll={!typing.restored}
                onChange={(text) => setTyping({ ...typing, text })}
                onDone={finishTyping}
              />
            ) : null
          }
        />
        <aside className="ed-side" ref={panel}>
          {region ? (
            <RegionPanel
              state={region.state}
              inside={inside}
              onRotation={(rotation) => setRegion((r) => (r ? { ...r, state: { ...r.state, rotation, proposal: null } } : r))}
              onRead={() => void readRegion()}
              onApply={() => {
                if (region.state.proposal && doEdits([{ op: 'replace-region', region: region.quad, lines: [...region.state.proposal] }])) setRegion(null);
              }}
              onAdd={(text) => {
                if (doEdits([{ op: 'add-line', box: region.quad, text }])) setRegion(null);
              }}
              onDelete={() => {
                if (doEdits([{ op: 'replace-region', region: region.quad, lines: [] }])) setRegion(null);
              }}
              onClose={() => setRegion(null)}
            />
          ) : null}
          <h3 className="ed-side-title">{t('edTextHeading')}</h3>
          <TextPanel
            page={page}
            label={t('edTextLabel', { n: pageIndex + 1 })}
            threshold={threshold}
            selection={sel}
            matches={matchWords}
            lineLabel={lineLabel}
            empty={t('edNoWords')}
            onSelect={onPanelSelect}
            onEdit={startEditing}
          />
        </aside>
      </div>
      <p className="ed-status" data-testid="editor-status" aria-live="polite">
        {status}
      </p>

      {dialog === 'help' ? <HelpDialog onClose={() => setDialog(null)} /> : null}
      {dialog === 'history' ? (
        <HistoryDialog
          history={pageHistory}
          documentEdited={history.edited}
          onClose={() => setDialog(null)}
          onRevertPage={() =>
            void attempt(() => client.revertPage({ documentId, page: pageIndex })).then(async (r) => {
              if (!r) return;
              setDialog(null);
              await dropDraft(db, documentId, pageIndex);
              await reloadPage(false);
              notify(t('edReverted'));
            })
          }
          onRevertDocument={() => setDialog('revert')}
        />
      ) : null}
      {dialog === 'revert' ? (
        <ConfirmDialog
          title={t('edRevertTitle', { name: detail.name })}
          body={t('edRevertBody')}
          confirm={t('edRevertConfirm')}
          cancel={t('cancel')}
          onClose={() => setDialog(null)}
          onConfirm={() =>
            void attempt(() => client.revertDocument({ documentId })).then(async (r) => {
              setDialog(null);
              if (!r) return;
              await Promise.all(saved.pages.map((p) => dropDraft(db, documentId, p.index)));
              loadedKey.current = '';
              setLoadCount((n) => n + 1);
              notify(t('edReverted'));
            })
          }
        />
      ) : null}
      {dialog === 'export' ? <ExportDialog documents={[{ id: detail.id, name: detail.name }]} onClose={() => setDialog(null)} /> : null}
    </div>
  );
}
