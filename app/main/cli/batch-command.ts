/**
 * `ocr-desk <files or folders...> --out <dir>`: the batch, as a job in the service. This adapter adds the job,
 * follows its events for the progress display, and prints the summary; the service does the rest (listing
 * folders, planning the output tree, the pipeline, the store). Run again after an interruption or a crash, the
 * same command resumes the same job where it stopped.
 */
import path from 'node:path';
import type { OcrClient } from '../../common/api/client.ts';
import { InvalidOptionError, isCancellation, OcrDeskError } from '../../common/errors.ts';
import { writeFileAtomic } from '../../node/atomic-write.ts';
import { discardEarlyWorker } from '../pool/early-worker.ts';
import { BatchTracker } from './batch-tracker.ts';
import { singlePageImages } from './pages-hint.ts';
import { connectService, type Connection } from './connect.ts';
import type { OcrCommand } from './options.ts';
import { createProgress, type ProgressStream } from './progress.ts';
import { displayText, formatSummary, summaryJson, type BatchSummary, type FailureRecord } from './summary.ts';

export interface BatchIo {
  readonly stdout: ProgressStream;
  readonly stderr: ProgressStream;
  readonly env: NodeJS.ProcessEnv;
  /** Interrupts the batch (Ctrl-C, SIGTERM): the job stays in the store and the same command resumes it. */
  readonly signal?: AbortSignal | undefined;
}

export const EXIT_OK = 0;
export const EXIT_FAILURES = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;

/** How a path is shown: relative to the working folder when inside it, control characters escaped. */
export function displayPath(p: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, p);
  return displayText(rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p);
}

export async function runBatch(command: OcrCommand, io: BatchIo): Promise<number> {
  const started = performance.now();
  let conn: Connection;
  try {
    conn = await connectService({ dataDir: command.dataDir, commandLine: command.service, env: io.env, jobs: 'own', hotFolders: false, pagesHint: await singlePageImages(command.inputs) }, io);
  } catch (error) {
    if (io.signal?.aborted && isCancellation(error)) return EXIT_INTERRUPTED;
    if (!(error instanceof OcrDeskError)) throw error;
    io.stderr.write(`ocr-desk: ${displayText(error.message)}\n`);
    return EXIT_USAGE;
  }
  if (conn.remoteUrl) {
    discardEarlyWorker();
    io.stderr.write(`Handing this batch to the OCR Desk running at ${conn.remoteUrl}.\n`);
  }
  const tracker = new BatchTracker(createProgress(io.stderr), (p) => displayPath(p));
  const unsubscribe = conn.client.subscribe((e) => tracker.onEvent(e));
  let jobId: number | undefined;
  try {
    let added;
    try {
      added = await conn.client.addJob({ inputs: [...command.inputs], baseDir: process.cwd(), outputDir: command.out, settings: command.settings, force: command.force, resume: true });
    } catch (error) {
      if (!(error instanceof InvalidOptionError) && (error as OcrDeskError).kind !== 'output-write') throw error;
      io.stderr.write(`ocr-desk: ${displayText((error as Error).message)}\n`);
      return EXIT_USAGE;
    }
    jobId = added.jobId;
    tracker.begin(jobId, added.failures.length, await conn.client.getJob({ jobId }));
    for (const f of added.failures) tracker.entryFailed(f.path, f.kind, f.message);
    const interrupted = new Promise<void>((resolve) => io.signal?.addEventListener('abort', () => resolve(), { once: true }));
    if (!io.signal?.aborted) await Promise.race([tracker.ended, interrupted]);
    // Interrupted: a running service keeps the job, paused; a local one puts work in flight back into the queue
    // when it closes (below). Either way the same command resumes the job.
    if (io.signal?.aborted && !conn.local) await conn.client.pauseJob({ jobId }).catch(() => undefined);
    const summary = await summarise(conn.client, jobId, added, tracker, started, io.signal?.aborted ?? false);
    // The GPU asked for (--gpu, OCR_DESK_GPU, the app's settings) but not used is said, with the workers' reason.
    const gpu = io.signal?.aborted ? undefined : await conn.client.getDiagnostics().then((d) => d.gpu, () => undefined);
    if (gpu?.enabled && !gpu.available) io.stderr.write(`ocr-desk: the GPU was not used: ${displayText(gpu.reason ?? 'no reason given')}\n`);
    io.stdout.write(formatSummary(summary));
    if (summary.files.unfinished > 0) io.stdout.write(`Interrupted: ${summary.files.unfinished} file(s) not finished. Run the same command again to resume.\n`);
    if (command.summaryJson) await writeFileAtomic(path.resolve(command.summaryJson), summaryJson(summary));
    if (io.signal?.aborted) return EXIT_INTERRUPTED;
    return summary.failures.length > 0 ? EXIT_FAILURES : EXIT_OK;
  } finally {
    unsubscribe();
    await conn.close();
  }
}

async function summarise(client: OcrClient, jobId: number, added: { skipped: string[]; failures: FailureRecord[] }, tracker: BatchTracker, started: number, interrupted: boolean): Promise<BatchSummary> {
  const job = await client.getJob({ jobId }).catch(() => undefined);
  const docs = job?.documentList ?? [];
  const failures: FailureRecord[] = [
    ...added.failures.map((f) => ({ path: f.path, kind: f.kind, message: f.message })),
    ...docs.filter((d) => d.state === 'failed').map((d) => ({ path: d.path, kind: d.error?.kind ?? 'internal', message: d.error?.message ?? 'failed' })),
  ].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const done = docs.filter((d) => d.state === 'done');
  const pages = done.reduce((n, d) => n + (d.pageCount ?? 0), 0);
  const elapsedMs = performance.now() - started;
  return {
    files: {
      total: docs.length + added.failures.length,
      ok: done.length,
      failed: failures.length,
      skipped: added.skipped.length,
      reused: done.filter((d) => d.reused).length,
      unfinished: interrupted ? docs.filter((d) => !['done', 'failed', 'cancelled'].includes(d.state)).length : 0,
    },
    failures,
    pages,
    elapsedMs,
    pagesPerSecond: elapsedMs > 0 ? (pages * 1000) / elapsedMs : 0,
    stageTotalsMs: tracker.stageTotals,
    notes: done
      .flatMap((d) => d.notes.map((n) => ({ path: d.path, ...n })))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.page - b.page)),
  };
}
