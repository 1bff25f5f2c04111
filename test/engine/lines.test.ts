import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Quad } from '../../app/common/result.ts';
import { joinRow, shiftLeftEdge } from '../../app/worker/engine/lines.ts';

describe('line shaping', () => {
  it('moves the left side of a box along the text, whatever the page rotation', () => {
    const upright: Quad = [[10, 20], [110, 20], [110, 40], [10, 40]];
    assert.deepEqual(shiftLeftEdge(upright, -3), [[7, 20], [110, 20], [110, 40], [7, 40]]);
    // A page read upside down: the text's top-left is the image's bottom-right.
    const flipped: Quad = [[110, 40], [10, 40], [10, 20], [110, 20]];
    assert.deepEqual(shiftLeftEdge(flipped, -3), [[113, 40], [10, 40], [10, 20], [113, 20]]);
    assert.equal(shiftLeftEdge(upright, 0), upright);
  });

  it('joins a row of cells into one line, words in order and confidence weighted by characters', () => {
    const cell = (text: string, confidence: number, x: number) => ({
      text,
      confidence,
      box: [[x, 0], [x + 50, 0], [x + 50, 20], [x, 20]] as Quad,
      words: text.split(' ').map((w) => ({ text: w, confidence, box: [[x, 0], [x + 50, 0], [x + 50, 20], [x, 20]] as Quad })),
    });
    const box: Quad = [[0, 0], [250, 0], [250, 20], [0, 20]];
    const line = joinRow([cell('Total', 0.9, 0), cell('12.00', 0.6, 200)], box);
    assert.equal(line.text, 'Total 12.00');
    assert.deepEqual(line.words.map((w) => w.text), ['Total', '12.00']);
    assert.equal(line.confidence, 0.75);
    assert.equal(line.box, box);
  });
});
