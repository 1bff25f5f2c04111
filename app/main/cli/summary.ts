/**
 * The end-of-batch summary, as text for people and as JSON (`--summary-json`) for scripts and the benchmark.
 * The JSON's top-level fields are fixed: files, failures, pages, elapsedMs, pagesPerSecond, stageTotalsMs, and
 * `notes` after them when there are any.
 */
import { languageAdvice, type PageNote } from '../../common/page-notes.ts';
import type { StageTimings } from '../../common/worker-protocol.ts';

/** A page note of a file of the batch (see app/common/page-notes.ts). */
export type FileNote = PageNote & { readonly path: string };

export interface FailureRecord {
  readonly path: string;
  readonly kind: string;
  readonly message: string;
}

export interface BatchSummary {
  /**
   * Files attempted; ok, failed, and not finished (interrupted: the same command resumes them); image-less files
   * skipped inside folders; ok files whose result was reused from an earlier run (same content and settings).
   */
  readonly files: {
    readonly total: number;
    readonly ok: number;
    readonly failed: number;
    readonly skipped: number;
    readonly reused: number;
    readonly unfinished: number;
  };
  /** One per failed file or folder entry, in path order. */
  readonly failures: readonly FailureRecord[];
  /** Pages recognised (of files written successfully). */
  readonly pages: number;
  readonly elapsedMs: number;
  readonly pagesPerSecond: number;
  /** Worker time per stage, summed over every recognised page. */
  readonly stageTotalsMs: StageTimings;
  /** Pages of files read that the person should know about, in path and page order. @default none */
  readonly notes?: readonly FileNote[];
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

/** Text for a terminal line: control characters (a newline in a file name) shown escaped, never raw. */
export function displayText(text: string): string {
  return text.replace(/\p{Cc}/gu, (c) => JSON.stringify(c).slice(1, -1));
}

/** The summary as text, ending in a newline. */
export function formatSummary(summary: BatchSummary): string {
  const { files } = summary;
  const lines = [
    `Files: ${files.ok} ok, ${files.failed} failed, ${files.skipped} skipped (not images)${files.unfinished ? `, ${files.unfinished} not finished` : ''}`,
    `Pages: ${summary.pages} in ${formatDuration(summary.elapsedMs)} (${summary.pagesPerSecond.toFixed(2)} pages/s)`,
  ];
  if (files.reused > 0) lines.push(`Reused: ${files.reused} file(s) unchanged since an earlier run with the same settings (--force recognises them again)`);
  if (summary.failures.length > 0) {
    lines.push('', `Failed (${summary.failures.length}):`);
    for (const f of summary.failures) lines.push(`  ${displayText(f.path)}`, `    ${f.kind}: ${displayText(f.message)}`);
  }
  const notes = summary.notes ?? [];
  if (notes.length > 0) {
    lines.push('', `Notes (${notes.length}):`);
    for (const n of notes) lines.push(`  ${displayText(n.path)} page ${n.page}`, `    ${displayText(n.message)}`);
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
