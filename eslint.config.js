// Layering, after VS Code: the folder says where code runs, and lint enforces it (the README's table says the same).
//   app/common    runs anywhere: no Node built-ins, no Electron, nothing else of app/
//   app/renderer  runs in Chromium: no Node built-ins, no Electron; talks to the service through its client
//   app/node      Node code shared by the service and the workers: never app/main, app/worker or Electron
//   app/worker    runs in an OCR worker process: Node yes, app/main and Electron never
//   app/main      the service and its adapters; only app/main/electron may import Electron. Inside it, each domain
//                 folder imports only those below it:
//                   store, pool  <  pipeline  <  queue  <  hotfolder  <  service  <  http  <  cli, electron
//                 so no domain folder ever imports the adapters (cli, http, electron). app/main/electron/host runs
//                 in the service's utility process and never imports Electron; the preload is bundled for a
//                 sandbox: Electron only.
// Import cycles are refused by scripts/check-import-cycles.mjs, run by `npm test`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = {
  group: ['node:*', 'fs', 'fs/*', 'path', 'child_process', 'os', 'worker_threads', 'crypto', 'stream', 'http', 'net'],
  message: 'This layer runs outside Node: no Node built-ins here.',
};
const electron = {
  group: ['electron', 'electron/*'],
  message: 'Only the thin shell in app/main/electron may import Electron.',
};
const noUpwardToMain = {
  group: ['**/main/**'],
  message: 'Lower layers never import app/main.',
};

// The renderer runs in Chromium (a browser tab or the Electron window): the browser's globals, and none of Node's.
const browserGlobals = Object.fromEntries(
  ['window', 'document', 'navigator', 'location', 'history', 'fetch', 'Blob', 'File', 'FileList', 'FormData', 'DataTransfer', 'Event', 'CustomEvent', 'HTMLElement',
    'HTMLInputElement', 'HTMLDialogElement', 'indexedDB', 'crypto', 'matchMedia', 'requestAnimationFrame', 'cancelAnimationFrame', 'setInterval', 'clearInterval',
    'TextEncoder', 'TextDecoder', 'Intl', 'queueMicrotask'].map((name) => [name, 'readonly']),
);

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'scratch/**', 'models/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', performance: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['app/common/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [nodeBuiltins, electron, noUpwardToMain, { group: ['**/worker/**', '**/renderer/**'], message: 'app/common depends on nothing else in app/.' }] }] },
  },
  {
    files: ['app/renderer/**'],
    languageOptions: { globals: browserGlobals },
    rules: { 'no-restricted-imports': ['error', { patterns: [nodeBuiltins, electron, noUpwardToMain, { group: ['**/worker/**'], message: 'The renderer talks to workers only through the preload API.' }] }] },
  },
  {
    files: ['app/worker/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [electron, noUpwardToMain, { group: ['**/renderer/**'], message: 'The worker never imports renderer code.' }] }] },
  },
  {
    files: ['app/node/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [electron, noUpwardToMain, { group: ['**/worker/**', '**/renderer/**'], message: 'app/node is shared by the service and the workers: it imports neither.' }] }] },
  },
  ...mainLayers(),
  {
    files: ['app/main/electron/host/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ ...electron, message: 'The service host runs in a utility process: it gets its parent port from process.parentPort, never from Electron.' }] },
      ],
    },
  },
  {
    // Bundled into the sandboxed preload, where only 'electron' can be required: no Node, no zod, no schemas.
    files: ['app/main/electron/preload.ts', 'app/main/electron/preload-bridge.ts', 'app/common/ipc-channels.ts', 'app/common/api/operation-names.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            nodeBuiltins,
            { group: ['zod', 'zod/*'], message: 'The preload bundle stays free of zod: main validates every request.' },
            { group: ['**/operations.ts', '**/ipc.ts', '**/errors.ts', '**/events.ts'], allowTypeImports: true, message: 'Type imports only: these modules load zod.' },
          ],
        },
      ],
    },
  },
);

/** One block per folder of app/main: what it may not import (the folders above it, and Electron). */
function mainLayers() {
  const order = [['store', 'pool'], ['pipeline'], ['queue'], ['hotfolder'], ['service'], ['http'], ['cli']];
  const blocks = [];
  order.forEach((folders, level) => {
    const above = order.slice(level + 1).flat().filter((f) => !folders.includes(f));
    const group = [...above, 'electron'].map((f) => `**/${f}/**`);
    for (const folder of folders) {
      blocks.push({
        files: [`app/main/${folder}/**`],
        rules: { 'no-restricted-imports': ['error', { patterns: [electron, { group, message: `app/main/${folder} may not import the layers above it (${above.join(', ')}) or the Electron shell.` }] }] },
      });
    }
  });
  blocks.push({ files: ['app/main/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [electron] }] } });
  return blocks;
}
