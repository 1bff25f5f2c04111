/** Option parsing shared by the benchmarks: unknown options, stray arguments and bad values stop with exit code 2. */
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

/** An expected failure (missing CLI, failed run): printed without a stack trace, exit code 1. */
export class BenchError extends Error {}

/** A bad command line: printed with the usage text, exit code 2. */
export class UsageError extends BenchError {}

/** node:util parseArgs in strict mode, its errors turned into UsageErrors. */
export function parseFlags<T extends ParseArgsOptionsConfig>(argv: string[], options: T): ReturnType<typeof parseArgs<{ options: T; strict: true }>>['values'] {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

export function positiveInt(flag: string, value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new UsageError(`${flag} expects a positive integer, got "${value}"`);
  return Number(value);
}

/** Runs a benchmark's main: usage errors print the usage (exit 2), BenchErrors their message, anything else its stack (exit 1). */
export function runMain(usage: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`error: ${error.message}\n\n${usage}`);
      process.exitCode = 2;
    } else if (error instanceof BenchError) {
      console.error(`error: ${error.message}`);
      process.exitCode = 1;
    } else {
      console.error(error);
      process.exitCode = 1;
    }
  });
}
