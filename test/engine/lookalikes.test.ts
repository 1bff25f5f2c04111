import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveLookalikes } from '../../app/worker/engine/lookalikes.ts';

/** A row of cells at y 100-120, one per text, 60 px apart. */
const row = (texts: string[], y = 100) => texts.map((text, i) => ({ text, rect: { x1: 60 * i, y1: y, x2: 60 * i + 40, y2: y + 20 } }));

describe('look-alike letters in rows of numbers', () => {
  it('reads a lone o, O, l or I among numbers as the digit', () => {
    // A row of the state-by-state table as read: Guam 0 100 55 12 3 o 0 0 1 o.
    assert.deepEqual(resolveLookalikes(row(['Guam', '0', '100', '55', '12', '3', 'o', '0', '0', '1', 'O', 'l'])), ['Guam', '0', '100', '55', '12', '3', '0', '0', '0', '1', '0', '1']);
  });

  it('leaves letters alone in rows of words, in rows with too few numbers, and inside words', () => {
    assert.deepEqual(resolveLookalikes(row(['Section', 'I', 'Overview'])), ['Section', 'I', 'Overview']);
    assert.deepEqual(resolveLookalikes(row(['Table', 'o', '12'])), ['Table', 'o', '12']);
    assert.deepEqual(resolveLookalikes(row(['lo', '12', '14', '15'])), ['lo', '12', '14', '15']);
    // Look-alikes alone do not make a row of numbers.
    assert.deepEqual(resolveLookalikes(row(['o', 'l', 'I', 'O'])), ['o', 'l', 'I', 'O']);
  });

  it('only counts lines on the same row', () => {
    const lines = [...row(['x', 'o'], 100), ...row(['12', '13', '14', '15'], 200)];
    assert.equal(resolveLookalikes(lines)[1], 'o');
    assert.deepEqual(resolveLookalikes(row(['1,234', '(5.6)', '-7%', 'o']))[3], '0');
  });
});
