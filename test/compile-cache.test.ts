import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { tempDir } from './helpers.ts';

const run = promisify(execFile);
const MODULE = path.resolve(import.meta.dirname, '../app/node/compile-cache.mjs');
const LAUNCHER = path.resolve(import.meta.dirname, '../bin/ocr-desk.mjs');
/** Node 20 here: the launcher hands over to the project's Node 24 (see bin/ocr-desk.mjs). */
const SYSTEM_NODE = '/usr/bin/node';

describe('compile cache', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => ({ dir, cleanup } = await tempDir('compile-cache')));
  after(() => cleanup());

  // A child process of its own: turning the cache on is process-wide.
  const probe = (env: NodeJS.ProcessEnv) =>
    run(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(MODULE)}); m.enableCompileCache(${JSON.stringify(dir)}); process.stdout.write(process.env.NODE_COMPILE_CACHE ?? '')`], { env });

  it('goes in the cache folder and is handed to child processes', async () => {
    const env = { ...process.env };
    delete env.NODE_COMPILE_CACHE;
    const { stdout } = await probe(env);
    assert.equal(stdout, path.join(dir, 'compile'));
    assert.ok((await readdir(stdout)).length > 0, 'the cache folder holds the compiled modules');
  });

  it('leaves a folder named by NODE_COMPILE_CACHE alone', async () => {
    const own = path.join(dir, 'own');
    const { stdout } = await probe({ ...process.env, NODE_COMPILE_CACHE: own });
    assert.equal(stdout, own);
  });

  // Node's own trace of the cache says where main.ts came from. Turned on by main.ts itself, the cache could only
  // serve the modules after it; the launcher turns it on first, so that no TypeScript is stripped at all.
  const mainFromCache = /retrieving transpile cache for StrippedTypeScript file:\S*\/app\/main\/cli\/main\.ts\.\.\.success/;
  for (const [name, node, folder] of [
    ['under Node 24', process.execPath, 'node24'],
    ['under an older Node, through its Node 24 child', SYSTEM_NODE, 'system-node'],
  ] as const) {
    it(`is on before main.ts when the ocr-desk launcher starts the CLI, ${name}`, { skip: existsSync(node) ? false : `no ${node}` }, async () => {
      const env: NodeJS.ProcessEnv = { ...process.env, OCR_DESK_CACHE_DIR: path.join(dir, `launcher-${folder}`), NODE_DEBUG_NATIVE: 'COMPILE_CACHE' };
      delete env.NODE_COMPILE_CACHE;
      const first = await run(node, [LAUNCHER, '--version'], { env });
      // (Booleans: Node's trace runs to thousands of lines.)
      assert.equal(mainFromCache.test(first.stderr), false, 'an empty cache cannot serve it');
      const second = await run(node, [LAUNCHER, '--version'], { env });
      assert.equal(mainFromCache.test(second.stderr), true, 'main.ts came from the cache');
      assert.equal(second.stdout, first.stdout);
      assert.ok((await readdir(path.join(env.OCR_DESK_CACHE_DIR!, 'compile'))).length > 0, 'in the cache folder');
    });
  }
});
