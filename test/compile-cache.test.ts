import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { tempDir } from './helpers.ts';

const run = promisify(execFile);
const MODULE = path.resolve(import.meta.dirname, '../app/node/compile-cache.ts');

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
});
