#!/usr/bin/env node
// Builds what the Electron shell cannot run from source: the preload script. A sandboxed preload cannot load
// modules (only 'electron' can be required), so app/main/electron/preload.ts and the few zod-free modules it uses
// are bundled into one CommonJS file, dist/electron/preload.cjs. Everything else (main, the service host, the
// workers) is TypeScript run as it is by the Node inside Electron (type stripping), like the CLI.
// Runs on Node 20 or later: `node scripts/build-electron.mjs` (npm run build:electron).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const PRELOAD_OUT = path.join(root, 'dist', 'electron', 'preload.cjs');

export async function buildPreload(outfile = PRELOAD_OUT) {
  mkdirSync(path.dirname(outfile), { recursive: true });
  const result = await build({
    entryPoints: [path.join(root, 'app', 'main', 'electron', 'preload.ts')],
    outfile,
    bundle: true,
    format: 'cjs',
    // The sandboxed preload has browser globals and no Node built-ins: the browser platform refuses any that slip in.
    platform: 'browser',
    target: 'es2023',
    external: ['electron'],
    sourcemap: false,
    minify: false,
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
  });
  return { outfile, inputs: Object.keys(result.metafile.inputs) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { outfile, inputs } = await buildPreload();
  console.log(`${path.relative(root, outfile)} ← ${inputs.join(', ')}`);
}
