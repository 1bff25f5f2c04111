/**
 * The result editor's commands as data: zod schemas, so the service validates an edit like every other input,
 * and one line for people saying what an edit does. What an edit does to a page is apply.ts's.
 */
import { z } from 'zod';
import { quadSchema } from '../result.ts';

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
