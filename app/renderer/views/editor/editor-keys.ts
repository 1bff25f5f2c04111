/**
 * The result editor's keyboard (HelpDialog's KEY_MAP says the same for people): next and previous low-confidence
 * word, accept, edit, undo, redo, pages, documents of the review queue, split, merge, reading order, boxes to read
 * again, zoom, find.
 *
 * Keys anywhere in the window are the editor's, except in fields, dialogs and the window's header; Enter and Space
 * on a link or button keep their own meaning, but for a word or line number of the text beside the page.
 */
import { useEffect, useRef } from 'react';
import type { OcrPage, Quad } from '../../../common/result.ts';
import type { Translate } from '../../i18n/i18n.ts';
import { boxOf, lineOf, lowestWord, stepLine, stepLow, stepWord, type Selection } from './editor-model.ts';

/** What the keys read and do: the view as last rendered, with the page and selection as they are at the key. */
export interface EditorKeyTarget {
  /** A dialog is open: its keys are its own. */
  readonly dialogOpen: boolean;
  readonly threshold: number;
  readonly pageIndex: number;
  readonly pageCount: number;
  readonly drawing: boolean;
  readonly regionOpen: boolean;
  readonly t: Translate;
  /** The page as its draft leaves it now (between renders too, for fast key repeats); null before it opens. */
  readonly page: () => OcrPage | null;
  readonly selection: () => Selection | null;
  readonly select: (s: Selection | null) => void;
  readonly reveal: (s: Selection) => void;
  readonly stepTo: (id: string | undefined, none?: string) => void;
  readonly edit: (target: Selection | null) => void;
  readonly accept: () => void;
  readonly remove: () => void;
  readonly split: () => void;
  readonly merge: () => void;
  readonly moveLine: (dir: 1 | -1) => void;
  readonly undo: () => void;
  readonly redo: () => void;
  readonly save: () => void;
  readonly find: () => void;
  readonly toggleDrawing: () => void;
  readonly stopDrawing: () => void;
  readonly openRegion: (quad: Quad) => void;
  readonly closeRegion: () => void;
  readonly goTo: (page: number) => void;
  readonly nextDocument: () => void;
  readonly zoomBy: (factor: number) => void;
  readonly fitPage: () => void;
  readonly help: () => void;
}

/** Does what a key pressed in the window means to the editor, and keeps it from the browser when it meant something. */
export function onEditorKey(ev: globalThis.KeyboardEvent, keys: EditorKeyTarget): void {
  const target = ev.target as HTMLElement;
  // Fields, dialogs and the window's header keep their keys; everywhere else in the window they are the editor's.
  if (ev.defaultPrevented || keys.dialogOpen || target.closest('input, textarea, select, dialog, .app-header, .app-nav')) return;
  const p = keys.page();
  if (!p) return;
  const k = ev.key;
  const ctrl = ev.ctrlKey || ev.metaKey;
  const s = keys.selection();
  const step = keys.stepTo;
  const t = keys.t;
  let handled = true;
  if (ctrl && (k === 'z' || k === 'Z')) (ev.shiftKey ? keys.redo : keys.undo)();
  else if (ctrl && (k === 'y' || k === 'Y')) keys.redo();
  else if (ctrl && (k === 's' || k === 'S')) keys.save();
  else if (ctrl && (k === 'f' || k === 'F')) keys.find();
  else if (ctrl) handled = false;
  else if (ev.altKey && (k === 'ArrowUp' || k === 'ArrowDown')) keys.moveLine(k === 'ArrowUp' ? -1 : 1);
  else if (ev.altKey) handled = false;
  else if ((k === 'Enter' || k === ' ') && target.closest('a, button') && !target.dataset.wordId && !target.classList.contains('ed-line-no')) handled = false;
  else {
    switch (k) {
      case 'n':
        step(stepLow(p, s, keys.threshold, 1), t('edNoLowLeft'));
        break;
      case 'N':
        step(stepLow(p, s, keys.threshold, -1), t('edNoLowBefore'));
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
        keys.accept();
        break;
      case 'Enter':
        if (ev.shiftKey) {
          const line = lineOf(p, s);
          if (line) keys.edit({ kind: 'line', id: line.id });
        } else keys.edit(s);
        break;
      case 'F2':
        keys.edit(s);
        break;
      case 'l':
      case 'L': {
        const line = lineOf(p, s);
        if (line) keys.reveal({ kind: 'line', id: line.id });
        break;
      }
      case 'Delete':
      case 'Backspace':
        keys.remove();
        break;
      case 's':
        keys.split();
        break;
      case 'm':
        keys.merge();
        break;
      case 'r':
        keys.toggleDrawing();
        break;
      case 'R': {
        const box = boxOf(p, s && s.kind === 'word' ? { kind: 'line', id: lineOf(p, s)?.id ?? '' } : s);
        if (box) keys.openRegion(box);
        break;
      }
      case 'PageDown':
        if (ev.shiftKey) keys.nextDocument();
        else if (keys.pageIndex + 1 < keys.pageCount) keys.goTo(keys.pageIndex + 1);
        break;
      case 'PageUp':
        if (keys.pageIndex > 0) keys.goTo(keys.pageIndex - 1);
        break;
      case '+':
      case '=':
        keys.zoomBy(1.25);
        break;
      case '-':
        keys.zoomBy(0.8);
        break;
      case '0':
        keys.fitPage();
        break;
      case '/':
        keys.find();
        break;
      case '?':
        keys.help();
        break;
      case 'Escape':
        if (keys.drawing) keys.stopDrawing();
        else if (keys.regionOpen) keys.closeRegion();
        else keys.select(null);
        break;
      default:
        handled = false;
    }
  }
  if (handled) ev.preventDefault();
}

/** The window's keys, to {@link onEditorKey} with the target of the latest render, while the editor is mounted. */
export function useEditorKeys(keys: EditorKeyTarget): void {
  const latest = useRef(keys);
  latest.current = keys;
  useEffect(() => {
    const listener = (ev: globalThis.KeyboardEvent) => onEditorKey(ev, latest.current);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);
}
