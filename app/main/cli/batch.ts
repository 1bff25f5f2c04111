/**
 * Runs a batch: probes every file for its page count, recognises all pages on the worker pool, and writes each
 * file's results (JSON document and/or plain text) atomically as soon as its last page is done. A file with any
 * failed page is a failed file and gets no output.
 *
 * The JSON written is the {@link OcrDocument} without the per-page `timings`: they describe one run on one machine,
 * not the document, and would make otherwise identical results differ; the batch summary sums them instead.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { CancelledError, InputUnreadableError, isCancellation, OcrDeskError, serializeError } from '../../common/errors.ts';
import { exportDocument, FORMAT_EXTENSIONS } from '../../common/export/index.ts';
import { RESULT_VERSION, type OcrDocument, type OcrPage } from '../../common/result.ts';
import type { PageOptions, ProbeResult } from '../../common/worker-protocol.ts';
import { writeFileAtomic } from '../../node/atomic-write.ts';
import { sha256File } from '../../node/model-pack.ts';
import { DEFAULT_PDF_MODE, pageOptionsFor, searchablePdf } from '../pdf-pages.ts';
import type { CallOptions } from '../pool/worker-pool.ts';
import type { EntryFailure } from './discover.ts';
import type { OutputFormat, PdfMode } from './options.ts';
import type { FileOutcome, ProgressReporter } from './progress.ts';
import { emptyStageTotals, pageNotes, type FailureRecord, type PageNote } from './summary.ts';

/** The per-page decision lives in pdf-pages.ts (shared with the queue); re-exported for existing callers. */
export { pdfPageNeedsOcr } from '../pdf-pages.ts';

/** What the batch needs from the worker pool. */
export interface PageRecogniser {
  probe(path: string, options?: CallOptions & { readonly password?: string | undefined }): Promise<ProbeResult>;
  recognisePage(path: string, page: number, options?: PageOptions, call?: CallOptions): Promise<OcrPage>;
}

export interface BatchOptions {
  readonly files: readonly string[];
  /** Entries that failed before the batch (while listing folders): reported and counted with the rest. */
  readonly failed?: readonly EntryFailure[];
  /** Output path of each file without the format extension (see outputBases). */
  readonly outputs: ReadonlyMap<string, string>;
  readonly formats: readonly OutputFormat[];
  readonly pageOptions: PageOptions;
  /** Model pack id, recorded in each document. */
  readonly models: string;
  /** Files in flight at once; enough to keep every worker busy. */
  readonly concurrency: number;
  readonly progress: ProgressReporter;
  readonly signal?: AbortSignal;
  /** PDF inputs: which pages to OCR, how to render them, the password, PDF/A output. @default skip, 300 dpi */
  readonly pdf?: PdfBatchOptions;
}

export interface PdfBatchOptions {
  readonly mode: PdfMode;
  readonly dpi: number;
  readonly password?: string | undefined;
  readonly pdfa?: boolean;
}

export interface BatchResult {
  readonly ok: number;
  readonly failures: readonly FailureRecord[];
  readonly pages: number;
  readonly stageTotalsMs: ReturnType<typeof emptyStageTotals>;
  /** About pages of the files read (see PageNote), in path and page order. */
  readonly notes: readonly PageNote[];
}

export function failureRecord(file: string, error: unknown): FailureRecord {
  const e = serializeError(error);
  return { path: file, kind: e.kind, message: e.message };
}

export async function runBatch(pool: PageRecogniser, o: BatchOptions): Promise<BatchResult> {
  const failures: FailureRecord[] = [];
  const notes: PageNote[] = [];
  const totals = emptyStageTotals();
  let ok = 0;
  let pagesDone = 0;

  const fail = (file: string, error: unknown) => {
    const interrupted = o.signal?.aborted && isCancellation(error);
    const record = failureRecord(file, interrupted ? new CancelledError(`${file} was not finished: the batch was interrupted.`) : error);
    failures.push(record);
    o.progress.file({ path: file, ok: false, kind: record.kind, message: record.message });
  };

  // 1. Page counts (header reads in the workers), so progress can show a total.
  const probes = await Promise.all(
    o.files.map((file) =>
      pool.probe(file, { signal: o.signal, password: o.pdf?.password }).then(
        (probe) => ({ file, probe }),
        (error: unknown) => ({ file, error }),
      ),
    ),
  );
  const todo: { file: string; probe: ProbeResult }[] = [];
  for (const p of probes) if ('probe' in p) todo.push(p);
  o.progress.start(o.files.length + (o.failed?.length ?? 0), todo.reduce((n, t) => n + t.probe.pages, 0));
  for (const f of o.failed ?? []) fail(f.path, f.error);
  for (const p of probes) if ('error' in p) fail(p.file, p.error);

  // 2. Pages, a few files at a time; every page of a file is queued at once.
  const one = async ({ file, probe }: { file: string; probe: ProbeResult }) => {
    const started = performance.now();
    // Aborted by the first failing page of this file, or by the batch's signal (also when it fired before this file began).
    const fileAbort = new AbortController();
    const signal = o.signal ? AbortSignal.any([o.signal, fileAbort.signal]) : fileAbort.signal;
    let done = 0;
    try {
      const pending = Array.from({ length: probe.pages }, (_, i) =>
        pool.recognisePage(file, i, pageOptionsFor(probe, i, o.pageOptions, o.pdf), { signal }).then((page) => {
          done++;
          o.progress.page();
          return page;
        }),
      );
      // The first failing page fails the file; its other pages are cancelled rather than left to run.
      const pages = await Promise.all(
        pending.map((p) =>
          p.catch((error: unknown) => {
            fileAbort.abort();
            throw error;
          }),
        ),
      );
      await writeOutputs(file, pages, o);
      for (const page of pages) for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += page.timings?.[k] ?? 0;
      pagesDone += pages.length;
      notes.push(...pageNotes(file, pages));
      ok++;
      o.progress.file({ path: file, ok: true, pages: pages.length, ms: performance.now() - started } satisfies FileOutcome);
    } catch (error) {
      o.progress.drop(probe.pages - done);
      fail(file, error);
    }
  };
  // Largest first (pixels × pages, from the probes): the batch then ends on small files, so no worker sits idle
  // for long while another finishes a big one. Outputs do not depend on the order.
  const work = ({ probe }: { probe: ProbeResult }) => probe.pages * Math.max(1, probe.width * probe.height);
  const queue = [...todo].sort((a, b) => work(b) - work(a));
  await Promise.all(
    Array.from({ length: Math.max(1, o.concurrency) }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await one(next);
    }),
  );

  o.progress.finish();
  failures.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  notes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.page - b.page));
  return { ok, failures, pages: pagesDone, stageTotalsMs: totals, notes };
}

async function writeOutputs(file: string, pages: readonly OcrPage[], o: BatchOptions): Promise<void> {
  const base = o.outputs.get(file);
  if (!base) throw new OcrDeskError(`No output path was planned for ${file}.`);
  let bytes: number;
  let sha256: string;
  try {
    bytes = (await stat(file)).size;
    sha256 = await sha256File(file);
  } catch (error) {
    // Moved or changed while the batch ran.
    throw new InputUnreadableError(file, (error as NodeJS.ErrnoException).code ?? String(error));
  }
  const doc: OcrDocument = {
    version: RESULT_VERSION,
    source: { path: file, name: path.basename(file), sha256, bytes },
    engine: { models: o.models, createdAt: new Date().toISOString() },
    pages: pages.map(({ timings: _timings, ...page }) => page),
  };
  // The searchable PDF last: it is the one that can fail on its own (e.g. an encrypted source), after the others exist.
  for (const format of [...o.formats].sort((a, b) => Number(a === 'pdf') - Number(b === 'pdf'))) {
    const data =
      format === 'pdf'
        ? await searchablePdf(doc, file, { mode: o.pdf?.mode ?? DEFAULT_PDF_MODE, pdfa: o.pdf?.pdfa })
        : exportDocument(doc, format);
    const target = `${base}.${FORMAT_EXTENSIONS[format]}`;
    try {
      await writeFileAtomic(target, data);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new OcrDeskError(`The results of ${file} could not be written to ${target} (${reason}). Check that the output folder is writable and the disk has space.`);
    }
  }
}
