/**
 * The result editor's state without React: a page version from the service, the edits made on it since (grouped
 * into actions, one per thing a person did, for undo and redo), the page as those edits leave it, and the
 * questions the keyboard asks of it (the next low-confidence word, the word to the left, the matches of a
 * search). Edits mean exactly what the service makes of them: both apply app/common/edits.ts.
 */
import { applyEdits, type Edit } from '../../../common/edits.ts';
import type { OcrDocument, OcrLine, OcrPage, OcrWord, Quad } from '../../../common/result.ts';

/** What a person did in one step: one or more edits, undone together. */
export interface Action {
  readonly edits: readonly Edit[];
}

export interface Draft {
  /** The page version the edits are made on. */
  readonly baseVersion: number;
  readonly base: OcrPage;
  /** Applied actions, oldest first. */
  readonly done: readonly Action[];
  /** Undone actions, most recently undone last (redo takes from the end). */
  readonly undone: readonly Action[];
  /** pages[i]: the page after the first i actions; pages[0] is `base`. */
  readonly pages: readonly OcrPage[];
}

export function newDraft(baseVersion: number, base: OcrPage): Draft {
  return { baseVersion, base, done: [], undone: [], pages: [base] };
}

/** The page as the draft's edits leave it. */
export const current = (d: Draft): OcrPage => d.pages[d.pages.length - 1]!;

/** Every edit not yet saved, in order. */
export const pendingEdits = (d: Draft): Edit[] => d.done.flatMap((a) => a.edits);

/** A new action; throws InvalidEditError (and changes nothing) where it does not apply. Clears redo. */
export function act(d: Draft, action: Action): Draft {
  const page = applyEdits(current(d), action.edits);
  return { ...d, done: [...d.done, action], undone: [], pages: [...d.pages, page] };
}

export function undo(d: Draft): Draft {
  if (d.done.length === 0) return d;
  return { ...d, done: d.done.slice(0, -1), undone: [...d.undone, d.done[d.done.length - 1]!], pages: d.pages.slice(0, -1) };
}

export function redo(d: Draft): Draft {
  const action = d.undone[d.undone.length - 1];
  if (!action) return d;
  const page = applyEdits(current(d), action.edits);
  return { ...d, done: [...d.done, action], undone: d.undone.slice(0, -1), pages: [...d.pages, page] };
}

/**
 * A draft rebuilt from stored actions on a base page (a draft restored after a reload, or moved onto a newer
 * version): the actions that still apply, and how many did not.
 */
export function restore(baseVersion: number, base: OcrPage, done: readonly Action[], undone: readonly Action[]): { draft: Draft; dropped: number } {
  let draft = newDraft(baseVersion, base);
  let dropped = 0;
  for (const a of done) {
    try {
      draft = act(draft, a);
    } catch {
      dropped++;
    }
  }
  return { draft: { ...draft, undone: dropped === 0 ? undone : [] }, dropped };
}

// ---- selection and navigation ----

export type Selection = { readonly kind: 'word'; readonly id: string } | { readonly kind: 'line'; readonly id: string };

export interface WordAt {
  readonly word: OcrWord;
  readonly line: OcrLine;
  /** Position in reading order among the page's words. */
  readonly index: number;
}

/** The page's words in reading order, each with its line. */
export function wordsOf(page: OcrPage): WordAt[] {
  const out: WordAt[] = [];
  for (const line of page.lines) for (const word of line.words) out.push({ word, line, index: out.length });
  return out;
}

export function findWord(page: OcrPage, id: string): WordAt | undefined {
  return wordsOf(page).find((w) => w.word.id === id);
}

export function lineOf(page: OcrPage, sel: Selection | null): OcrLine | undefined {
  if (!sel) return undefined;
  if (sel.kind === 'line') return page.lines.find((l) => l.id === sel.id);
  return page.lines.find((l) => l.words.some((w) => w.id === sel.id));
}

/** The next (or previous) word in reading order from the selection; the first (last) when nothing is selected. */
export function stepWord(page: OcrPage, sel: Selection | null, dir: 1 | -1): string | undefined {
  const words = wordsOf(page);
  if (words.length === 0) return undefined;
  let at = -1;
  if (sel?.kind === 'word') at = words.findIndex((w) => w.word.id === sel.id);
  else if (sel?.kind === 'line') at = words.findIndex((w) => w.line.id === sel.id) - (dir === 1 ? 1 : 0);
  const next = at < 0 ? (dir === 1 ? 0 : words.length - 1) : at + dir;
  return words[Math.max(0, Math.min(words.length - 1, next))]?.word.id;
}

/** The next (or previous) word under the threshold after the selection, in reading order; none past the end. */
export function stepLow(page: OcrPage, sel: Selection | null, threshold: number, dir: 1 | -1): string | undefined {
  const words = wordsOf(page);
  let at = dir === 1 ? -1 : words.length;
  if (sel?.kind === 'word') at = words.findIndex((w) => w.word.id === sel.id);
  else if (sel?.kind === 'line') {
    const first = words.findIndex((w) => w.line.id === sel.id);
    if (first >= 0) at = dir === 1 ? first - 1 : first;
  }
  for (let i = at + dir; i >= 0 && i < words.length; i += dir) if (words[i]!.word.confidence < threshold) return words[i]!.word.id;
  return undefined;
}

/** The page's lowest-confidence word (the first of equals in reading order). */
export function lowestWord(page: OcrPage): string | undefined {
  let best: OcrWord | undefined;
  for (const w of wordsOf(page)) if (!best || w.word.confidence < best.confidence) best = w.word;
  return best?.id;
}

export const lowCount = (page: OcrPage, threshold: number): number => wordsOf(page).filter((w) => w.word.confidence < threshold).length;

/** The line after (or before) the selection's line. */
export function stepLine(page: OcrPage, sel: Selection | null, dir: 1 | -1): string | undefined {
  const line = lineOf(page, sel);
  const at = line ? page.lines.indexOf(line) : dir === 1 ? -1 : page.lines.length;
  return page.lines[Math.max(0, Math.min(page.lines.length - 1, at + dir))]?.id;
}

/** The reading order of a line's block with the line moved one place up or down; undefined at the block's edge. */
export function movedOrder(page: OcrPage, lineId: string, dir: 1 | -1): string[] | undefined {
  const line = page.lines.find((l) => l.id === lineId);
  if (!line) return undefined;
  const block = page.lines.filter((l) => l.block === line.block).map((l) => l.id);
  const at = block.indexOf(lineId);
  const to = at + dir;
  if (to < 0 || to >= block.length) return undefined;
  const order = [...block];
  [order[at], order[to]] = [order[to]!, order[at]!];
  return order;
}

/** The first page (in order) with a word under the threshold, else the first page. */
export function firstLowPage(doc: OcrDocument, threshold: number): number {
  return doc.pages.find((p) => lowCount(p, threshold) > 0)?.index ?? doc.pages[0]?.index ?? 0;
}

// ---- boxes ----

/** The box of the selected word or line; null when nothing is selected or the page no longer has it. */
export function boxOf(page: OcrPage, sel: Selection | null): Quad | null {
  if (!sel) return null;
  if (sel.kind === 'line') return page.lines.find((l) => l.id === sel.id)?.box ?? null;
  for (const l of page.lines) for (const w of l.words) if (w.id === sel.id) return w.box;
  return null;
}

/** The axis-aligned box around quads (a match's words); null for none. */
export function hullOf(quads: readonly Quad[]): Quad | null {
  if (quads.length === 0) return null;
  const xs = quads.flatMap((q) => q.map((p) => p[0]));
  const ys = quads.flatMap((q) => q.map((p) => p[1]));
  const [x1, y1, x2, y2] = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  return [[x1, y1], [x2, y1], [x2, y2], [x1, y2]];
}

// ---- search within the document ----

export interface Match {
  readonly page: number;
  readonly line: string;
  readonly words: readonly string[];
}

/** Where `query` occurs in the pages (case-insensitive, within a line), with the words it covers. */
export function findMatches(pages: readonly OcrPage[], query: string): Match[] {
  const q = query.trim().toLocaleLowerCase();
  if (!q) return [];
  const out: Match[] = [];
  for (const page of pages) {
    for (const line of page.lines) {
      const text = line.text.toLocaleLowerCase();
      // Each word's span in the line's text (its words joined by single spaces).
      const spans: [number, number][] = [];
      let at = 0;
      for (const w of line.words) {
        spans.push([at, at + w.text.length]);
        at += w.text.length + 1;
      }
      for (let i = text.indexOf(q); i >= 0; i = text.indexOf(q, i + Math.max(1, q.length))) {
        const end = i + q.length;
        const words = line.words.filter((_, k) => spans[k]![0] < end && spans[k]![1] > i).map((w) => w.id);
        out.push({ page: page.index, line: line.id, words });
      }
    }
  }
  return out;
}

// ---- zoom ----

/** Picture sizes asked of the service: the smallest that covers what the screen shows at this zoom. */
export const PICTURE_SIDES = [1024, 2048, 4096, 8192] as const;

/**
 * The longer side of the page picture to show at `scale` (screen pixels per page pixel) on a screen of `dpr`:
 * enough for every screen pixel, never more than the page has, and from a few sizes only (each is rendered once).
 */
export function pictureSide(pageLongSide: number, scale: number, dpr: number): number {
  const wanted = Math.min(pageLongSide, Math.ceil(pageLongSide * scale * dpr));
  const side: number = PICTURE_SIDES.find((s) => s >= wanted) ?? PICTURE_SIDES[PICTURE_SIDES.length - 1]!;
  return Math.min(side, Math.max(PICTURE_SIDES[0], pageLongSide));
}

/** Zoom steps (screen pixels per page pixel, relative to fitting the page's width). */
export const ZOOM_MIN = 0.05;
export const ZOOM_MAX = 8;
export const clampZoom = (z: number): number => Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, z));
