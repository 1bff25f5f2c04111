/**
 * The result editor's edit model, without the service: every edit command on a hand-made page, ids never reused,
 * the page valid after each edit, blocks kept in reading order, and bad edits refused with a specific error.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdit, applyEdits, editSchema, lastIdsOf, layoutWords, lowConfidenceWords, type Edit } from '../app/common/edits.ts';
import { InvalidEditError } from '../app/common/errors.ts';
import { exportDocument } from '../app/common/export/index.ts';
import { pageSchema, pageText, type OcrPage } from '../app/common/result.ts';
import { box, sampleDocument } from './sample-document.ts';

const page: OcrPage = sampleDocument.pages[0]!;
// l1: w1 Total: w2 <42> w3 & w4 "x" (block 0); l2: w5 # not, w6 a, w7 heading (block 0); l3: w8 中文 w9 测试 (block 1)

const valid = (p: OcrPage) => {
  pageSchema.parse(p);
  const lines = new Set(p.lines.map((l) => l.id));
  const words = p.lines.flatMap((l) => l.words.map((w) => w.id));
  assert.equal(lines.size, p.lines.length, 'line ids are unique');
  assert.equal(new Set(words).size, words.length, 'word ids are unique');
  for (const l of p.lines) {
    assert.ok(l.words.length > 0, `${l.id} has words`);
    assert.equal(l.text, l.words.map((w) => w.text).join(' '), `${l.id}'s text is its words'`);
    assert.ok(l.block >= 0 && l.block < p.blocks.length, `${l.id}'s block exists`);
  }
  // Blocks numbered in reading order, each one run of lines.
  const seen: number[] = [];
  for (const l of p.lines) if (seen.at(-1) !== l.block) seen.push(l.block);
  assert.deepEqual(seen, [...seen.keys()], 'blocks in reading order, contiguous');
  return p;
};

const edit = (p: OcrPage, e: Edit) => valid(applyEdit(p, editSchema.parse(e)));
const word = (p: OcrPage, id: string) => p.lines.flatMap((l) => l.words).find((w) => w.id === id);

describe('edits', () => {
  it('set-word-text changes one word, marks it reviewed (confidence 1) and keeps its id and box', () => {
    const p = edit(page, { op: 'set-word-text', word: 'w2', text: '<43>' });
    assert.equal(p.lines[0]!.text, 'Total: <43> & "x"');
    assert.deepEqual(word(p, 'w2'), { ...word(page, 'w2')!, text: '<43>', confidence: 1 });
    assert.ok(p.lines[0]!.confidence > page.lines[0]!.confidence, 'the line confidence rises with a reviewed word');
    assert.deepEqual(p.blocks, page.blocks, 'blocks untouched');
  });

  it('set-word-text with a space makes two words sharing the box; the new one takes the next free id', () => {
    const p = edit(page, { op: 'set-word-text', word: 'w7', text: 'head ing' });
    assert.deepEqual(p.lines[1]!.words.map((w) => [w.id, w.text]), [['w5', '# not'], ['w6', 'a'], ['w7', 'head'], ['w10', 'ing']]);
    const ids = p.lines[1]!.words.map((w) => w.id);
    assert.deepEqual(ids.slice(-2), ['w7', 'w10']);
    assert.equal(p.lines[1]!.text, '# not a head ing');
    const [a, b] = [word(p, 'w7')!, word(p, 'w10')!];
    assert.ok(a.box[1][0] <= b.box[0][0] && a.box[0][0] === word(page, 'w7')!.box[0][0] && b.box[1][0] === word(page, 'w7')!.box[1][0], 'the two split the old box');
  });

  it('accept-word sets confidence 1; low-confidence words are those under the threshold', () => {
    assert.deepEqual(lowConfidenceWords(page, 0.8).map((w) => w.id), ['w8', 'w9']);
    const p = edit(page, { op: 'accept-word', word: 'w8' });
    assert.deepEqual(lowConfidenceWords(p, 0.8).map((w) => w.id), ['w9']);
  });

  it('delete-word removes a word and shrinks the line to its words; the last word takes its line with it', () => {
    let p = edit(page, { op: 'delete-word', word: 'w1' });
    assert.equal(p.lines[0]!.text, '<42> & "x"');
    assert.deepEqual(p.lines[0]!.box[0], word(page, 'w2')!.box[0]);
    p = edit(edit(p, { op: 'delete-word', word: 'w8' }), { op: 'delete-word', word: 'w9' });
    assert.equal(p.lines.length, 2);
    assert.equal(p.blocks.length, 1, 'the empty block is gone');
  });

  it('ids of deleted words are never given again', () => {
    const p = edit(page, { op: 'delete-word', word: 'w9' }); // the highest id
    assert.deepEqual(lastIdsOf(p), { line: 3, word: 9 });
    const q = edit(p, { op: 'add-line', box: box(10, 600, 300, 30), text: 'new words' });
    assert.deepEqual(q.lines.at(-1)!.words.map((w) => w.id), ['w10', 'w11']);
    assert.equal(q.lines.at(-1)!.id, 'l4');
    const r = edit(edit(q, { op: 'delete-line', line: 'l4' }), { op: 'add-line', box: box(10, 600, 300, 30), text: 'again' });
    assert.equal(r.lines.at(-1)!.id, 'l5');
    assert.equal(r.lines.at(-1)!.words[0]!.id, 'w12');
  });

  it('set-line-text keeps word ids and boxes when the word count is the same, else lays the words out again', () => {
    const same = edit(page, { op: 'set-line-text', line: 'l2', text: '#not A HEADING' });
    assert.deepEqual(same.lines[1]!.words.map((w) => w.id), ['w5', 'w6', 'w7']);
    assert.ok(same.lines[1]!.words.every((w) => w.confidence === 1));
    const other = edit(page, { op: 'set-line-text', line: 'l2', text: 'one two' });
    assert.deepEqual(other.lines[1]!.words.map((w) => [w.id, w.text]), [['w10', 'one'], ['w11', 'two']]);
    assert.deepEqual(other.lines[1]!.box, page.lines[1]!.box);
  });

  it('add-line goes where its box is: inside a block in reading order, or as a block of its own', () => {
    // Between l1 (y 10) and l2 (y 50) of block 0.
    const p = edit(page, { op: 'add-line', box: box(10, 41, 200, 8), text: 'missed' });
    assert.deepEqual(p.lines.map((l) => l.text.split(' ')[0]), ['Total:', 'missed', '#', '中文']);
    assert.equal(p.lines[1]!.block, 0);
    // Far below everything: a third block at the end.
    const q = edit(page, { op: 'add-line', box: box(600, 700, 200, 30), text: 'footer' });
    assert.equal(q.lines.at(-1)!.text, 'footer');
    assert.equal(q.blocks.length, 3);
    // Above everything, outside the blocks: a new first block.
    const r = edit(edit(page, { op: 'delete-line', line: 'l1' }), { op: 'add-line', box: box(600, 5, 200, 20), text: 'header' });
    assert.equal(r.lines[0]!.text, 'header');
    assert.equal(r.lines[0]!.block, 0);
    // `after` puts it exactly there.
    const s = edit(page, { op: 'add-line', box: box(600, 700, 200, 30), text: 'x', after: 'l1' });
    assert.equal(s.lines[1]!.text, 'x');
  });

  it('split-line and merge-lines are inverse in text; merging keeps the first id', () => {
    const split = edit(page, { op: 'split-line', line: 'l1', word: 'w3' });
    assert.deepEqual(split.lines.slice(0, 2).map((l) => [l.id, l.text]), [['l1', 'Total: <42>'], ['l4', '& "x"']]);
    assert.equal(split.lines[1]!.block, 0);
    const merged = edit(split, { op: 'merge-lines', lines: ['l1', 'l4'] });
    assert.equal(merged.lines[0]!.text, page.lines[0]!.text);
    assert.equal(merged.lines.length, page.lines.length);
    assert.throws(() => applyEdit(page, { op: 'split-line', line: 'l1', word: 'w1' }), InvalidEditError);
    assert.throws(() => applyEdit(page, { op: 'split-line', line: 'l1', word: 'w5' }), /not on line l1/);
  });

  it('reorder-lines fixes the reading order within a block', () => {
    const p = edit(page, { op: 'reorder-lines', lines: ['l2', 'l1'] });
    assert.deepEqual(p.lines.map((l) => l.id), ['l2', 'l1', 'l3']);
    assert.throws(() => applyEdit(page, { op: 'reorder-lines', lines: ['l1', 'l3'] }), /within one block/);
    assert.equal(pageText(p).split('\n')[0], '# not a heading');
  });

  it('replace-region swaps the lines inside a region for proposed ones, or deletes them', () => {
    const region = box(0, 190, 600, 60);
    const proposed = { text: '中文测试', confidence: 0.97, box: box(10, 200, 100, 30), words: [{ text: '中文测试', confidence: 0.97, box: box(10, 200, 100, 30) }] };
    const p = edit(page, { op: 'replace-region', region, lines: [proposed] });
    assert.deepEqual(p.lines.map((l) => l.text), ['Total: <42> & "x"', '# not a heading', '中文测试']);
    assert.equal(p.lines[2]!.id, 'l4');
    assert.equal(p.lines[2]!.block, 1);
    const cleared = edit(page, { op: 'replace-region', region, lines: [] });
    assert.equal(cleared.lines.length, 2);
  });

  it('refuses unknown ids, boxes off the page, empty text and malformed ids, naming the problem', () => {
    assert.throws(() => applyEdit(page, { op: 'set-word-text', word: 'w99', text: 'x' }), /has no word w99/);
    assert.throws(() => applyEdit(page, { op: 'delete-line', line: 'l99' }), /has no line l99/);
    assert.throws(() => applyEdit(page, { op: 'add-line', box: box(900, 10, 200, 30), text: 'x' }), /reaches outside page 1 \(1000×800 pixels\)/);
    assert.throws(() => applyEdit(page, { op: 'add-line', box: box(10, 10, 0, 0), text: 'x' }), /no area/);
    assert.equal(editSchema.safeParse({ op: 'set-word-text', word: 'w1', text: '   ' }).success, false);
    assert.equal(editSchema.safeParse({ op: 'set-word-text', word: 'l1', text: 'x' }).success, false);
    assert.equal(editSchema.safeParse({ op: 'explode', word: 'w1' }).success, false);
    // A batch is all or none, and says which edit failed.
    assert.throws(() => applyEdits(page, [{ op: 'accept-word', word: 'w1' }, { op: 'accept-word', word: 'w77' }]), /Edit 2 of 2 \(accept-word\)/);
  });

  it('every export carries an edit', () => {
    const edited = { ...sampleDocument, pages: [edit(page, { op: 'set-word-text', word: 'w2', text: 'CORRECTED' }), sampleDocument.pages[1]!] };
    for (const format of ['txt', 'json', 'hocr', 'alto', 'md', 'csv'] as const) assert.match(exportDocument(edited, format), /CORRECTED/, format);
  });

  it('layoutWords divides a rotated line box along the line', () => {
    const rotated: [number, number][] = [[100, 10], [100, 110], [70, 110], [70, 10]]; // a line reading downwards
    const [a, b] = layoutWords(rotated as never, ['ab', 'cd']);
    assert.deepEqual(a![0], [100, 10]);
    assert.deepEqual(b![1], [100, 110]);
    assert.ok(a![1][1] < b![0][1]);
  });
});
