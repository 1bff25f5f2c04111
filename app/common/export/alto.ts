/**
 * ALTO 4 (schema 4.2, namespace ns-v4): Page › PrintSpace › TextBlock › TextLine › String/SP, positions in pixels
 * (MeasurementUnit pixel), word confidence as WC (0–1).
 */
import type { OcrDocument } from '../result.ts';
import { paragraphs } from './blocks.ts';
import { intBounds, xmlEscape } from './xml.ts';

const pos = ([x1, y1, x2, y2]: [number, number, number, number]) => `HPOS="${x1}" VPOS="${y1}" WIDTH="${x2 - x1}" HEIGHT="${y2 - y1}"`;

export function toAlto(doc: OcrDocument): string {
  const out: string[] = [];
  out.push(
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#" xmlns:xlink="http://www.w3.org/1999/xlink" ' +
      'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
      'xsi:schemaLocation="http://www.loc.gov/standards/alto/ns-v4# http://www.loc.gov/standards/alto/v4/alto-4-2.xsd" SCHEMAVERSION="4.2">',
    '<Description>',
    '<MeasurementUnit>pixel</MeasurementUnit>',
    `<sourceImageInformation><fileName>${xmlEscape(doc.source.path)}</fileName></sourceImageInformation>`,
    '<Processing ID="ocr">',
    '<processingCategory>contentGeneration</processingCategory>',
    // xsd:dateTime: left out unless the document has a valid timestamp.
    ...(Number.isNaN(Date.parse(doc.engine.createdAt)) ? [] : [`<processingDateTime>${new Date(doc.engine.createdAt).toISOString()}</processingDateTime>`]),
    `<processingSoftware><softwareName>OCR Desk</softwareName><softwareVersion>${xmlEscape(doc.engine.models)}</softwareVersion></processingSoftware>`,
    '</Processing>',
    '</Description>',
    '<Layout>',
  );
  for (const page of doc.pages) {
    const p = page.index + 1;
    out.push(`<Page ID="page_${p}" PHYSICAL_IMG_NR="${p}" WIDTH="${page.width}" HEIGHT="${page.height}">`);
    out.push(`<PrintSpace HPOS="0" VPOS="0" WIDTH="${page.width}" HEIGHT="${page.height}">`);
    let l = 0;
    let w = 0;
    paragraphs(page).forEach((par, b) => {
      out.push(`<TextBlock ID="block_${p}_${b + 1}" ${pos(intBounds(par.lines.flatMap((line) => line.box), page.width, page.height))}>`);
      for (const line of par.lines) {
        l++;
        out.push(`<TextLine ID="line_${p}_${l}" ${pos(intBounds(line.box, page.width, page.height))}>`);
        const words = line.words.length > 0 ? line.words : [{ text: line.text, confidence: line.confidence, box: line.box }];
        words.forEach((word, i) => {
          w++;
          if (i > 0) out.push('<SP/>');
          const wc = Math.min(1, Math.max(0, word.confidence)).toFixed(3);
          out.push(`<String ID="word_${p}_${w}" CONTENT="${xmlEscape(word.text)}" ${pos(intBounds(word.box, page.width, page.height))} WC="${wc}"/>`);
        });
        out.push('</TextLine>');
      }
      out.push('</TextBlock>');
    });
    out.push('</PrintSpace>', '</Page>');
  }
  out.push('</Layout>', '</alto>', '');
  return out.join('\n');
}
