/**
 * Markdown: one paragraph per block (its lines joined by spaces), pages separated by a rule. Characters that
 * Markdown would read as formatting are escaped, so the text reads back exactly.
 */
import type { OcrDocument } from '../result.ts';
import { paragraphs } from './blocks.ts';

export function markdownEscape(text: string): string {
  return text
    .replace(/([\\`*_{}[\]<>#|~])/g, '\\$1')
    .replace(/^(\s*)([-+=])(?=\s|$)/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])(?=\s|$)/, '$1\\$2');
}

export function toMarkdown(doc: OcrDocument): string {
  const pages = doc.pages.map((page) =>
    paragraphs(page)
      .map((par) => markdownEscape(par.lines.map((line) => line.text.trim()).filter((t) => t !== '').join(' ')))
      .filter((t) => t !== '')
      .join('\n\n'),
  );
  return pages.map((text, i) => `<!-- page ${i + 1} -->\n\n${text}`.trimEnd()).join('\n\n---\n\n') + '\n';
}
