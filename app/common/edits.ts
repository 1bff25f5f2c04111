/**
 * Corrections as data: what the result editor does to a page, as commands (zod schemas, so the service validates
 * them like every other input) and the pure functions that apply them. The service applies a batch against a
 * stored page version and stores the page that comes out; the editor applies the same functions to show the
 * page with its unsaved edits, so both always agree on what an edit means.
 *
 * Every function returns a new, valid page (it parses with `pageSchema`): ids stay unique, a line or word an edit
 * adds takes the next free number, never one given before on the page (`lastIds`), every line has words, its text
 * is its words' text, its confidence their mean, and blocks are numbered in reading order with boxes around their
 * lines. An edit that does not apply (an unknown id, a box outside the page) throws {@link InvalidEditError} and
 * changes nothing.
 *
 * Words typed or accepted by a person get confidence 1: that is what "reviewed" means in the model, so a reviewed
 * word is never again under a low-confidence threshold.
 */
import { z } from 'zod';
import { InvalidEditError } from './errors.ts';
import { quadSchema, type OcrBlock, type OcrLine, type OcrPage, type OcrWord, type Point, type Quad } from './result.ts';

const wordId = z.string().regex(/^w[0-9]+$/, 'a word id such as w12');
const lineId = z.string().regex(/^l[0-9]+$/, 'a line id such as l3');
/** Text a person typed: something visible (deleting is its own edit). */
const typed = z.string().max(10_000).refine((s) => s.trim() !== '', 'text with at least one visible character (to remove a word or line, delete it)');
const confidence = z.number().min(0).max(1);

/** A word of a line proposed by region recognition: no id until an edit puts it on the page. */
export const proposedWordSchema = z.object({ text: z.string().min(1).max(1000), confidence, box: quadSchema });
/** A line proposed by region recognition (`recogniseRegion`), in page coordinates. */
export const proposedLineSchema = z.object({ text: z.string().max(10_000), confidence, box: quadSchema, words: z.array(proposedWordSchema).min(1).max(2000) });

export const EDIT_OPS = [
  'set-word-text',
  'accept-word',
  'delete-word',
  'set-line-text',
  'accept-line',
  'delete-line',
  'add-line',
  'split-line',
  'merge-lines',
  'reorder-lines',
  'replace-region',
] as const;

export const editSchema = z.discriminatedUnion('op', [
  /** A word's text as a person typed it (spaces make it several words sharing its box). */
  z.object({ op: z.literal('set-word-text'), word: wordId, text: typed }),
  /** The word is right as read: confidence 1. */
  z.object({ op: z.literal('accept-word'), word: wordId }),
  /** Not text (a false detection); a line left without words goes too. */
  z.object({ op: z.literal('delete-word'), word: wordId }),
  /** A line's text as a person typed it: its words are made again from it (kept where their number is unchanged). */
  z.object({ op: z.literal('set-line-text'), line: lineId, text: typed }),
  z.object({ op: z.literal('accept-line'), line: lineId }),
  z.object({ op: z.literal('delete-line'), line: lineId }),
  /**
   * Text the detector missed, in a box drawn on the page. `after`: the line it follows in reading order (null: first
   * on the page); left out, it goes where its position on the page puts it.
   */
  z.object({ op: z.literal('add-line'), box: quadSchema, text: typed, after: lineId.nullable().optional() }),
  /** Splits a line before `word`: the words from it on become a new line right after it. */
  z.object({ op: z.literal('split-line'), line: lineId, word: wordId }),
  /** The second line joins the end of the first (they need not be neighbours). */
  z.object({ op: z.literal('merge-lines'), lines: z.tuple([lineId, lineId]) }),
  /** Lines of one block in their right reading order; they take the places in the page's order that they held. */
  z.object({ op: z.literal('reorder-lines'), lines: z.array(lineId).min(2).max(10_000) }),
  /**
   * A region read again (`recogniseRegion`) or cleared: the lines whose centre lies in `region` are replaced by
   * `lines` (none: the region's lines are deleted).
   */
  z.object({ op: z.literal('replace-region'), region: quadSchema, lines: z.array(proposedLineSchema).max(500) }),
]);

export type Edit = z.infer<typeof editSchema>;
export type EditOp = Edit['op'];
export type ProposedLine = z.infer<typeof proposedLineSchema>;
export type ProposedWord = z.infer<typeof proposedWordSchema>;

/** How far (pixels) a box may reach past the page's edge: engine boxes are widened by half a frame. */
const EDGE_TOLERANCE = 2;

// ---- geometry ----

const lerp = (a: Point, b: Point, t: number): Point => [round1(a[0] + (b[0] - a[0]) * t), round1(a[1] + (b[1] - a[1]) * t)];
const round1 = (v: number) => Math.round(v * 10) / 10;
const round4 = (v: number) => Math.round(v * 1e4) / 1e4;

function quadArea(q: Quad): number {
  let a = 0;
  for (let i = 0; i < 4; i++) {
    const p = q[i]!;
    const n = q[(i + 1) % 4]!;
    a += p[0] * n[1] - n[0] * p[1];
  }
  return Math.abs(a) / 2;
}

export function quadCentre(q: Quad): Point {
  return [(q[0][0] + q[1][0] + q[2][0] + q[3][0]) / 4, (q[0][1] + q[1][1] + q[2][1] + q[3][1]) / 4];
}

/** Whether a point lies inside a convex quad (either winding). */
export function insideQuad(q: Quad, p: Point): boolean {
  let sign = 0;
  for (let i = 0; i < 4; i++) {
    const a = q[i]!;
    const b = q[(i + 1) % 4]!;
    const cross = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
    if (cross === 0) continue;
    const s = Math.sign(cross);
    if (sign === 0) sign = s;
    else if (s !== sign) return false;
  }
  return true;
}

/** Axis-aligned hull of quads, its corners in the order of `like` (the corner nearest like[0] first). */
function orientedHull(quads: readonly Quad[], like: Quad): Quad {
  const xs = quads.flatMap((q) => q.map((p) => p[0]));
  const ys = quads.flatMap((q) => q.map((p) => p[1]));
  const [x1, y1, x2, y2] = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  const corners: Point[] = [[x1, y1], [x2, y1], [x2, y2], [x1, y2]];
  // Clockwise either way; start where the reference's text starts.
  let start = 0;
  let best = Infinity;
  corners.forEach((c, i) => {
    const d = Math.hypot(c[0] - like[0][0], c[1] - like[0][1]);
    if (d < best) [best, start] = [d, i];
  });
  return [corners[start]!, corners[(start + 1) % 4]!, corners[(start + 2) % 4]!, corners[(start + 3) % 4]!];
}

/** Plain axis-aligned hull (how the engine boxes blocks). */
function hull(quads: readonly Quad[]): Quad {
  const xs = quads.flatMap((q) => q.map((p) => p[0]));
  const ys = quads.flatMap((q) => q.map((p) => p[1]));
  const [x1, y1, x2, y2] = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  return [[x1, y1], [x2, y1], [x2, y2], [x1, y2]];
}

/** Divides a line box among texts along the line, by their lengths (a space's worth between words). */
export function layoutWords(box: Quad, texts: readonly string[]): Quad[] {
  const lengths = texts.map((t) => Math.max(1, [...t].length));
  const total = lengths.reduce((s, n) => s + n, 0) + (texts.length - 1);
  const [tl, tr, br, bl] = box;
  let at = 0;
  return lengths.map((n) => {
    const a = at / total;
    const b = (at + n) / total;
    at += n + 1;
    return [lerp(tl, tr, a), lerp(tl, tr, b), lerp(bl, br, b), lerp(bl, br, a)];
  });
}

/**
 * A point in the upright page's frame, for reading-order decisions: the image turned clockwise by the page's
 * orientation (the turn that makes it upright).
 */
function upright(page: OcrPage, p: Point): Point {
  const [x, y] = p;
  switch (page.orientation) {
    case 90:
      return [page.height - y, x];
    case 180:
      return [page.width - x, page.height - y];
    case 270:
      return [y, page.width - x];
    default:
      return [x, y];
  }
}

// ---- ids ----

const numberOf = (id: string) => Number(id.slice(1));

/** The highest line and word numbers given on the page so far. */
export function lastIdsOf(page: OcrPage): { line: number; word: number } {
  let line = page.lastIds?.line ?? 0;
  let word = page.lastIds?.word ?? 0;
  for (const l of page.lines) {
    line = Math.max(line, numberOf(l.id));
    for (const w of l.words) word = Math.max(word, numberOf(w.id));
  }
  return { line, word };
}

class Ids {
  line: number;
  word: number;
  constructor(page: OcrPage) {
    ({ line: this.line, word: this.word } = lastIdsOf(page));
  }
  nextLine = () => `l${++this.line}`;
  nextWord = () => `w${++this.word}`;
}

// ---- lines ----

/** Mean word confidence, weighted by length (the line's confidence is the mean over its characters). */
function lineConfidence(words: readonly { text: string; confidence: number }[]): number {
  let sum = 0;
  let n = 0;
  for (const w of words) {
    const len = Math.max(1, [...w.text].length);
    sum += w.confidence * len;
    n += len;
  }
  return n === 0 ? 1 : round4(sum / n);
}

/** A line made consistent with its words: text, confidence, and (with `reshape`) its box spanning them. */
function rebuilt(line: OcrLine, words: readonly OcrWord[], reshape: boolean): OcrLine {
  const box: Quad = reshape && words.length > 0 ? [words[0]!.box[0], words[words.length - 1]!.box[1], words[words.length - 1]!.box[2], words[0]!.box[3]] : line.box;
  return { ...line, box, words, text: words.map((w) => w.text).join(' '), confidence: lineConfidence(words) };
}

const splitText = (text: string): string[] => text.trim().split(/\s+/u);

// ---- the page ----

interface Found<T> {
  readonly item: T;
  readonly lineIndex: number;
}

function findLine(page: OcrPage, id: string): Found<OcrLine> {
  const i = page.lines.findIndex((l) => l.id === id);
  if (i < 0) throw new InvalidEditError(`Page ${page.index + 1} has no line ${id} (it may have been deleted or merged; reload the page).`);
  return { item: page.lines[i]!, lineIndex: i };
}

function findWord(page: OcrPage, id: string): Found<OcrWord> & { wordIndex: number } {
  for (let i = 0; i < page.lines.length; i++) {
    const j = page.lines[i]!.words.findIndex((w) => w.id === id);
    if (j >= 0) return { item: page.lines[i]!.words[j]!, lineIndex: i, wordIndex: j };
  }
  throw new InvalidEditError(`Page ${page.index + 1} has no word ${id} (it may have been deleted; reload the page).`);
}

function checkBox(page: OcrPage, box: Quad, what: string): void {
  for (const [x, y] of box) {
    if (x < -EDGE_TOLERANCE || y < -EDGE_TOLERANCE || x > page.width + EDGE_TOLERANCE || y > page.height + EDGE_TOLERANCE) {
      throw new InvalidEditError(`The box of ${what} reaches outside page ${page.index + 1} (${page.width}×${page.height} pixels): its corner (${x}, ${y}) is off the page.`);
    }
  }
  if (quadArea(box) < 1) throw new InvalidEditError(`The box of ${what} has no area: draw a box around the text.`);
}

function withLines(page: OcrPage, lines: readonly OcrLine[], ids: Ids): OcrPage {
  return normaliseBlocks(page, { ...page, lines, lastIds: { line: ids.line, word: ids.word } });
}

/**
 * Blocks numbered by their first line in reading order, empty ones dropped; a block whose lines are unchanged keeps
 * its box, the others are boxed around their lines.
 */
function normaliseBlocks(before: OcrPage, after: OcrPage): OcrPage {
  const signature = (lines: readonly OcrLine[]) => JSON.stringify(lines.map((l) => [l.id, l.box]));
  const oldLines = new Map<number, OcrLine[]>();
  for (const l of before.lines) (oldLines.get(l.block) ?? oldLines.set(l.block, []).get(l.block)!).push(l);
  const order = new Map<number, number>();
  for (const l of after.lines) if (!order.has(l.block)) order.set(l.block, order.size);
  const lines = after.lines.map((l) => (order.get(l.block) === l.block ? l : { ...l, block: order.get(l.block)! }));
  const blocks: OcrBlock[] = [...order.keys()].map((oldIndex) => {
    const mine = after.lines.filter((l) => l.block === oldIndex);
    const was = oldLines.get(oldIndex);
    const kept = before.blocks[oldIndex];
    if (kept && was && signature(was) === signature(mine)) return kept;
    return { box: hull(mine.map((l) => l.box)) };
  });
  return { ...after, lines, blocks };
}

/** Where a new line goes in reading order, and its block, from its position on the page. */
function placeByPosition(page: OcrPage, box: Quad): { index: number; block: number } {
  const [cx, cy] = upright(page, quadCentre(box));
  const centre = quadCentre(box);
  // Inside a block (grown by a little): that block, before its first line lower on the page.
  const grow = 0.5 * Math.min(...page.lines.map((l) => Math.hypot(l.box[0][0] - l.box[3][0], l.box[0][1] - l.box[3][1])).concat([40]));
  for (let b = 0; b < page.blocks.length; b++) {
    const [x1, y1, x2, y2] = bounds(page.blocks[b]!.box);
    if (centre[0] < x1 - grow || centre[0] > x2 + grow || centre[1] < y1 - grow || centre[1] > y2 + grow) continue;
    const members = page.lines.map((l, i) => ({ l, i })).filter(({ l }) => l.block === b);
    if (members.length === 0) continue;
    const below = members.find(({ l }) => {
      const [lx, ly] = upright(page, quadCentre(l.box));
      const h = Math.hypot(l.box[0][0] - l.box[3][0], l.box[0][1] - l.box[3][1]);
      return ly > cy + h / 2 || (Math.abs(ly - cy) <= h / 2 && lx > cx);
    });
    return { index: below ? below.i : members[members.length - 1]!.i + 1, block: b };
  }
  // Elsewhere: a block of its own, before the first block that starts lower on the upright page.
  const top = (q: Quad) => Math.min(...q.map((p) => upright(page, p)[1]));
  const starts = page.lines.map((l, i) => ({ l, i })).filter(({ l, i }) => i === 0 || page.lines[i - 1]!.block !== l.block);
  const next = starts.find(({ l }) => top(page.blocks[l.block]?.box ?? l.box) > cy);
  return { index: next ? next.i : page.lines.length, block: page.blocks.length };
}

function bounds(q: Quad): [number, number, number, number] {
  const xs = q.map((p) => p[0]);
  const ys = q.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

function newLine(id: string, box: Quad, block: number, words: readonly OcrWord[]): OcrLine {
  return rebuilt({ id, box, block, words: [], text: '', confidence: 1 }, words, false);
}

function typedWords(box: Quad, text: string, ids: Ids): OcrWord[] {
  const texts = splitText(text);
  return layoutWords(box, texts).map((b, i) => ({ id: ids.nextWord(), text: texts[i]!, confidence: 1, box: b }));
}

function replaceLine(page: OcrPage, index: number, line: OcrLine | null): OcrLine[] {
  const lines = [...page.lines];
  if (line) lines[index] = line;
  else lines.splice(index, 1);
  return lines;
}

/** Applies one edit; throws {@link InvalidEditError} where it does not apply. */
export function applyEdit(page: OcrPage, edit: Edit): OcrPage {
  const ids = new Ids(page);
  switch (edit.op) {
    case 'set-word-text': {
      const { item: word, lineIndex, wordIndex } = findWord(page, edit.word);
      const line = page.lines[lineIndex]!;
      const texts = splitText(edit.text);
      const boxes = texts.length === 1 ? [word.box] : layoutWords(word.box, texts);
      const made = texts.map((text, i) => ({ id: i === 0 ? word.id : ids.nextWord(), text, confidence: 1, box: boxes[i]! }));
      const words = [...line.words.slice(0, wordIndex), ...made, ...line.words.slice(wordIndex + 1)];
      return withLines(page, replaceLine(page, lineIndex, rebuilt(line, words, false)), ids);
    }
    case 'accept-word': {
      const { lineIndex, wordIndex } = findWord(page, edit.word);
      const line = page.lines[lineIndex]!;
      const words = line.words.map((w, i) => (i === wordIndex ? { ...w, confidence: 1 } : w));
      return withLines(page, replaceLine(page, lineIndex, rebuilt(line, words, false)), ids);
    }
    case 'delete-word': {
      const { lineIndex, wordIndex } = findWord(page, edit.word);
      const line = page.lines[lineIndex]!;
      const words = line.words.filter((_, i) => i !== wordIndex);
      return withLines(page, replaceLine(page, lineIndex, words.length === 0 ? null : rebuilt(line, words, true)), ids);
    }
    case 'set-line-text': {
      const { item: line, lineIndex } = findLine(page, edit.line);
      const texts = splitText(edit.text);
      const words: OcrWord[] =
        texts.length === line.words.length
          ? line.words.map((w, i) => ({ ...w, text: texts[i]!, confidence: 1 }))
          : layoutWords(line.box, texts).map((box, i) => ({ id: ids.nextWord(), text: texts[i]!, confidence: 1, box }));
      return withLines(page, replaceLine(page, lineIndex, rebuilt(line, words, false)), ids);
    }
    case 'accept-line': {
      const { item: line, lineIndex } = findLine(page, edit.line);
      return withLines(page, replaceLine(page, lineIndex, rebuilt(line, line.words.map((w) => ({ ...w, confidence: 1 })), false)), ids);
    }
    case 'delete-line': {
      const { lineIndex } = findLine(page, edit.line);
      return withLines(page, replaceLine(page, lineIndex, null), ids);
    }
    case 'add-line': {
      checkBox(page, edit.box, 'the new line');
      let at: { index: number; block: number };
      if (edit.after === undefined) at = placeByPosition(page, edit.box);
      else if (edit.after === null) at = { index: 0, block: page.lines[0]?.block ?? 0 };
      else {
        const { item, lineIndex } = findLine(page, edit.after);
        at = { index: lineIndex + 1, block: item.block };
      }
      const line = newLine(ids.nextLine(), edit.box, at.block, typedWords(edit.box, edit.text, ids));
      const lines = [...page.lines];
      lines.splice(at.index, 0, line);
      return withLines(page, lines, ids);
    }
    case 'split-line': {
      const { item: line, lineIndex } = findLine(page, edit.line);
      const at = line.words.findIndex((w) => w.id === edit.word);
      if (at < 0) throw new InvalidEditError(`Word ${edit.word} is not on line ${edit.line} of page ${page.index + 1}.`);
      if (at === 0) throw new InvalidEditError(`Line ${edit.line} cannot be split before ${edit.word}: it is the line's first word.`);
      const first = rebuilt(line, line.words.slice(0, at), true);
      const second = rebuilt({ ...line, id: ids.nextLine() }, line.words.slice(at), true);
      const lines = [...page.lines];
      lines.splice(lineIndex, 1, first, second);
      return withLines(page, lines, ids);
    }
    case 'merge-lines': {
      const [a, b] = edit.lines;
      if (a === b) throw new InvalidEditError(`A line cannot be merged with itself (${a}).`);
      const { item: first, lineIndex: ai } = findLine(page, a);
      const { item: second, lineIndex: bi } = findLine(page, b);
      const words = [...first.words, ...second.words];
      const merged = rebuilt({ ...first, box: orientedHull([first.box, second.box], first.box) }, words, false);
      const lines = page.lines.map((l, i) => (i === ai ? merged : l)).filter((_, i) => i !== bi);
      return withLines(page, lines, ids);
    }
    case 'reorder-lines': {
      if (new Set(edit.lines).size !== edit.lines.length) throw new InvalidEditError('The new reading order names a line twice.');
      const found = edit.lines.map((id) => findLine(page, id));
      const block = found[0]!.item.block;
      if (found.some((f) => f.item.block !== block)) throw new InvalidEditError('Lines can only be reordered within one block: these belong to different blocks.');
      const slots = found.map((f) => f.lineIndex).sort((x, y) => x - y);
      const lines = [...page.lines];
      slots.forEach((slot, i) => (lines[slot] = found[i]!.item));
      return withLines(page, lines, ids);
    }
    case 'replace-region': {
      checkBox(page, edit.region, 'the region');
      edit.lines.forEach((l, i) => {
        checkBox(page, l.box, `line ${i + 1} of the region`);
        l.words.forEach((w, j) => checkBox(page, w.box, `word ${j + 1} of line ${i + 1} of the region`));
      });
      const inside = (l: OcrLine) => insideQuad(edit.region, quadCentre(l.box));
      const firstGone = page.lines.findIndex(inside);
      const kept = page.lines.filter((l) => !inside(l));
      if (edit.lines.length === 0) return withLines(page, kept, ids);
      const rest: OcrPage = { ...page, lines: kept };
      const at = firstGone >= 0 ? { index: kept.filter((_, i) => i < firstGone).length, block: page.lines[firstGone]!.block } : placeByPosition(rest, edit.region);
      const added = edit.lines.map((p) => {
        const words = p.words.map((w) => ({ id: ids.nextWord(), text: w.text, confidence: w.confidence, box: w.box }));
        return newLine(ids.nextLine(), p.box, at.block, words);
      });
      const lines = [...kept];
      lines.splice(at.index, 0, ...added);
      return withLines(page, lines, ids);
    }
  }
}

/** Applies edits in order; the first that does not apply throws, naming its place in the batch. */
export function applyEdits(page: OcrPage, edits: readonly Edit[]): OcrPage {
  let out = page;
  edits.forEach((edit, i) => {
    try {
      out = applyEdit(out, edit);
    } catch (error) {
      if (error instanceof InvalidEditError && edits.length > 1) throw new InvalidEditError(`Edit ${i + 1} of ${edits.length} (${edit.op}): ${error.message}`);
      throw error;
    }
  });
  return out;
}

/** One line for people: what an edit does ("w12 → TOTAL"). */
export function describeEdit(edit: Edit): string {
  switch (edit.op) {
    case 'set-word-text':
      return `${edit.word} → ${JSON.stringify(edit.text)}`;
    case 'set-line-text':
      return `${edit.line} → ${JSON.stringify(edit.text)}`;
    case 'accept-word':
    case 'delete-word':
      return `${edit.op} ${edit.word}`;
    case 'accept-line':
    case 'delete-line':
      return `${edit.op} ${edit.line}`;
    case 'add-line':
      return `add-line ${JSON.stringify(edit.text)}`;
    case 'split-line':
      return `split-line ${edit.line} at ${edit.word}`;
    case 'merge-lines':
      return `merge-lines ${edit.lines.join('+')}`;
    case 'reorder-lines':
      return `reorder-lines ${edit.lines.join(',')}`;
    case 'replace-region':
      return `replace-region with ${edit.lines.length} line(s)`;
  }
}

/** The words of a page in reading order, with their line. */
export function pageWords(page: OcrPage): { word: OcrWord; line: OcrLine }[] {
  return page.lines.flatMap((line) => line.words.map((word) => ({ word, line })));
}

/** Words under a confidence threshold, in reading order. */
export function lowConfidenceWords(page: OcrPage, threshold: number): OcrWord[] {
  return pageWords(page)
    .map((w) => w.word)
    .filter((w) => w.confidence < threshold);
}
