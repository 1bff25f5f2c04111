/**
 * The `ocr-desk` command, callable in-process: parses the command line and runs the command, returning the exit
 * code: 0 done, 1 some files failed (or nothing found), 2 usage or model-pack error, 130 interrupted.
 */
import { readFileSync } from 'node:fs';
import { InvalidOptionError } from '../../common/errors.ts';
import { EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, runBatch } from './batch-command.ts';
import { importModels, verifyModels } from './models-command.ts';
import { parseCommandLine, USAGE } from './options.ts';
import type { ProgressStream } from './progress.ts';
import { displayText } from './summary.ts';

export { EXIT_INTERRUPTED };

export interface CliIo {
  readonly stdout: ProgressStream;
  readonly stderr: ProgressStream;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Interrupts the command (Ctrl-C, SIGTERM): a batch stays resumable, exit code 130. */
  readonly signal?: AbortSignal;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const env = io.env ?? process.env;
  let command;
  try {
    command = parseCommandLine(argv, env);
  } catch (error) {
    if (!(error instanceof InvalidOptionError)) throw error;
    io.stderr.write(`ocr-desk: ${displayText(error.message)}\nRun \`ocr-desk --help\` for usage.\n`);
    return EXIT_USAGE;
  }
  const full = { ...io, env };
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
      return runBatch(command, full);
    // The HTTP server and the hot folders load only for the commands that use them.
    case 'watch':
      return (await import('./watch-command.ts')).runWatch(command, full);
    case 'serve':
      return (await import('./serve-command.ts')).runServe(command, full);
    case 'search':
      return (await import('./search-command.ts')).runSearch(command, io);
    case 'keys':
      return (await import('./keys-command.ts')).runKeys(command, io);
    case 'purge':
      return (await import('./keys-command.ts')).runPurge(command, full);
  }
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
