/** A hand-made two-page document for the exporter and PDF writer tests: blocks, XML/CSV/Markdown specials, Chinese. */
import { assignIds, type OcrDocument, type Quad, type RecognisedLine } from '../app/common/result.ts';

export const box = (x: number, y: number, w: number, h: number): Quad => [[x, y], [x + w, y], [x + w, y + h], [x, y + h]];

function line(block: number, y: number, words: string[], confidence = 0.9): RecognisedLine {
  let x = 10;
  const ws = words.map((text) => {
    const w = { text, confidence, box: box(x, y, 20 * [...text].length, 30) };
    x += 20 * [...text].length + 15;
    return w;
  });
  return { text: words.join(' '), confidence, box: box(10, y, x - 25, 30), words: ws, block };
}

export const sampleDocument: OcrDocument = {
  version: 2,
  source: { path: 'in/a & b.png', name: 'a & b.png' },
  engine: { models: 'ppocr-v4-mobile', createdAt: '2026-11-24T06:00:00.000Z' },
  pages: [
    {
      index: 0,
      width: 1000,
      height: 800,
      orientation: 0,
      blocks: [{ box: box(10, 10, 500, 80) }, { box: box(10, 200, 500, 40) }],
      lines: assignIds([line(0, 10, ['Total:', '<42>', '&', '"x"']), line(0, 50, ['# not', 'a', 'heading']), line(1, 200, ['中文', '测试'], 0.75)]),
    },
    {
      index: 1,
      width: 600,
      height: 400,
      orientation: 0,
      blocks: [{ box: box(10, 10, 300, 40) }],
      lines: assignIds([line(0, 10, ['a,b', 'c'])]),
    },
  ],
};

