import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DEFAULT_MODEL_DIR } from '../../app/node/model-pack.ts';
import { machineKey } from '../../app/worker/engine/model-cache.ts';
import { createOnnxSession } from '../../app/worker/engine/session.ts';
import { tempDir } from '../helpers.ts';

const model = path.join(DEFAULT_MODEL_DIR, 'ch_ppocr_mobile_v2.0_cls_infer.onnx');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

describe('model cache: rewritten models and their optimised graphs', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => ({ dir, cleanup } = await tempDir('model-cache')));
  after(() => cleanup());
  beforeEach(async () => {
    for (const f of await readdir(dir)) await rm(path.join(dir, f));
  });

  const run = async (file = model, sourceSha256?: string) => {
    const s = await createOnnxSession(file, { cacheDir: dir, sourceSha256 });
    const out = await s.run({ data: new Float32Array(3 * 48 * 192).fill(0.25), dims: [1, 3, 48, 192] });
    await s.release();
    return [...out.data];
  };
  /** The cache's entries: `rewritten` and `optimised` (each with its .sha256 beside it). */
  const entries = async () => {
    const files = (await readdir(dir)).sort();
    const rewritten = files.filter((f) => /^ch_ppocr_mobile_v2\.0_cls_infer\.[0-9a-f]{32}\.onnx$/.test(f));
    const optimised = files.filter((f) => /^ch_ppocr_mobile_v2\.0_cls_infer\.[0-9a-f]{32}\.[0-9a-f]{16}\.optimised\.onnx$/.test(f));
    assert.equal(rewritten.length, 1, `one rewritten entry in ${files.join(', ')}`);
    assert.equal(optimised.length, 1, `one optimised entry in ${files.join(', ')}`);
    assert.equal(files.length, 4, `each entry and its hash, nothing else: ${files.join(', ')}`);
    return { rewritten: path.join(dir, rewritten[0]!), optimised: path.join(dir, optimised[0]!) };
  };

  it('stores both with their hashes and gives the same output from them', async () => {
    const first = await run();
    const { rewritten, optimised } = await entries();
    for (const entry of [rewritten, optimised]) {
      assert.equal((await readFile(`${entry}.sha256`, 'utf8')).trim(), sha256(await readFile(entry)));
    }
    assert.notDeepEqual(await readFile(optimised), await readFile(rewritten), 'the optimised graph is ONNX Runtime’s, not the rewritten model');
    assert.deepEqual(await run(), first, 'the cached graphs give the same output');
  });

  it('does not use a damaged entry of either kind, and rebuilds it', async () => {
    const first = await run();
    const { rewritten, optimised } = await entries();
    const good = { rewritten: await readFile(rewritten), optimised: await readFile(optimised) };

    await writeFile(optimised, good.optimised.subarray(0, good.optimised.length >> 1));
    assert.deepEqual(await run(), first, 'a cut-short optimised graph is not used');
    assert.equal(sha256(await readFile(optimised)), (await readFile(`${optimised}.sha256`, 'utf8')).trim(), 'and is rebuilt whole');

    // Both damaged: the session is made from the source model, and both entries are written again.
    await writeFile(rewritten, good.rewritten.subarray(0, 1000));
    await writeFile(optimised, 'not a model');
    assert.deepEqual(await run(), first);
    assert.deepEqual(await readFile(rewritten), good.rewritten);
    assert.equal(sha256(await readFile(optimised)), (await readFile(`${optimised}.sha256`, 'utf8')).trim());
  });

  it('makes the session from the cache alone when the source hash is known', async () => {
    const first = await run();
    const sourceSha256 = sha256(await readFile(model));
    // Same folder, same file name, but no file there: only the cache can supply the model.
    const absent = path.join(dir, path.basename(model));
    assert.deepEqual(await run(absent, sourceSha256), first, 'from the optimised graph');
    await rm((await entries()).optimised);
    assert.deepEqual(await run(absent, sourceSha256), first, 'from the rewritten model, when the optimised graph is gone');
    await assert.rejects(createOnnxSession(absent, { cacheDir: dir, sourceSha256: '0'.repeat(64) }), { code: 'ENOENT' });
  });

  it('still makes the session when the cache folder cannot be written', async () => {
    const first = await run();
    // A file where the folder should be: neither entry can be written (as with a read-only or full disk).
    const blocked = path.join(dir, 'blocked');
    await writeFile(blocked, 'not a folder');
    const s = await createOnnxSession(model, { cacheDir: path.join(blocked, 'models') });
    const out = await s.run({ data: new Float32Array(3 * 48 * 192).fill(0.25), dims: [1, 3, 48, 192] });
    await s.release();
    assert.deepEqual([...out.data], first);
  });

  it('keys optimised graphs by the runtime version as well as the CPU', () => {
    assert.match(machineKey('1.30.0'), /^[0-9a-f]{16}$/);
    assert.equal(machineKey('1.30.0'), machineKey('1.30.0'));
    assert.notEqual(machineKey('1.30.0'), machineKey('1.31.0'));
  });
});
