/**
 * The `ocr-desk` command, callable in-process: parses the command line, verifies the model pack once, runs the batch
 * on a worker pool (whose workers then trust the models), prints progress and the summary, and returns the exit
 * code: 0 all files done, 1 some failed, 2 usage or model-pack error, 130 interrupted (main.ts reports a stop by
 * SIGTERM or SIGHUP as 143 or 129).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { InvalidOptionError, isCancellation } from '../../common/errors.ts';
import { writeFileAtomic } from '../../node/atomic-write.ts';
import type { WorkerPool } from '../pool/worker-pool.ts';
import { cliWorkerPool, verifiedModels } from './cli-pool.ts';
import { runBatch } from './batch.ts';
import { discoverInputs } from './discover.ts';
import { importModels, verifyModels } from './models-command.ts';
import { parseCommandLine, USAGE, type OcrCommand } from './options.ts';
import { outputBases } from './output-paths.ts';
import { createProgress, type ProgressStream } from './progress.ts';
import { formatSummary, summaryJson, type BatchSummary } from './summary.ts';

export interface CliIo {
  readonly stdout: ProgressStream;
  readonly stderr: ProgressStream;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Interrupts the batch (Ctrl-C): unfinished files fail as cancelled, exit code 130. */
  readonly signal?: AbortSignal;
}

export const EXIT_OK = 0;
export const EXIT_FAILURES = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const env = io.env ?? process.env;
  let command;
  try {
    command = parseCommandLine(argv, env);
  } catch (error) {
    return usageError(error, io);
  }
  switch (command.kind) {
    case 'help':
      io.stdout.write(command.usage ?? USAGE);
      return EXIT_OK;
    case 'version':
      io.stdout.write(`${version()}\n`);
      return EXIT_OK;
    case 'models-verify':
      return verifyModels(command.dir, io);
    case 'models-import':
      return importModels(command.from, command.to, io);
    case 'ocr':
      return ocr(command, io, env);
    // The job store (node:sqlite) and hot folders load only for the commands that use them.
    case 'watch':
      return (await import('./watch-command.ts')).runWatch(command, { ...io, env });
    case 'search':
      return (await import('./watch-command.ts')).runSearch(command, io);
  }
}

function usageError(error: unknown, io: CliIo): number {
  if (!(error instanceof InvalidOptionError)) throw error;
  io.stderr.write(`ocr-desk: ${error.message}\nRun \`ocr-desk --help\` for usage.\n`);
  return EXIT_USAGE;
}

async function ocr(command: OcrCommand, io: CliIo, env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  let pool: WorkerPool;
  try {
    pool = cliWorkerPool(command, env);
  } catch (error) {
    return usageError(error, io);
  }
  try {
    const out = path.resolve(command.out);
    const found = await discoverInputs(command.inputs, { exclude: [out], signal: io.signal });
    // Workers load their models while this process checks the pack's hashes; a bad pack still stops the run here.
    pool.warmUp(found.files.length);
    const models = await verifiedModels(command.modelDir, io.stderr);
    if (models === undefined) return EXIT_USAGE;
    const outputs = outputBases(found.files, found.roots, out);
    const batch = await runBatch(pool, {
      files: found.files,
      failed: found.failures,
      outputs,
      formats: command.formats,
      pageOptions: { autoRotate: command.autoRotate, languages: command.languages },
      models,
      concurrency: pool.options.workers * 2,
      progress: createProgress(io.stderr),
      signal: io.signal,
      pdf: { mode: command.pdfMode, dpi: command.pdfDpi, password: command.password, pdfa: command.pdfa },
    });
    const failures = batch.failures;
    const elapsedMs = performance.now() - started;
    const summary: BatchSummary = {
      files: { total: batch.ok + failures.length, ok: batch.ok, failed: failures.length, skipped: found.skipped.length },
      failures,
      pages: batch.pages,
      elapsedMs,
      pagesPerSecond: elapsedMs > 0 ? (batch.pages * 1000) / elapsedMs : 0,
      stageTotalsMs: batch.stageTotalsMs,
      notes: batch.notes,
    };
    io.stdout.write(formatSummary(summary));
    if (command.summaryJson) await writeFileAtomic(path.resolve(command.summaryJson), summaryJson(summary));
    if (io.signal?.aborted) return EXIT_INTERRUPTED;
    return failures.length > 0 ? EXIT_FAILURES : EXIT_OK;
  } catch (error) {
    // Interrupted while listing folders, before there was anything to summarise.
    if (!(io.signal?.aborted && isCancellation(error))) throw error;
    io.stderr.write('ocr-desk: interrupted before any file was read.\n');
    return EXIT_INTERRUPTED;
  } finally {
    await pool.close();
  }
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
