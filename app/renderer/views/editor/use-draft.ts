/**
 * The page being edited and its draft: the page version loaded and the edits made on it (editor-model.ts's Draft,
 * with undo and redo), the selection, the correction being typed, and their life with the service and the UI
 * database:
 *
 * - a page opens on its saved version, and any draft kept for it is offered back (never silently dropped);
 * - every change of the draft, and every key typed into a correction, is kept at once in the UI database;
 * - saving sends the pending edits as the page's next version; a page saved elsewhere meanwhile is reloaded when
 *   nothing is pending, else a conflict, resolved by applying the draft to the new version.
 *
 * The refs hold the latest values for handlers that run between renders (fast key repeats) and for the event hook.
 */
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type { Edit } from '../../../common/edits.ts';
import type { OcrPage } from '../../../common/result.ts';
import { useApp } from '../../context.tsx';
import { messageOf } from '../../lib/failure.ts';
import { dropDraft, loadDraft, saveDraft, type DraftRow } from '../../prefs/db.ts';
import { act, boxOf, current, newDraft, pendingEdits, redo, restore, undo, type Action, type Draft, type Selection } from './editor-model.ts';
import type { EditorDocument } from './use-editor-document.ts';

/** The page being edited: which one, and its draft. */
export interface Editing {
  readonly documentId: number;
  readonly page: number;
  readonly draft: Draft;
}

/** A correction being typed into a word or line, not applied yet. */
export interface Typing {
  readonly kind: 'word' | 'line';
  readonly id: string;
  readonly text: string;
  /** Taken up again from a kept draft: the cursor goes after the text rather than selecting it. */
  readonly restored?: boolean;
}

export interface DraftSession {
  readonly editing: Editing | null;
  /** The page as its draft leaves it. */
  readonly page: OcrPage | null;
  /** How many edits are not saved yet. */
  readonly pending: number;
  readonly sel: Selection | null;
  readonly typing: Typing | null;
  /** A draft kept from before (a crash, a reload), offered back. */
  readonly offer: DraftRow | null;
  /** The version saved elsewhere while this page had pending edits. */
  readonly conflict: number | null;
  readonly saving: boolean;
  readonly editingRef: RefObject<Editing | null>;
  readonly selRef: RefObject<Selection | null>;
  readonly typingRef: RefObject<Typing | null>;
  readonly select: (s: Selection | null) => void;
  readonly setTyping: (t: Typing | null) => void;
  /** Applies edits as one action (one step of undo); a notice and false where they do not apply. */
  readonly doEdits: (edits: Edit[], next?: Selection | null) => boolean;
  /** Saves the pending edits; false when they could not be saved (a conflict, a failure). */
  readonly save: () => Promise<boolean>;
  /** Loads the page's saved version again; with `keep`, the draft's actions are applied to it. */
  readonly reloadPage: (keep: boolean) => Promise<void>;
  readonly undo: () => void;
  readonly redo: () => void;
  readonly restoreOffer: () => void;
  readonly discardOffer: () => void;
  /** Forgets which page is open, so that the next result loaded opens it afresh. */
  readonly forgetLoaded: () => void;
}

const kindOf = (error: unknown): string | undefined => (error as { kind?: string } | null)?.kind;

export function useDraft(args: {
  readonly documentId: number;
  readonly pageIndex: number;
  /** Which page to open: it changes for another page, or the same one loaded again. */
  readonly pageKey: string;
  readonly doc: EditorDocument;
  /** What to select on a page as it opens (the latest of the view's renders). */
  readonly opened: RefObject<(base: OcrPage) => Selection | null>;
}): DraftSession {
  const { client, db, store, t, notify } = useApp();
  const { documentId, pageIndex, pageKey, opened } = args;
  const { saved, history, setSaved, setHistory } = args.doc;

  const [editing, setEditingState] = useState<Editing | null>(null);
  const [sel, setSelState] = useState<Selection | null>(null);
  const [typing, setTyping] = useState<Typing | null>(null);
  const [offer, setOffer] = useState<DraftRow | null>(null);
  const [conflict, setConflict] = useState<number | null>(null);
  const [saving, setSaving] = useState(false);

  const editingRef = useRef<Editing | null>(null);
  const selRef = useRef<Selection | null>(null);
  const typingRef = useRef<Typing | null>(null);
  const knownVersion = useRef(0);
  const ownSave = useRef(false);
  typingRef.current = typing;

  const setEditing = (e: Editing | null) => {
    editingRef.current = e;
    setEditingState(e);
  };
  const select = (s: Selection | null) => {
    selRef.current = s;
    setSelState(s);
  };

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
    setConflict(null);
    setOffer(null);
    select(opened.current(base));
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

  // ---- a draft offered back ----

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

  const forgetLoaded = () => {
    loadedKey.current = '';
  };

  return {
    editing,
    page,
    pending,
    sel,
    typing,
    offer,
    conflict,
    saving,
    editingRef,
    selRef,
    typingRef,
    select,
    setTyping,
    doEdits,
    save,
    reloadPage,
    undo: undoAction,
    redo: redoAction,
    restoreOffer,
    discardOffer,
    forgetLoaded,
  };
}
