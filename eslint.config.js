// Layering, after VS Code: the folder says where code runs, and lint enforces it.
//   app/common   runs anywhere: no Node built-ins, no Electron
//   app/renderer runs in Chromium: no Node built-ins, no Electron
//   app/worker   runs in a worker process: Node yes, Electron never
//   app/main     only app/main/electron may import Electron (the thin shell)
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
    files: ['app/main/**'],
    ignores: ['app/main/electron/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [electron] }] },
  },
);
