import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { capitalIForL, lettersForDigits, resolveLookalikes } from '../../app/worker/engine/lookalikes.ts';

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

describe('zeros and ones inside words', () => {
  it('become the letters they stand for between letters or ending a word', () => {
    // Receipts and forms as read.
    const read = ['INV0ICE', 'L0T', 'Ja1an', 'Leve1', 'N0.', 'AUT0', 'U1tra', 'V1CEROY', 'r00t', 'Int1', 'Bi11:', '0ver', '(0nly'];
    assert.deepEqual(read.map(lettersForDigits), ['INVOICE', 'LOT', 'Jalan', 'Level', 'NO.', 'AUTO', 'Ultra', 'VICEROY', 'root', 'Intl', 'Bill:', 'Over', '(Only']);
  });

  it('leave numbers, codes and amounts alone', () => {
    const kept = ['10.00', 'M026588', 'T0049', 'A1', 'C1-0170778', 'S0.50', 'RM1.25', '1st', 'WD40', '0', 'CTS300', 'H2O', '0th', '0s', '0x1f', '00ps'];
    assert.deepEqual(kept.map(lettersForDigits), kept);
  });
});

describe('a capital I read as a lowercase l', () => {
  it('becomes I at the start of a word before a consonant, or among capitals', () => {
    // Receipts as read: "Total ltem(6)", "(lnclusive of GST)", an all-caps heading.
    const read = ['ltem', 'ltem(6)', '(lnclusive', 'lnvoice', 'lt', 'ln', 'lTEM', 'SlMPLIFIED', 'lNVOICE'];
    assert.deepEqual(read.map(capitalIForL), ['Item', 'Item(6)', '(Inclusive', 'Invoice', 'It', 'In', 'ITEM', 'SIMPLIFIED', 'INVOICE']);
  });

  it('stays l where words start with it, in units, and where it stands alone', () => {
    const kept = ['line', 'look', 'llama', 'lynx', 'lb', 'lbs', 'l', 'l.', "l'homme", 'Hello', 'HeLlo', 'Jalan', 'Il', '5lb'];
    assert.deepEqual(kept.map(capitalIForL), kept);
  });
});
