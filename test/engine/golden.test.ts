import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { quadBounds } from '../../app/common/result.ts';
import { DEFAULT_MODEL_DIR, loadModelPack } from '../../app/node/model-pack.ts';
import { decodeImage } from '../../app/worker/decode.ts';
import { OcrEngine } from '../../app/worker/engine/engine.ts';
import { sharedDir } from '../helpers.ts';

const images = path.join(sharedDir, 'data', 'images');
const PHOTOTEST_LINES = [
  'This is a lot of 12 point text to test the',
  'ocr code and see if it works on all types',
  'of file format.',
  'The quick brown dog jumped over the',
  'lazy fox. The quick brown dog jumped',
];

describe('engine on real pages (golden)', () => {
  let engine: OcrEngine;
  before(async () => {
    engine = await OcrEngine.create(await loadModelPack(DEFAULT_MODEL_DIR), { threads: 1 });
  });
  after(() => engine.release());

  for (const [file, orientation] of [
    ['phototest.tif', 0],
    ['phototest-rotated-L.png', 90],
    ['phototest-rotated-180.png', 180],
    ['phototest-rotated-R.png', 270],
    // Turned a quarter and skewed by a few degrees.
    ['phototestrot.tif', 90],
  ] as const) {
    it(`reads ${file} upright (orientation ${orientation}) with the exact text`, async () => {
      const image = await decodeImage(path.join(images, file), 0, 1e8);
      const page = await engine.recognise(image);
      assert.equal(page.orientation, orientation);
      assert.deepEqual(page.lines.slice(0, 5).map((l) => l.text), PHOTOTEST_LINES);
      // Words are separated, and each word box lies inside its line box.
      const first = page.lines[0]!;
      assert.deepEqual(first.words.map((w) => w.text), PHOTOTEST_LINES[0]!.split(' '));
      const [lx1, ly1, lx2, ly2] = quadBounds(first.box);
      for (const w of first.words) {
        const [x1, y1, x2, y2] = quadBounds(w.box);
        assert.ok(x1 >= lx1 - 1 && y1 >= ly1 - 1 && x2 <= lx2 + 1 && y2 <= ly2 + 1, `${w.text} inside its line`);
        assert.ok(w.confidence > 0.8, `${w.text} confidence ${w.confidence}`);
      }
      // Boxes are in the coordinates of the image as given: the first line's box is where its text is.
      const [x1, y1, x2, y2] = quadBounds(first.box);
      assert.ok(x1 >= 0 && y1 >= 0 && x2 <= image.width && y2 <= image.height);
    });
  }

  it('reads known lines of a scanned receipt, words separated, a label and its value on one line', async () => {
    const page = await engine.recognise(await decodeImage(path.join(sharedDir, 'eval', 'sroie-dev', 'images', '000.jpg'), 0, 1e8));
    const texts = page.lines.map((l) => l.text);
    for (const known of ['789417-W', '81100 JOHOR BAHRU', 'Document No : TD01167104', 'GOODS SOLD ARE NOT RETURNABLE OR']) assert.ok(texts.includes(known), `"${known}" in ${JSON.stringify(texts)}`);
    // The label and the date, time and PM to its right are one line of separate words. (Its last glyph, an M at the
    // box's very edge, is one the model barely reads: since recognition pads crops on the right (recognise.ts
    // trailingPad), which lowered every evaluation set's CER, it comes out as "P".)
    const joined = page.lines.find((l) => l.text.startsWith('Date:'))!;
    assert.deepEqual(joined.words.slice(0, 3).map((w) => w.text), ['Date:', '25/12/2018', '8:13:39']);
    assert.equal(joined.words.length, 4);
    assert.ok(page.lines.length > 25);
  });

  it('reads underlined form text as words, not as underscores (the rule is not text)', async () => {
    // A scanned form whose answers are typed on ruled lines: the model reads the rule between words as "_", and
    // the rule hides the blank columns that mark a dropped space. Before rules.ts, this line came back as
    // "The_ current_ system_ of _managing_ records_is_too_complex. ...".
    const page = await engine.recognise(await decodeImage(path.join(sharedDir, 'eval', 'funsd-dev', 'images', '0001123541.png'), 0, 1e8));
    const line = page.lines.find((l) => l.text.includes('system') && l.text.includes('complex'));
    assert.ok(line, JSON.stringify(page.lines.map((l) => l.text)));
    assert.ok(!line.text.includes('_'), line.text);
    const words = line.words.map((w) => w.text);
    for (const w of ['system', 'of', 'managing', 'records']) assert.ok(words.includes(w), `${w} in ${JSON.stringify(words)}`);
    assert.ok(words.some((w) => w.startsWith('complex')), JSON.stringify(words));
  });

  it('keeps typewritten words whole beside narrow letters (a monospaced line)', async () => {
    // A typed specification form: in monospaced type an l, i or t sits in a full-width cell with paper on both sides,
    // which read as word gaps before words.ts knew the type was monospaced ("Bobbin Leng th 2700").
    const page = await engine.recognise(await decodeImage(path.join(sharedDir, 'eval', 'funsd-dev', 'images', '0000989556.png'), 0, 1e8));
    const texts = page.lines.map((l) => l.text);
    const words = (start: string) => page.lines.find((l) => l.text.startsWith(start))?.words.map((w) => w.text);
    assert.deepEqual(words('Bobbin Leng'), ['Bobbin', 'Length', '2700'], JSON.stringify(texts));
    assert.ok(words('and No. of lines')?.includes('Application'), JSON.stringify(texts));
  });

  it('reads the small print of a 6182 × 8111 page (found by zooming in, detected in tiles)', async () => {
    const page = await engine.recognise(await decodeImage(path.join(sharedDir, 'eval', 'docs-wide-dev', 'images', 'issue-1054-example.png'), 0, 1e8));
    const texts = page.lines.map((l) => l.text);
    for (const known of ['HERAUSGEBER:', 'Bundesministerium des Innern', 'Alt-Moabit 101 D, 10559 Berlin (Hausanschrift)', 'Telefax: 0 18 88/6 81-29 26']) {
      assert.ok(texts.includes(known), `"${known}" in ${JSON.stringify(texts)}`);
    }
    // Boxes are in the page's own pixels: the lines sit in its lower-left corner.
    const first = quadBounds(page.lines.find((l) => l.text === 'HERAUSGEBER:')!.box);
    assert.ok(first[0] > 150 && first[0] < 300 && first[1] > 5880 && first[1] < 5960, `box ${first}`);
  });

  it('keeps Chinese when asked for it and only Latin by default', async () => {
    const image = await decodeImage(path.join(images, 'phototest.tif'), 0, 1e8);
    const zh = await engine.recognise(image, { languages: ['en', 'zh'] });
    assert.equal(zh.lines[0]!.text, PHOTOTEST_LINES[0]);
  });
});
