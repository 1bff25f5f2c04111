/**
 * `ocr-desk` entry point (`npm run ocr -- …`, bin/ocr-desk.mjs). The first Ctrl-C stops the batch cleanly (queued
 * pages are dropped, running ones stopped, the summary is printed); a second one exits at once.
 */
import { enableCompileCache } from '../../node/compile-cache.ts';
import { cacheDir } from '../settings.ts';

// Before anything large is imported: the rest of the CLI and its workers then load from the compile cache.
enableCompileCache(cacheDir());
const { EXIT_INTERRUPTED, runCli } = await import('./run-cli.ts');

const interrupt = new AbortController();
process.on('SIGINT', () => {
  if (interrupt.signal.aborted) process.exit(EXIT_INTERRUPTED);
  process.stderr.write('\nInterrupted: stopping… (Ctrl-C again to quit at once)\n');
  interrupt.abort();
});

try {
  process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, signal: interrupt.signal });
} catch (error) {
  process.stderr.write(`ocr-desk: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 70;
}
