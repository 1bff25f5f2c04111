/**
 * `ocr-desk` entry point (`npm run ocr -- …`, bin/ocr-desk.mjs). A stop request stops the run cleanly: queued pages
 * are dropped, running ones stopped, workers ended, the data folder's lock released, the summary printed. It comes
 * as Ctrl-C (SIGINT), a service manager's or `kill`'s SIGTERM, or SIGHUP from a closed terminal; the process then
 * exits with 128 + the signal's number (130, 143, 129), as a shell reports a process killed by it. A second Ctrl-C
 * exits at once.
 */
import { enableCompileCache } from '../../node/compile-cache.mjs';
import { holdYoungGeneration } from '../../node/young-generation.ts';
import { startWorkerEarly } from '../pool/early-worker.ts';
import { cacheDir } from '../settings.ts';
import { SUB_COMMANDS } from './usage.ts';

// Before anything large is imported: the rest of the CLI and its workers then load from the compile cache.
enableCompileCache(cacheDir());
// A batch, `watch` or `serve` hosts the service for as long as it runs (young-generation.ts).
holdYoungGeneration();
// A batch's first worker loads its modules while the CLI loads its own (see early-worker.ts).
const argv = process.argv.slice(2);
if (argv[0] !== undefined && !(SUB_COMMANDS as readonly string[]).includes(argv[0]) && !argv.some((a) => a === '--help' || a === '-h' || a === '--version')) startWorkerEarly();
const { runCli } = await import('./run-cli.ts');

/** Exit code of a run stopped by each signal. */
const STOP_EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
type StopSignal = keyof typeof STOP_EXIT_CODES;
/**
 * A SIGINT this soon after another is the same Ctrl-C: the terminal sends it to the launcher (bin/ocr-desk.mjs) as
 * well as to this process, and the launcher passes its copy on.
 */
const SAME_CTRL_C_MS = 300;

const interrupt = new AbortController();
let stoppedBy: StopSignal | undefined;
let lastCtrlC = -Infinity;
const stop = (signal: StopSignal) => {
  const now = performance.now();
  const sameCtrlC = signal === 'SIGINT' && now - lastCtrlC < SAME_CTRL_C_MS;
  if (signal === 'SIGINT') lastCtrlC = now;
  if (stoppedBy !== undefined) {
    // SIGTERM and SIGHUP repeat the request (a service manager may signal every process of the group).
    if (signal === 'SIGINT' && !sameCtrlC) process.exit(STOP_EXIT_CODES[stoppedBy]);
    return;
  }
  stoppedBy = signal;
  process.stderr.write(signal === 'SIGINT' ? '\nInterrupted: stopping… (Ctrl-C again to quit at once)\n' : `\n${signal}: stopping…\n`);
  interrupt.abort();
};
for (const signal of Object.keys(STOP_EXIT_CODES) as StopSignal[]) process.on(signal, () => stop(signal));

try {
  const code = await runCli(argv, { stdout: process.stdout, stderr: process.stderr, signal: interrupt.signal });
  process.exitCode = stoppedBy === undefined ? code : STOP_EXIT_CODES[stoppedBy];
} catch (error) {
  process.stderr.write(`ocr-desk: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 70;
}
