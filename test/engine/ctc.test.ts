import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lookalikeClasses } from '../../app/worker/engine/charset.ts';
import { ctcGreedy, MAX_ALTERNATIVES } from '../../app/worker/engine/ctc.ts';

const alphabet = ['', 'a', 'b', 'c', '中', '文', ' '];
/** One-hot-ish (T, C) probabilities: each frame puts `p` on its class and spreads the rest; `extra` sets others. */
function probs(frames: { c: number; p?: number; extra?: Record<number, number> }[]): Float32Array {
  const C = alphabet.length;
  const out = new Float32Array(frames.length * C);
  frames.forEach(({ c, p = 0.9, extra = {} }, t) => {
    const rest = (1 - p - Object.values(extra).reduce((s, v) => s + v, 0)) / (C - 1 - Object.keys(extra).length);
    for (let k = 0; k < C; k++) out[t * C + k] = k === c ? p : (extra[k] ?? rest);
  });
  return out;
}

describe('CTC decoding', () => {
  it('collapses repeats, drops blanks, and keeps repeated letters split by a blank', () => {
    const p = probs([{ c: 1 }, { c: 1 }, { c: 0 }, { c: 1 }, { c: 2 }, { c: 0 }, { c: 3 }, { c: 3 }]);
    const chars = ctcGreedy(p, 0, 8, alphabet.length, alphabet);
    assert.equal(chars.map((c) => c.char).join(''), 'aabc');
    assert.deepEqual(chars.map((c) => [c.start, c.end]), [[0, 1], [3, 3], [4, 4], [6, 7]]);
    assert.ok(chars.every((c) => Math.abs(c.prob - 0.9) < 1e-6));
  });

  it('records the space class probability on the blank frames before each character', () => {
    const p = probs([{ c: 1 }, { c: 0, p: 0.8, extra: { 6: 0.15 } }, { c: 2 }, { c: 0 }, { c: 3 }]);
    const chars = ctcGreedy(p, 0, 5, alphabet.length, alphabet, { space: 6 });
    assert.ok(Math.abs(chars[1]!.spaceBefore - 0.15) < 1e-6);
    assert.ok(chars[2]!.spaceBefore < 0.02);
  });

  it('gives each character the probability of its look-alike group on its best frame', () => {
    const alpha = ['', '0', 'o', 'O', 'x', ' '];
    const C = alpha.length;
    // One frame: "o" wins with 0.4, but "0" and "O" hold 0.3 and 0.25 of the same glyph.
    const p = Float32Array.from([0.02, 0.3, 0.4, 0.25, 0.03, 0]);
    const groups = lookalikeClasses(alpha);
    assert.deepEqual(groups[1], [1, 2, 3]);
    assert.equal(groups[4], undefined);
    const [c] = ctcGreedy(p, 0, 1, C, alpha, { space: 5, lookalikes: groups });
    assert.equal(c!.char, 'o');
    assert.ok(Math.abs(c!.prob - 0.4) < 1e-6 && Math.abs(c!.shapeProb - 0.95) < 1e-6);
    // Without look-alikes the shape probability is the character's own.
    assert.ok(Math.abs(ctcGreedy(p, 0, 1, C, alpha)[0]!.shapeProb - 0.4) < 1e-6);
  });


  it('keeps the classes rated next on the frame where each character peaked, never blank, space or itself', () => {
    // "a" peaks at frame 1 (0.7) with "b" 0.2, the space 0.05 and the blank 0.04 beside it; "c" is sure.
    const p = probs([{ c: 1, p: 0.6, extra: { 3: 0.3 } }, { c: 1, p: 0.7, extra: { 0: 0.04, 2: 0.2, 6: 0.05 } }, { c: 0 }, { c: 3, p: 0.999 }]);
    const chars = ctcGreedy(p, 0, 4, alphabet.length, alphabet, { space: 6, alternatives: true });
    assert.equal(chars.map((c) => c.char).join(''), 'ac');
    assert.deepEqual(chars[0]!.alternatives!.map((a) => a.char), ['b']);
    assert.ok(Math.abs(chars[0]!.alternatives![0]!.prob - 0.2) < 1e-6);
    assert.deepEqual(chars[1]!.alternatives, []);
  });

  it('keeps at most MAX_ALTERNATIVES runners-up, the most probable', () => {
    const p = probs([{ c: 1, p: 0.5, extra: { 0: 0.03, 2: 0.15, 3: 0.12, 4: 0.1, 5: 0.08, 6: 0.02 } }]);
    const [a] = ctcGreedy(p, 0, 1, alphabet.length, alphabet, { space: 6, alternatives: true });
    assert.equal(MAX_ALTERNATIVES, 3);
    assert.deepEqual(a!.alternatives!.map((x) => x.char), ['b', 'c', '中']);
  });
});
