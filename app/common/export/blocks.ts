/** Groups a page's lines (in reading order) into runs of the same block: the paragraphs every exporter shows. */
import type { OcrLine, OcrPage } from '../result.ts';

export interface Paragraph {
  /** Index into the page's blocks. */
  readonly block: number;
  readonly lines: readonly OcrLine[];
}

export function paragraphs(page: OcrPage): Paragraph[] {
  const out: { block: number; lines: OcrLine[] }[] = [];
  for (const line of page.lines) {
    const last = out[out.length - 1];
    if (last && last.block === line.block) last.lines.push(line);
    else out.push({ block: line.block, lines: [line] });
  }
  return out;
}
