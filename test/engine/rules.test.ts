import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { CtcChar } from '../../app/worker/engine/ctc.ts';
import { cropLine } from '../../app/worker/engine/crop.ts';
import type { RgbImage } from '../../app/worker/engine/raster.ts';
import { DEFAULT_RULES, eraseRules, underlinesAsSpaces } from '../../app/worker/engine/rules.ts';
import { columnInk } from '../../app/worker/engine/words.ts';
import { decodeImage } from '../../app/worker/decode.ts';
import { sharedDir } from '../helpers.ts';
import { inkedRaster } from './raster-fixtures.ts';

/** A white (h, w) crop with black rectangles [x1, y1, x2, y2) painted on it. */
const crop = inkedRaster;
const isInk = (img: RgbImage, x: number, y: number) => img.data[(y * img.width + x) * 3]! < 128;
const ch = (char: string, start: number, end = start): CtcChar => ({ char, prob: 0.9, start, end, spaceBefore: 0, shapeProb: 0.9 });

describe('ruled lines in a line crop', () => {
  // A 48-pixel line: two "glyphs" (vertical strokes from the x-height to the baseline at 40) standing on a rule
  // 4 px thick that runs under the whole line (rows 40-43), and a stroke whose descender crosses the rule.
  const H = 48;
  const lined = crop(400, H, [[0, 40, 400, 44], [20, 12, 30, 40], [60, 12, 70, 40], [200, 12, 210, 47]]);

  it('paints the rule the paper colour and keeps the glyphs, and the descender that crosses it', () => {
    const clean = eraseRules(lined);
    assert.notEqual(clean, lined);
    assert.ok(!isInk(clean, 100, 41) && !isInk(clean, 350, 42), 'rule between the glyphs is gone');
    assert.ok(isInk(clean, 25, 20) && isInk(clean, 65, 39), 'glyph strokes stay');
    assert.ok(isInk(clean, 205, 42) && isInk(clean, 205, 46), 'the descender crossing the rule keeps its pixels');
    assert.equal(lined.data[(41 * 400 + 100) * 3], 0, 'the input is not changed');
  });

  it('leaves a crop without a rule, a short stroke (an underscore glyph, a dash) and a thick bar alone', () => {
    const plain = crop(400, H, [[20, 12, 30, 40], [60, 38, 100, 42]]);
    assert.equal(eraseRules(plain), plain);
    // Longer than the minimum run (2 line heights) but thicker than a rule: a black bar, as in inverted text.
    const bar = crop(400, H, [[0, 10, 400, 30]]);
    assert.equal(eraseRules(bar), bar);
    assert.equal(eraseRules(lined, { ...DEFAULT_RULES, minRunHeights: 0 }), lined);
  });

  it('turns an underscore read off the rule into a space, and keeps one that is a glyph', () => {
    // Frames 8 px wide: "a" at frames 2-3 (x 16-32), "_" at frame 6 (x 48-56, rule only), "b" at frames 7-8.
    const clean = eraseRules(lined);
    const chars = [ch('a', 2, 3), ch('_', 5), ch('b', 7, 8)];
    assert.deepEqual(underlinesAsSpaces(chars, clean, 8).map((c) => c.char), ['a', ' ', 'b']);
    // The same characters on a crop whose underscore is a short stroke of ink (BLR_WFLD): kept.
    const glyph = crop(400, H, [[20, 12, 30, 40], [40, 40, 48, 44], [60, 12, 70, 40]]);
    assert.deepEqual(underlinesAsSpaces([ch('a', 2, 3), ch('_', 5), ch('b', 7, 8)], glyph, 8).map((c) => c.char), ['a', '_', 'b']);
  });

  it('finds the underline of a real scanned form and uncovers the blank columns between its words', async () => {
    // funsd-dev 0001123541: "The current system of managing records is too complex..." typed on a ruled line.
    const page = await decodeImage(path.join(sharedDir, 'eval', 'funsd-dev', 'images', '0001123541.png'), 0, 1e8);
    const line = cropLine(page, [[54, 305], [685, 305], [685, 327], [54, 327]], H, 4000).image;
    // Blank columns (words.ts columnInk) of the crop as read and with its rules painted out: under the rule, the
    // columns between letters and words that hold nothing else are paper again (321 blank columns as read, 448
    // without the rule).
    const blankColumns = (img: RgbImage) => {
      const { dark, blankAbove } = columnInk(img);
      return dark.filter((v) => v > blankAbove).length;
    };
    const clean = eraseRules(line);
    assert.ok(blankColumns(clean) > blankColumns(line) + 100, `${blankColumns(line)} blank columns as read, ${blankColumns(clean)} without the rule`);
    // The rule is the row with the most ink (row 28 of 48: 1328 of 1377 pixels); the text above it is unchanged.
    const inked = Array.from({ length: H }, (_, y) => Array.from({ length: line.width }, (_, x) => isInk(line, x, y)).filter(Boolean).length);
    const ruleRow = inked.indexOf(Math.max(...inked));
    assert.ok(inked[ruleRow]! > 0.9 * line.width && ruleRow > H / 2, `rule at row ${ruleRow}: ${inked}`);
    const above = line.width * (ruleRow - 4) * 3;
    assert.ok(clean.data.subarray(0, above).every((v, i) => v === line.data[i]), 'text above the rule unchanged');
  });
});
