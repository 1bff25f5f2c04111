/**
 * What a person does to the selection, from the keys, the tools' bar, the page and the text beside it: select (and
 * bring into view), step to a word (timed: `ocr-desk:editor-step`, from the key to the frame that shows it), type
 * a correction into a word or line, accept, delete, split, merge and move lines in reading order. Each change is
 * one action of the draft (use-draft.ts), so one step of undo.
 */
import { useCallback, useEffect, useRef, type RefObject } from 'react';
import type { Edit } from '../../../common/edits.ts';
import { useApp } from '../../context.tsx';
import { boxOf, current, lineOf, movedOrder, stepLine, stepLow, stepWord, wordsOf, type Selection } from './editor-model.ts';
import type { PageCanvasHandle } from './PageCanvas.tsx';
import type { DraftSession } from './use-draft.ts';

export interface EditCommands {
  /** Selects, and with `reveal` (the default) scrolls the page to the selection. */
  readonly selectAndReveal: (s: Selection | null, reveal?: boolean) => void;
  /** Selects a word as a step of the keyboard (timed), or says why there is none. */
  readonly stepTo: (id: string | undefined, none?: string) => void;
  /** Opens the in-place field on a word or line. */
  readonly startEditing: (target: Selection | null) => void;
  /** Closes the in-place field; with `apply`, its text becomes an edit (nothing left: the word or line goes). */
  readonly finishTyping: (apply: boolean) => void;
  readonly accept: () => void;
  readonly remove: () => void;
  readonly split: () => void;
  readonly merge: () => void;
  readonly moveLine: (dir: 1 | -1) => void;
}

export function useEditCommands(args: {
  readonly draft: DraftSession;
  readonly threshold: number;
  readonly canvas: RefObject<PageCanvasHandle | null>;
  /** The side panel: focus follows the selection inside it. */
  readonly panel: RefObject<HTMLDivElement | null>;
}): EditCommands {
  const { notify, t } = useApp();
  const { threshold, canvas, panel } = args;
  const { sel, editingRef, selRef, typingRef, select, setTyping, doEdits } = args.draft;
  const stepStarted = useRef<number | null>(null);

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

  return { selectAndReveal, stepTo, startEditing, finishTyping, accept, remove, split, merge, moveLine };
}
