import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CtcChar } from '../../app/worker/engine/ctc.ts';
import type { RgbImage } from '../../app/worker/engine/raster.ts';
import { columnInk, DEFAULT_WORD_SPLIT, gapEvidence, gridRegularity, splitWords, type GapEvidence } from '../../app/worker/engine/words.ts';

/**
 * A line of characters, one every 3 frames (pitch 3), each spanning one frame; `gaps[i]` adds blank frames before
 * character i and `sb[i]` is its space probability. Ink evidence: `ink[i]` line heights of blank before it.
 */
function line(text: string, opts: { sb?: Record<number, number>; ink?: Record<number, number>; extra?: Record<number, number>; regularity?: number } = {}) {
  let t = 0;
  const chars: CtcChar[] = [...text].map((char, i) => {
    t += i === 0 ? 0 : 3 + (opts.extra?.[i] ?? 0);
    return { char, prob: 0.95, start: t, end: t, spaceBefore: opts.sb?.[i] ?? 0, shapeProb: 0.95 };
  });
  const evidence: GapEvidence = {
    ink: Float32Array.from(chars, (_, i) => opts.ink?.[i] ?? 0.1),
    frames: Float32Array.from(chars, (c, i) => (i ? (c.start - chars[i - 1]!.end - 1) / 3 : 0)),
    grid: { chars: chars.length, regularity: () => opts.regularity ?? 0.3 },
  };
  return { chars, evidence };
}
const words = (l: ReturnType<typeof line>) => splitWords(l.chars, l.evidence, DEFAULT_WORD_SPLIT).map((w) => w.text);

describe('word boundaries', () => {
  it('splits where the model emitted a space', () => {
    assert.deepEqual(words(line('ab cd')), ['ab', 'cd']);
  });

  it('places a dropped space where the space class and a blank gap agree', () => {
    // A word gap: space probability 0.2 over a third of a line height of paper.
    assert.deepEqual(words(line('ofthe', { sb: { 2: 0.2 }, ink: { 2: 0.33 } })), ['of', 'the']);
  });

  it('does not split inside a word on a faint space probability over a letter gap', () => {
    // "Californi a": 0.03 of space class between two letters a tenth of a line height apart. The rule this replaced
    // split at any space probability over 0.02.
    assert.deepEqual(words(line('California', { sb: { 9: 0.03 }, ink: { 9: 0.1 } })), ['California']);
    assert.deepEqual(words(line('Effective', { sb: { 1: 0.04 }, ink: { 1: 0.12 } })), ['Effective']);
  });

  it('splits at a wide blank gap even with little space probability', () => {
    // A receipt's "1 X": space probability 0.005, but almost a line height of paper between.
    assert.deepEqual(words(line('1X19.00', { sb: { 1: 0.005 }, ink: { 1: 0.85 }, extra: { 1: 4 } })), ['1', 'X19.00']);
  });

  it('never splits inside a number, nor keeps a space the model put there', () => {
    assert.deepEqual(words(line('RM0.00', { sb: { 4: 0.45 }, ink: { 4: 0.3 } })), ['RM0.00']);
    assert.deepEqual(words(line('264,140', { sb: { 4: 0.14 }, ink: { 4: 0.2 } })), ['264,140']);
    assert.deepEqual(words(line('08:30', { sb: { 3: 0.3 }, ink: { 3: 0.3 } })), ['08:30']);
    assert.deepEqual(words(line('66. 04')), ['66.04']);
    // A date's comma is followed by four digits: a real space.
    assert.deepEqual(words(line('3,2014', { sb: { 2: 0.3 }, ink: { 2: 0.35 } })), ['3,', '2014']);
  });

  it('never splits characters read on adjacent frames, nor between Chinese characters', () => {
    const adjacent = line('ab', { sb: { 1: 0.9 }, ink: { 1: 0.9 } });
    adjacent.chars[1] = { ...adjacent.chars[1]!, start: 1, end: 1 };
    assert.deepEqual(words(adjacent), ['ab']);
    assert.deepEqual(words(line('中文', { sb: { 1: 0.9 }, ink: { 1: 0.5 } })), ['中文']);
  });

  it('measures blank gaps in line heights and frame gaps in character pitches', () => {
    // A 10-pixel-tall crop, 40 wide: ink in columns 0-9 and 30-39, paper between (20 columns = 2 line heights).
    const w = 40;
    const h = 10;
    const data = new Uint8Array(w * h * 3).fill(250);
    for (let y = 0; y < h; y++) for (const x of [...Array(10).keys(), ...Array.from({ length: 10 }, (_, i) => 30 + i)]) data.fill(20, (y * w + x) * 3, (y * w + x) * 3 + 3);
    const img: RgbImage = { data, width: w, height: h };
    assert.equal(columnInk(img).blankAbove, 135);
    // Frames 4 px wide: characters centred at x 6 and x 34, on frames 1 and 8.
    const c = (char: string, t: number): CtcChar => ({ char, prob: 0.9, start: t, end: t, spaceBefore: 0, shapeProb: 0.9 });
    const ev = gapEvidence([c('a', 1), c('b', 8)], img, 4);
    assert.equal(ev.ink[1], 2);
    // 6 blank frames at a pitch of 7.
    assert.ok(Math.abs(ev.frames[1]! - 6 / 7) < 1e-6);
  });

  it('discounts the paper beside a narrow letter in a monospaced line only', () => {
    // A typewriter's "Female": the l sits in a full cell, half a line height of paper before it (and a faint space
    // probability): enough for a word gap in proportional type.
    const typed = { sb: { 4: 0.01 }, ink: { 4: 0.5 }, extra: { 4: 1 } };
    assert.deepEqual(words(line('Female wage earners', { ...typed, regularity: 0.85 })), ['Female', 'wage', 'earners']);
    // The same gap in proportional type (a line whose characters lie on no grid) is a word gap.
    assert.deepEqual(words(line('Female wage earners', { ...typed, regularity: 0.4 })), ['Fema', 'le', 'wage', 'earners']);
    // A wide gap beside a narrow letter is still a word gap in monospaced type ("lot of" read as "lotof").
    assert.deepEqual(words(line('lotof paper here', { sb: { 3: 0.01 }, ink: { 3: 0.9 }, extra: { 3: 3 }, regularity: 0.85 })), ['lot', 'of', 'paper', 'here']);
    // Too few characters to judge the grid: no discount.
    assert.deepEqual(words(line('Female', { ...typed, regularity: 0.95 })), ['Fema', 'le']);
  });
});

describe('grid regularity', () => {
  it('is high for characters on a monospaced grid, low for proportional type', () => {
    // Cells of 3.6 frames, centres quantised to whole frames as CTC reports them.
    const typed = Array.from({ length: 30 }, (_, k) => Math.round(k * 3.6 + 0.3));
    assert.ok(gridRegularity(typed, 4) >= 0.7, `typed ${gridRegularity(typed, 4)}`);
    // Proportional: steps of 2 to 5 frames in no order (a fixed sequence, not random, so the test is stable).
    const steps = [3, 2, 5, 3, 4, 2, 2, 5, 4, 3, 2, 5, 3, 3, 4, 2, 5, 2, 4, 3, 5, 2, 3, 4, 2, 5, 3, 2, 4];
    const prop = steps.reduce<number[]>((acc, st) => [...acc, acc.at(-1)! + st], [0]);
    assert.ok(gridRegularity(prop, 3) < 0.6, `proportional ${gridRegularity(prop, 3)}`);
    assert.equal(gridRegularity([5], 3), 0);
  });
});
