/**
 * Every text export of an {@link OcrDocument}. Each reads only the document model, so edits made to it (the result
 * editor) show in every format. The searchable PDF, which needs the source file, is written in app/node/pdf.
 */
import type { OutputFormat } from '../job-settings.ts';
import { documentText, type OcrDocument } from '../result.ts';
import { toAlto } from './alto.ts';
import { toCsv } from './csv.ts';
import { toHocr } from './hocr.ts';
import { toMarkdown } from './markdown.ts';

/** Every format but the searchable PDF. */
export type TextFormat = Exclude<OutputFormat, 'pdf'>;
export const TEXT_FORMATS: readonly TextFormat[] = ['txt', 'json', 'hocr', 'alto', 'md', 'csv'];

export function exportDocument(doc: OcrDocument, format: TextFormat): string {
  switch (format) {
    case 'txt':
      return documentText(doc);
    case 'json':
      return JSON.stringify(doc);
    case 'hocr':
      return toHocr(doc);
    case 'alto':
      return toAlto(doc);
    case 'md':
      return toMarkdown(doc);
    case 'csv':
      return toCsv(doc);
  }
}

export { toAlto, toCsv, toHocr, toMarkdown };
