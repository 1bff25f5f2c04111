/**
 * hOCR 1.2 (XHTML): ocr_page › ocr_carea › ocr_par › ocr_line › ocrx_word, each with `bbox` in page pixels;
 * words carry `x_wconf` (0–100), lines a `baseline`, the page `image`, `ppageno` and `scan_res` when known.
 */
import type { OcrDocument } from '../result.ts';
import { paragraphs } from './blocks.ts';
import { intBounds, xmlEscape } from './xml.ts';

export function toHocr(doc: OcrDocument): string {
  const out: string[] = [];
  out.push(
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">',
    '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">',
    '<head>',
    `<title>${xmlEscape(doc.source.name)}</title>`,
    '<meta http-equiv="Content-Type" content="text/html;charset=utf-8"/>',
    `<meta name="ocr-system" content="OCR Desk (${xmlEscape(doc.engine.models)})"/>`,
    '<meta name="ocr-number-of-pages" content="' + doc.pages.length + '"/>',
    '<meta name="ocr-capabilities" content="ocr_page ocr_carea ocr_par ocr_line ocrx_word ocrp_wconf"/>',
    '</head>',
    '<body>',
  );
  for (const page of doc.pages) {
    const p = page.index + 1;
    const res = page.dpi ? `; scan_res ${Math.round(page.dpi)} ${Math.round(page.dpi)}` : '';
    out.push(
      `<div class="ocr_page" id="page_${p}" title="image &quot;${xmlEscape(doc.source.name.replace(/[;"]/g, encodeURIComponent))}&quot;; bbox 0 0 ${page.width} ${page.height}; ppageno ${page.index}${res}">`,
    );
    let l = 0;
    let w = 0;
    paragraphs(page).forEach((par, b) => {
      const bbox = intBounds(par.lines.flatMap((line) => line.box), page.width, page.height).join(' ');
      out.push(`<div class="ocr_carea" id="block_${p}_${b + 1}" title="bbox ${bbox}">`);
      out.push(`<p class="ocr_par" id="par_${p}_${b + 1}" title="bbox ${bbox}">`);
      for (const line of par.lines) {
        l++;
        const [x1, y1, x2, y2] = intBounds(line.box, page.width, page.height);
        const quad = line.box;
        // Baseline as slope and offset from the line box's bottom-left corner (hOCR's `baseline`).
        const dx = quad[2][0] - quad[3][0];
        const slope = dx !== 0 ? (quad[2][1] - quad[3][1]) / dx : 0;
        const offset = Math.round(quad[3][1] - y2);
        out.push(`<span class="ocr_line" id="line_${p}_${l}" title="bbox ${x1} ${y1} ${x2} ${y2}; baseline ${slope.toFixed(3)} ${offset}; x_wconf ${Math.round(line.confidence * 100)}">`);
        const words = line.words.length > 0 ? line.words : [{ text: line.text, confidence: line.confidence, box: line.box }];
        for (const word of words) {
          w++;
          const wb = intBounds(word.box, page.width, page.height).join(' ');
          out.push(`<span class="ocrx_word" id="word_${p}_${w}" title="bbox ${wb}; x_wconf ${Math.round(word.confidence * 100)}">${xmlEscape(word.text)}</span>`);
        }
        out.push('</span>');
      }
      out.push('</p>', '</div>');
    });
    out.push('</div>');
  }
  out.push('</body>', '</html>', '');
  return out.join('\n');
}
