import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_MODEL_DIR, importModelPack, loadModelPack, packFiles, readManifest } from '../../app/node/model-pack.ts';
import { tempDir } from '../helpers.ts';

describe('model packs', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => ({ dir, cleanup } = await tempDir('models')));
  after(() => cleanup());

  async function copyPack(to: string) {
    await mkdir(to, { recursive: true });
    const manifest = await readManifest(DEFAULT_MODEL_DIR);
    await copyFile(path.join(DEFAULT_MODEL_DIR, 'manifest.json'), path.join(to, 'manifest.json'));
    for (const { file } of packFiles(manifest)) await copyFile(path.join(DEFAULT_MODEL_DIR, file), path.join(to, file));
    return manifest;
  }

  it('verifies the installed default pack', async () => {
    const pack = await loadModelPack(DEFAULT_MODEL_DIR);
    assert.equal(pack.manifest.id, 'ppocr-v4-mobile');
    assert.deepEqual(pack.manifest.languages, ['zh', 'en']);
  });

  it('names a missing file and its expected checksum', async () => {
    const to = path.join(dir, 'missing');
    const manifest = await copyPack(to);
    await rm(path.join(to, manifest.models.recognition.file));
    await assert.rejects(loadModelPack(to), (e: Error & { kind: string }) => {
      assert.equal(e.kind, 'model-missing');
      assert.match(e.message, new RegExp(`${manifest.models.recognition.file}.*${manifest.models.recognition.sha256}`));
      return true;
    });
  });

  it('names a corrupt file with the expected and the actual checksum', async () => {
    const to = path.join(dir, 'corrupt');
    const manifest = await copyPack(to);
    const file = path.join(to, manifest.models.detection.file);
    const bytes = await readFile(file);
    bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 0xff;
    await writeFile(file, bytes);
    await assert.rejects(loadModelPack(to), { kind: 'model-corrupt', message: new RegExp(`expected ${manifest.models.detection.sha256}`) });
  });

  it('rejects an invalid manifest with the field at fault', async () => {
    const to = path.join(dir, 'bad-manifest');
    await mkdir(to, { recursive: true });
    await writeFile(path.join(to, 'manifest.json'), JSON.stringify({ formatVersion: 1, id: 'x', name: 'x', languages: ['en'], models: { detection: { task: 'detection', file: '../etc/passwd' } } }));
    await assert.rejects(loadModelPack(to), { kind: 'model-manifest', message: /models\.detection/ });
  });

  it('checks the int8 ranges: readable, of the right shape, and measured on the pack\'s own recognition model', async () => {
    const to = path.join(dir, 'int8');
    const manifest = await copyPack(to);
    const int8 = manifest.models.recognition.int8;
    assert.ok(int8, 'the default pack ships int8 ranges');
    // Each content is named in the manifest with its own sha256, so it is the content that is judged, not the checksum.
    const packWith = async (content: string) => {
      await writeFile(path.join(to, int8.file), content);
      const sha256 = createHash('sha256').update(content).digest('hex');
      const recognition = { ...manifest.models.recognition, int8: { ...int8, sha256 } };
      await writeFile(path.join(to, 'manifest.json'), JSON.stringify({ ...manifest, models: { ...manifest.models, recognition } }));
      return loadModelPack(to);
    };
    const own = manifest.models.recognition.sha256;
    await assert.rejects(packWith('{"model": "'), { kind: 'model-manifest', message: /int8 ranges .* cannot be read .*remove models\.recognition\.int8/ });
    await assert.rejects(packWith(JSON.stringify({ model: own, ranges: { x: { min: 1, max: 2 } } })), { kind: 'model-manifest', message: /not valid: ranges\.x: a range that holds 0.*calibrate-models/ });
    await assert.rejects(packWith(JSON.stringify({ model: 'a'.repeat(64), ranges: {} })), { kind: 'model-manifest', message: /measured on another recognition model \(sha256 a{64}\)/ });
    const ok = await packWith(JSON.stringify({ model: own, ranges: { x: { min: -1, max: 2 } } }));
    assert.equal(ok.manifest.models.recognition.int8?.file, int8.file);
  });

  it('imports a pack from a folder, verified, into the packs folder', async () => {
    const from = path.join(dir, 'usb-stick');
    await copyPack(from);
    const pack = await importModelPack(from, path.join(dir, 'data', 'models'));
    assert.equal(pack.dir, path.join(dir, 'data', 'models', 'ppocr-v4-mobile'));
  });
});
