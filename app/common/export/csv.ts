/**
 * CSV (RFC 4180, UTF-8, CRLF): one row per line: page (1-based), line (1-based within its page), block, the
 * axis-aligned box in page pixels, confidence (0–1) and text.
 */
import type { OcrDocument } from '../result.ts';
import { intBounds } from './xml.ts';

export const CSV_HEADER = ['page', 'line', 'block', 'x1', 'y1', 'x2', 'y2', 'confidence', 'text'] as const;

function field(value: string | number): string {
  const s = String(value);
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(doc: OcrDocument): string {
  const rows: string[] = [CSV_HEADER.join(',')];
  for (const page of doc.pages) {
    page.lines.forEach((line, i) => {
      const [x1, y1, x2, y2] = intBounds(line.box, page.width, page.height);
      rows.push([page.index + 1, i + 1, line.block + 1, x1, y1, x2, y2, line.confidence.toFixed(4), line.text].map(field).join(','));
    });
  }
  return rows.join('\r\n') + '\r\n';
}
