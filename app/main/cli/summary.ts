/**
 * The end-of-batch summary, as text for people and as JSON (`--summary-json`) for scripts and the benchmark.
 * The JSON's top-level fields are fixed: files, failures, pages, elapsedMs, pagesPerSecond, stageTotalsMs, and
 * `notes` after them when there are any.
 */
import type { ErrorKind } from '../../common/errors.ts';
import type { OcrPage, StageTimings } from '../../common/result.ts';

/** Something about a page of a file that was read that the person should know (the result holds it too). */
export interface PageNote {
  readonly path: string;
  /** 1-based. */
  readonly page: number;
  /**
   * `unusable-text`: the PDF page's own text layer was garbage, so it was OCRed instead; `language`: the chosen
   * languages read the page far worse than `rerunWith` would.
   */
  readonly kind: 'unusable-text' | 'language';
  readonly message: string;
  /** `language` notes: the languages to run again with. */
  readonly rerunWith?: readonly string[];
}

/** The notes of a file's recognised pages. */
export function pageNotes(path: string, pages: readonly OcrPage[]): PageNote[] {
  const notes: PageNote[] = [];
  for (const p of pages) {
    if (p.pdf?.textProblem) {
      notes.push({ path, page: p.index + 1, kind: 'unusable-text', message: `its own text layer is unusable, so it was OCRed instead: ${p.pdf.textProblem}` });
    }
    if (p.languageHint) {
      const rerunWith = p.languageHint.suggested;
      notes.push({ path, page: p.index + 1, kind: 'language', message: `looks like ${added(rerunWith)}: ${p.languageHint.reason}`, rerunWith });
    }
  }
  return notes;
}

/** The languages of a hint beyond English, which every hint keeps: `zh` of `en,zh`. */
const added = (languages: readonly string[]) => languages.filter((l) => l !== 'en').join(',') || languages.join(',');

/** One line per language set hinted at: `2 pages look like zh; rerun with -l en,zh`. */
export function languageAdvice(notes: readonly PageNote[]): string[] {
  const pages = new Map<string, number>();
  for (const n of notes) if (n.rerunWith) pages.set(n.rerunWith.join(','), (pages.get(n.rerunWith.join(',')) ?? 0) + 1);
  return [...pages].map(([langs, n]) => `${n} page${n === 1 ? ' looks' : 's look'} like ${added(langs.split(','))}; rerun with -l ${langs}`);
}

export interface FailureRecord {
  readonly path: string;
  readonly kind: ErrorKind;
  readonly message: string;
}

export interface BatchSummary {
  /** Files attempted (ok + failed), and image-less files skipped inside folders. */
  readonly files: { readonly total: number; readonly ok: number; readonly failed: number; readonly skipped: number };
  /** One per failed file or folder entry, in path order. */
  readonly failures: readonly FailureRecord[];
  /** Pages recognised (of files written successfully). */
  readonly pages: number;
  readonly elapsedMs: number;
  readonly pagesPerSecond: number;
  /** Worker time per stage, summed over every recognised page. */
  readonly stageTotalsMs: StageTimings;
  /** Pages of files read that the person should know about, in path and page order. @default none */
  readonly notes?: readonly PageNote[];
}

export const emptyStageTotals = (): { -readonly [K in keyof StageTimings]: number } => ({
  decodeMs: 0,
  detectMs: 0,
  classifyMs: 0,
  recogniseMs: 0,
  layoutMs: 0,
});

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}:${String(s % 60).padStart(2, '0')}` : `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** The summary as text, ending in a newline. */
export function formatSummary(summary: BatchSummary): string {
  const { files } = summary;
  const lines = [
    `Files: ${files.ok} ok, ${files.failed} failed, ${files.skipped} skipped (not images)`,
    `Pages: ${summary.pages} in ${formatDuration(summary.elapsedMs)} (${summary.pagesPerSecond.toFixed(2)} pages/s)`,
  ];
  if (summary.failures.length > 0) {
    lines.push('', `Failed (${summary.failures.length}):`);
    for (const f of summary.failures) lines.push(`  ${f.path}`, `    ${f.kind}: ${f.message}`);
  }
  const notes = summary.notes ?? [];
  if (notes.length > 0) {
    lines.push('', `Notes (${notes.length}):`);
    for (const n of notes) lines.push(`  ${n.path} page ${n.page}`, `    ${n.message}`);
    const advice = languageAdvice(notes);
    if (advice.length > 0) lines.push('', ...advice);
  }
  return lines.join('\n') + '\n';
}

/** The summary as the `--summary-json` document. */
export function summaryJson(summary: BatchSummary): string {
  const round = (v: number) => Math.round(v * 10) / 10;
  const stages = Object.fromEntries(Object.entries(summary.stageTotalsMs).map(([k, v]) => [k, round(v)]));
  return JSON.stringify(
    {
      files: summary.files,
      failures: summary.failures,
      pages: summary.pages,
      elapsedMs: round(summary.elapsedMs),
      pagesPerSecond: Math.round(summary.pagesPerSecond * 1000) / 1000,
      stageTotalsMs: stages,
      ...(summary.notes?.length ? { notes: summary.notes } : {}),
    },
    null,
    2,
  ) + '\n';
}
