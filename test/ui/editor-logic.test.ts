/**
 * The result editor's pure parts, without a browser: its draft (actions, undo, redo, restoring a kept draft on the
 * same or a newer page version), keyboard navigation (next and previous low-confidence word, lowest word, lines),
 * reading-order moves, find in the document, the picture size for a zoom, and its addresses.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyEdit } from '../../app/common/edits.ts';
import { parseRoute, routeHash } from '../../app/renderer/lib/route.ts';
import { act, current, findMatches, lowCount, lowestWord, movedOrder, newDraft, pendingEdits, pictureSide, redo, restore, stepLine, stepLow, stepWord, undo } from '../../app/renderer/views/editor/editor-model.ts';
import { sampleDocument } from '../sample-document.ts';

const page = sampleDocument.pages[0]!;
// l1: w1 Total: w2 <42> w3 & w4 "x" (0.9); l2: w5 "# not" w6 a w7 heading (0.9); l3: w8 中文 w9 测试 (0.75)

describe('the result editor, without a browser', () => {
  test('actions are undone and redone; a new action clears redo; pending edits are every action in order', () => {
    let d = newDraft(3, page);
    d = act(d, { edits: [{ op: 'set-word-text', word: 'w2', text: '<43>' }] });
    d = act(d, { edits: [{ op: 'accept-word', word: 'w8' }, { op: 'accept-word', word: 'w9' }] });
    assert.equal(pendingEdits(d).length, 3);
    assert.equal(lowCount(current(d), 0.8), 0);
    d = undo(d);
    assert.equal(lowCount(current(d), 0.8), 2);
    assert.equal(current(d).lines[0]!.text, 'Total: <43> & "x"');
    d = redo(d);
    assert.equal(lowCount(current(d), 0.8), 0);
    d = undo(undo(d));
    assert.deepEqual(current(d), page);
    assert.equal(d.undone.length, 2);
    d = act(d, { edits: [{ op: 'delete-line', line: 'l3' }] });
    assert.equal(d.undone.length, 0, 'a new action ends redo');
    assert.equal(d.baseVersion, 3);
    assert.throws(() => act(d, { edits: [{ op: 'delete-line', line: 'l3' }] }), /has no line l3/);
  });

  test('a kept draft is restored on its page, or on a newer version with what no longer applies left out', () => {
    const done = [{ edits: [{ op: 'set-word-text' as const, word: 'w2', text: 'A' }] }, { edits: [{ op: 'delete-word' as const, word: 'w9' }] }];
    const same = restore(0, page, done, []);
    assert.equal(same.dropped, 0);
    assert.equal(current(same.draft).lines[2]!.text, '中文');
    // Saved elsewhere meanwhile: line 3 is gone in the new version, so deleting its word no longer applies.
    const newer = applyEdit(page, { op: 'delete-line', line: 'l3' });
    const moved = restore(1, newer, done, []);
    assert.equal(moved.dropped, 1);
    assert.equal(moved.draft.baseVersion, 1);
    assert.equal(current(moved.draft).lines[0]!.text, 'Total: A & "x"');
  });

  test('the keys move through words, low-confidence words and lines in reading order', () => {
    assert.equal(stepWord(page, null, 1), 'w1');
    assert.equal(stepWord(page, null, -1), 'w9');
    assert.equal(stepWord(page, { kind: 'word', id: 'w4' }, 1), 'w5');
    assert.equal(stepWord(page, { kind: 'word', id: 'w9' }, 1), 'w9', 'stays at the end');
    assert.equal(stepLow(page, null, 0.8, 1), 'w8');
    assert.equal(stepLow(page, { kind: 'word', id: 'w8' }, 0.8, 1), 'w9');
    assert.equal(stepLow(page, { kind: 'word', id: 'w9' }, 0.8, 1), undefined, 'none past the last');
    assert.equal(stepLow(page, { kind: 'word', id: 'w9' }, 0.8, -1), 'w8');
    assert.equal(stepLow(page, { kind: 'line', id: 'l3' }, 0.8, 1), 'w8', "from a line: its own words first");
    assert.equal(stepLow(page, { kind: 'word', id: 'w1' }, 0.95, 1), 'w2', 'the threshold decides');
    assert.equal(lowestWord(page), 'w8');
    assert.equal(stepLine(page, { kind: 'word', id: 'w2' }, 1), 'l2');
    assert.equal(stepLine(page, null, 1), 'l1');
  });

  test('a line moves up or down within its block only', () => {
    assert.deepEqual(movedOrder(page, 'l1', 1), ['l2', 'l1']);
    assert.deepEqual(movedOrder(page, 'l2', -1), ['l2', 'l1']);
    assert.equal(movedOrder(page, 'l2', 1), undefined, 'the last line of its block');
    assert.equal(movedOrder(page, 'l3', -1), undefined, 'alone in its block');
  });

  test('find in the document: case-insensitive, across pages, with the words each match covers', () => {
    const matches = findMatches(sampleDocument.pages, 'NOT A');
    assert.deepEqual(matches, [{ page: 0, line: 'l2', words: ['w5', 'w6'] }]);
    assert.deepEqual(
      findMatches(sampleDocument.pages, 'c').map((m) => [m.page, m.line]),
      [[1, 'l1']],
    );
    assert.deepEqual(findMatches(sampleDocument.pages, '测试'), [{ page: 0, line: 'l3', words: ['w9'] }]);
    assert.deepEqual(findMatches(sampleDocument.pages, '  '), []);
  });

  test('the picture asked for covers the screen at the zoom, from a few sizes, never past the page', () => {
    assert.equal(pictureSide(3508, 0.3, 1), 2048);
    assert.equal(pictureSide(3508, 0.25, 1), 1024);
    assert.equal(pictureSide(3508, 0.3, 2), 3508, 'the page itself, rather than a size beyond it');
    assert.equal(pictureSide(3508, 2, 1), 3508);
    assert.equal(pictureSide(1013, 3, 2), 1024, 'a small page: its own size is enough');
    assert.equal(pictureSide(12000, 1, 1), 8192, 'the service gives at most 8192');
  });

  test('editor addresses', () => {
    assert.deepEqual(parseRoute('#/library/12/edit'), { tab: 'library', documentId: 12, edit: true });
    assert.deepEqual(parseRoute('#/library/12/edit?p=3&review=1'), { tab: 'library', documentId: 12, edit: true, page: 3, review: true });
    assert.deepEqual(parseRoute('#/library/12?p=3'), { tab: 'library', documentId: 12 });
    assert.deepEqual(parseRoute('#/review'), { tab: 'review' });
    assert.equal(routeHash({ tab: 'library', documentId: 12, edit: true, page: 3, review: true }), '#/library/12/edit?p=3&review=1');
    assert.equal(routeHash({ tab: 'library', documentId: 12, edit: true, page: 0 }), '#/library/12/edit');
    assert.equal(routeHash({ tab: 'library', query: 'a b' }), '#/library?q=a%20b');
  });
});
