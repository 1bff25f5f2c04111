/** Runs the OCR Desk CLI as a child process, timing it and sampling the RSS of its whole process tree. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { BenchError } from './cli-args.ts';
import { sampleTreeRss, type RssSample } from './proc-tree.ts';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..');
/** BENCH_CLI may name another entry point with the same contract (e.g. a build under test); it runs in place. */
export const CLI_OVERRIDE = process.env.BENCH_CLI ? path.resolve(process.env.BENCH_CLI) : undefined;
const CLI = CLI_OVERRIDE ?? path.join(REPO_ROOT, 'bin/ocr-desk.mjs');
/** One cache folder for all the runs of one benchmark process. */
const BENCH_CACHE_DIR = path.join(tmpdir(), `ocr-desk-bench-cache-${process.pid}`);

/** The fields of the CLI's --summary-json that the benchmarks read. */
const SummarySchema = z.object({
  failures: z.array(z.object({ path: z.string(), kind: z.string(), message: z.string() })),
  pages: z.number(),
  elapsedMs: z.number(),
  pagesPerSecond: z.number(),
  stageTotalsMs: z.object({
    decodeMs: z.number(),
    detectMs: z.number(),
    classifyMs: z.number(),
    recogniseMs: z.number(),
    layoutMs: z.number(),
  }),
});
export type CliSummary = z.infer<typeof SummarySchema>;
export type Stage = keyof CliSummary['stageTotalsMs'];
export const STAGES: readonly Stage[] = ['decodeMs', 'detectMs', 'classifyMs', 'recogniseMs', 'layoutMs'];

export interface CliRun {
  wallMs: number;
  peakRssBytes: number;
  samples: RssSample[];
  summary: CliSummary;
}

export function assertCliExists(): void {
  if (!existsSync(CLI)) throw new BenchError(`OCR Desk CLI not found: ${CLI}`);
}

/**
 * The environment for one CLI run of a benchmark: default settings (OCR_DESK_* variables, which the CLI reads as
 * settings, are removed), the data folder given, and the caches (compiled code, rewritten models) in `cacheDir`,
 * which the runs of one benchmark share as a user's runs do.
 */
export function benchCliEnv(dataDir: string, cacheDir = BENCH_CACHE_DIR): NodeJS.ProcessEnv {
  return {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OCR_DESK_') && k !== 'NODE_COMPILE_CACHE')),
    OCR_DESK_DATA_DIR: dataDir,
    OCR_DESK_CACHE_DIR: cacheDir,
  };
}

/**
 * `node <cli> <inputs...> --out <outDir> --format json --summary-json <summaryFile> [extraArgs]` with default
 * settings otherwise: OCR_DESK_* variables, which the CLI reads as settings, are removed from its environment, and
 * only `settings` (OCR_DESK_* variables too) are given.
 * Wall time runs from spawn to exit, so it includes start-up and model loading.
 */
export async function runOcrDesk(
  cli: string,
  inputs: readonly string[],
  outDir: string,
  summaryFile: string,
  extraArgs: readonly string[] = [],
  settings: Readonly<Record<string, string>> = {},
): Promise<CliRun> {
  const args = [cli, ...inputs, '--out', outDir, '--format', 'json', '--summary-json', summaryFile, ...extraArgs];
  const t0 = performance.now();
  // Each run gets a data folder of its own, so nothing is reused from an earlier run (a batch reuses stored
  // results of identical files).
  const env = { ...benchCliEnv(await mkdtemp(path.join(tmpdir(), 'ocr-desk-bench-data-'))), ...settings };
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const sampler = sampleTreeRss(child.pid ?? -1, { includeRoot: true }); // no pid: spawn failed, `exited` rejects
  const code = await exited.catch((error: unknown) => {
    sampler.stop();
    throw error;
  });
  const wallMs = performance.now() - t0;
  const { samples, peakBytes } = sampler.stop();
  let summary: CliSummary;
  try {
    summary = SummarySchema.parse(JSON.parse(await readFile(summaryFile, 'utf8')));
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new BenchError(`OCR Desk CLI exited with code ${code} and left no readable summary (${why}); stderr:\n${stderr}`);
  }
  return { wallMs, peakRssBytes: peakBytes, samples, summary };
}
