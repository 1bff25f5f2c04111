#!/usr/bin/env node
// `npm start`: the desktop app where Electron is installed; elsewhere (Electron's binary could not be downloaded,
// e.g. an offline machine or CI) the same service with its UI in a browser, through `ocr-desk serve`.
// Runs on Node 20 or later. Arguments go to the app (files to open) or to `ocr-desk serve` (--port, --data-dir).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

/**
 * The Electron executable of node_modules/electron, or undefined. Not `require('electron')`: since Electron 45
 * that tries to download the binary when it is missing.
 */
function electronBinary() {
  const dir = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(dir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const name = readFileSync(pathFile, 'utf8').trim();
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH || path.join(dir, 'dist');
  const executable = path.join(distDir, name);
  return existsSync(executable) ? executable : undefined;
}

function run(command, commandArgs, env = process.env) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit', env });
  // Ctrl-C reaches the child too; it decides how to stop, the launcher waits for it.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 1)));
}

/** Builds the UI (Vite, into dist/renderer) when it is missing or older than its sources: a fresh clone just works. */
function ensureUiBuilt() {
  const index = path.join(root, 'dist', 'renderer', 'index.html');
  const newest = (dir) => {
    let t = 0;
    for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) t = Math.max(t, statSync(path.join(e.parentPath, e.name)).mtimeMs);
    return t;
  };
  const sources = Math.max(newest(path.join(root, 'app', 'renderer')), newest(path.join(root, 'app', 'common')), statSync(path.join(root, 'vite.config.ts')).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  console.log('npm start: building the app’s UI (npm run build:ui)…');
  const built = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) console.warn('npm start: the UI could not be built; the app will say so. Run `npm run build:ui` to see why.');
}

ensureUiBuilt();
// `npm run serve` (--browser): the app in a browser even where Electron is installed.
const browser = args.includes('--browser');
if (browser) args.splice(args.indexOf('--browser'), 1);
const electron = browser ? undefined : electronBinary();
if (electron) {
  const { buildPreload } = await import('./build-electron.mjs');
  await buildPreload();
  // ELECTRON_RUN_AS_NODE inherited from a tool would turn Electron into plain Node.
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  run(electron, ['.', ...args], env);
} else if (browser) {
  run(process.execPath, [path.join(root, 'bin', 'ocr-desk.mjs'), 'serve', ...args]);
} else {
  console.log(
    'npm start: Electron is not installed here (npm could not download its binary), so the desktop window cannot open.\n' +
      'Starting `ocr-desk serve` instead: the same service, with the app in your browser at the address below.\n',
  );
  run(process.execPath, [path.join(root, 'bin', 'ocr-desk.mjs'), 'serve', ...args]);
}
