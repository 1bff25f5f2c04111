#!/usr/bin/env node
// Launcher for the `ocr-desk` CLI, which is TypeScript run by Node's built-in type stripping. A Node that strips
// types (>= 22.18, or 23.6 and later) runs it directly; an older one hands over to the Node 24 that the project
// installs as a dev dependency (node_modules/.bin/node), passing on arguments, signals and the exit code.
// Either way Node's compile cache is on before the first TypeScript module: a cached module needs no type
// stripping, and a process that strips none never loads the stripper (~40 ms of every start).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { compileCacheDir, enableCompileCache } from '../app/node/compile-cache.mjs';
import { cacheDir } from '../app/node/folders.mjs';

const main = fileURLToPath(new URL('../app/main/cli/main.ts', import.meta.url));

if (process.features.typescript) {
  enableCompileCache(cacheDir());
  await import(main);
} else {
  // The Node 24 child turns the cache on as it starts.
  process.env.NODE_COMPILE_CACHE ||= compileCacheDir(cacheDir());
  const bundled = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url));
  if (!existsSync(bundled)) {
    process.stderr.write(`ocr-desk needs Node.js 22.18 or later (this is ${process.version}); run \`npm ci\` to install it locally.\n`);
    process.exit(2);
  }
  const child = spawn(bundled, [main, ...process.argv.slice(2)], { stdio: 'inherit' });
  // A stop sent to this process alone (`kill <pid>`, a service manager stopping its main process, a closed
  // terminal) is passed on: the CLI stops cleanly (workers ended, the data folder's lock released) and this
  // process waits for it, then exits as it did. Ctrl-C in a terminal reaches both processes, so the CLI gets that
  // SIGINT twice within moments; it counts the two as one (see main.ts).
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    });
  }
  child.on('exit', (code, signal) => {
    process.exit(signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 1));
  });
}
