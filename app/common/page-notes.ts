/**
 * What a person should know about a page that was read fine: its own PDF text layer was unusable, so it was OCRed
 * instead; or the chosen languages read it far worse than another installed language would. Made from the result,
 * kept with the document, shown in the CLI's summary and the app.
 */
import { z } from 'zod';
import type { OcrPage } from './result.ts';

export const pageNoteSchema = z.object({
  /** 1-based. */
  page: z.number().int().min(1),
  /**
   * `unusable-text`: the PDF page's own text layer was garbage, so it was OCRed instead; `language`: the chosen
   * languages read the page far worse than `rerunWith` would.
   */
  kind: z.enum(['unusable-text', 'language']),
  message: z.string(),
  /** `language` notes: the languages to run again with. */
  rerunWith: z.array(z.string()).optional(),
});
export type PageNote = z.infer<typeof pageNoteSchema>;

/** The notes of a document's pages, in page order. */
export function pageNotes(pages: readonly OcrPage[]): PageNote[] {
  const notes: PageNote[] = [];
  for (const p of pages) {
    if (p.pdf?.textProblem) {
      notes.push({ page: p.index + 1, kind: 'unusable-text', message: `its own text layer is unusable, so it was OCRed instead: ${p.pdf.textProblem}` });
    }
    if (p.languageHint) {
      const rerunWith = [...p.languageHint.suggested];
      notes.push({ page: p.index + 1, kind: 'language', message: `looks like ${added(rerunWith)}: ${p.languageHint.reason}`, rerunWith });
    }
  }
  return notes;
}

/** The languages of a hint beyond English, which every hint keeps: `zh` of `en,zh`. */
export const added = (languages: readonly string[]): string => languages.filter((l) => l !== 'en').join(',') || languages.join(',');

/** One line per language set hinted at: `2 pages look like zh; rerun with -l en,zh`. */
export function languageAdvice(notes: readonly Pick<PageNote, 'rerunWith'>[]): string[] {
  const pages = new Map<string, number>();
  for (const n of notes) if (n.rerunWith) pages.set(n.rerunWith.join(','), (pages.get(n.rerunWith.join(',')) ?? 0) + 1);
  return [...pages].map(([langs, n]) => `${n} page${n === 1 ? ' looks' : 's look'} like ${added(langs.split(','))}; rerun with -l ${langs}`);
}
