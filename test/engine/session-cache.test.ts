import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_MODEL_DIR } from '../../app/node/model-pack.ts';
import { createOnnxSession } from '../../app/worker/engine/session.ts';
import { tempDir } from '../helpers.ts';

const model = path.join(DEFAULT_MODEL_DIR, 'ch_ppocr_mobile_v2.0_cls_infer.onnx');

describe('rewritten-model cache', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => ({ dir, cleanup } = await tempDir('model-cache')));
  after(() => cleanup());

  const run = async () => {
    const s = await createOnnxSession(model, { cacheDir: dir });
    const out = await s.run({ data: new Float32Array(3 * 48 * 192).fill(0.25), dims: [1, 3, 48, 192] });
    await s.release();
    return [...out.data];
  };

  it('stores the rewritten model with its hash, reuses it, and rebuilds an entry that does not match', async () => {
    const first = await run();
    const files = (await readdir(dir)).sort();
    assert.equal(files.length, 2);
    const entry = path.join(dir, files[0]!);
    assert.match(files[0]!, /^ch_ppocr_mobile_v2\.0_cls_infer\.[0-9a-f]{32}\.onnx$/);
    const bytes = await readFile(entry);
    assert.equal((await readFile(`${entry}.sha256`, 'utf8')).trim(), createHash('sha256').update(bytes).digest('hex'));

    assert.deepEqual(await run(), first, 'the cached model gives the same output');

    await writeFile(entry, bytes.subarray(0, bytes.length >> 1));
    assert.deepEqual(await run(), first, 'a damaged entry is not used');
    assert.deepEqual(await readFile(entry), bytes, 'and is rebuilt');
  });

  it('finds the entry by the known source hash without reading the source', async () => {
    const first = await run();
    const sourceSha256 = createHash('sha256').update(await readFile(model)).digest('hex');
    // Same folder, same file name, but no file there: only the cache can supply the model.
    const s = await createOnnxSession(path.join(dir, path.basename(model)), { cacheDir: dir, sourceSha256 });
    const out = await s.run({ data: new Float32Array(3 * 48 * 192).fill(0.25), dims: [1, 3, 48, 192] });
    await s.release();
    assert.deepEqual([...out.data], first);
    await assert.rejects(createOnnxSession(path.join(dir, path.basename(model)), { cacheDir: dir, sourceSha256: '0'.repeat(64) }), { code: 'ENOENT' });
  });
});
