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
 *
 * The parts, re-exported here (importers import this module):
 * - edits/schema.ts: the commands (zod) and their one-line descriptions;
 * - edits/apply.ts: applyEdit, applyEdits and the page's words by confidence;
 * - edits/lines.ts: finding, rebuilding and placing lines, and renumbering blocks;
 * - edits/ids.ts: the next free line and word ids;
 * - edits/geometry.ts: quads, hulls, words laid out along a line, the upright frame.
 */
export { applyEdit, applyEdits, lowConfidenceWords, pageWords } from './edits/apply.ts';
export { insideQuad, layoutWords, quadCentre } from './edits/geometry.ts';
export { lastIdsOf } from './edits/ids.ts';
export { describeEdit, EDIT_OPS, editSchema, proposedLineSchema, proposedWordSchema, type Edit, type EditOp, type ProposedLine, type ProposedWord } from './edits/schema.ts';
