// Layering, after VS Code: the folder says where code runs, and lint enforces it.
//   app/common   runs anywhere: no Node built-ins, no Electron
//   app/renderer runs in Chromium: no Node built-ins, no Electron
//   app/worker   runs in a worker process: Node yes, Electron never
//   app/main     only app/main/electron may import Electron (the thin shell); app/main/electron/host runs in the
//                service's utility process and never does; the preload is bundled for a sandbox: Electron only
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

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'scratch/**', 'models/**'] },
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
