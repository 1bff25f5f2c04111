/**
 * Applying the result editor's edits to a page: pure functions, the same in the service (which stores the page
 * that comes out) and in the editor (which shows the page with its unsaved edits). See app/common/edits.ts for
 * what every page that comes out satisfies.
 */
import { InvalidEditError } from '../errors.ts';
import type { OcrLine, OcrPage, OcrWord } from '../result.ts';
import { insideQuad, layoutWords, orientedHull, quadCentre } from './geometry.ts';
import { Ids } from './ids.ts';
import { checkBox, findLine, findWord, newLine, placeByPosition, rebuilt, replaceLine, splitText, typedWords, withLines } from './lines.ts';
import type { Edit } from './schema.ts';

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
