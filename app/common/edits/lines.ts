/**
 * The lines and blocks of a page under edit: finding a line or word by id, boxes checked against the page, a line
 * rebuilt from its words (text, confidence, box), new lines of typed words, where a new line goes in reading order,
 * and blocks renumbered and reboxed after an edit. Shared by every edit in apply.ts.
 */
import { InvalidEditError } from '../errors.ts';
import type { OcrBlock, OcrLine, OcrPage, OcrWord, Quad } from '../result.ts';
import { bounds, hull, layoutWords, quadArea, quadCentre, upright } from './geometry.ts';
import type { Ids } from './ids.ts';

/** How far (pixels) a box may reach past the page's edge: engine boxes are widened by half a frame. */
const EDGE_TOLERANCE = 2;

const round4 = (v: number) => Math.round(v * 1e4) / 1e4;

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
export function rebuilt(line: OcrLine, words: readonly OcrWord[], reshape: boolean): OcrLine {
  const box: Quad = reshape && words.length > 0 ? [words[0]!.box[0], words[words.length - 1]!.box[1], words[words.length - 1]!.box[2], words[0]!.box[3]] : line.box;
  return { ...line, box, words, text: words.map((w) => w.text).join(' '), confidence: lineConfidence(words) };
}

export const splitText = (text: string): string[] => text.trim().split(/\s+/u);

interface Found<T> {
  readonly item: T;
  readonly lineIndex: number;
}

export function findLine(page: OcrPage, id: string): Found<OcrLine> {
  const i = page.lines.findIndex((l) => l.id === id);
  if (i < 0) throw new InvalidEditError(`Page ${page.index + 1} has no line ${id} (it may have been deleted or merged; reload the page).`);
  return { item: page.lines[i]!, lineIndex: i };
}

export function findWord(page: OcrPage, id: string): Found<OcrWord> & { wordIndex: number } {
  for (let i = 0; i < page.lines.length; i++) {
    const j = page.lines[i]!.words.findIndex((w) => w.id === id);
    if (j >= 0) return { item: page.lines[i]!.words[j]!, lineIndex: i, wordIndex: j };
  }
  throw new InvalidEditError(`Page ${page.index + 1} has no word ${id} (it may have been deleted; reload the page).`);
}

export function checkBox(page: OcrPage, box: Quad, what: string): void {
  for (const [x, y] of box) {
    if (x < -EDGE_TOLERANCE || y < -EDGE_TOLERANCE || x > page.width + EDGE_TOLERANCE || y > page.height + EDGE_TOLERANCE) {
      throw new InvalidEditError(`The box of ${what} reaches outside page ${page.index + 1} (${page.width}×${page.height} pixels): its corner (${x}, ${y}) is off the page.`);
    }
  }
  if (quadArea(box) < 1) throw new InvalidEditError(`The box of ${what} has no area: draw a box around the text.`);
}

export function withLines(page: OcrPage, lines: readonly OcrLine[], ids: Ids): OcrPage {
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
export function placeByPosition(page: OcrPage, box: Quad): { index: number; block: number } {
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

export function newLine(id: string, box: Quad, block: number, words: readonly OcrWord[]): OcrLine {
  return rebuilt({ id, box, block, words: [], text: '', confidence: 1 }, words, false);
}

export function typedWords(box: Quad, text: string, ids: Ids): OcrWord[] {
  const texts = splitText(text);
  return layoutWords(box, texts).map((b, i) => ({ id: ids.nextWord(), text: texts[i]!, confidence: 1, box: b }));
}

export function replaceLine(page: OcrPage, index: number, line: OcrLine | null): OcrLine[] {
  const lines = [...page.lines];
  if (line) lines[index] = line;
  else lines.splice(index, 1);
  return lines;
}
