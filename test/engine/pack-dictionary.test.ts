/**
 * Model packs with another dictionary: a pack is the shipped model files under a dictionary file of its own, made
 * at test time, imported with `ocr-desk models import` and used with `--models`, as a site would install
 * PaddleOCR's Latin model. The dictionary here is the shipped one with "e" replaced by "ê", so the output shows
 * that the characters come from the pack's dictionary, accents included.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_MODEL_DIR, readAlphabet, readManifest, type ModelPack } from '../../app/node/model-pack.ts';
import { phototest, runCli, tempDir } from '../helpers.ts';


describe('model packs with another dictionary (real models, CLI)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let shipped: string[];
  before(async () => {
    ({ dir, cleanup } = await tempDir('pack-dict'));
    const manifest = await readManifest(DEFAULT_MODEL_DIR);
    shipped = (await readFile(path.join(DEFAULT_MODEL_DIR, manifest.models.recognition.dictionary.file), 'utf8')).split('\n');
  });
  after(() => cleanup());

  /** A pack of the shipped models (linked) with `lines` as its dictionary. */
  async function makePack(name: string, lines: readonly string[]): Promise<string> {
    const to = path.join(dir, name);
    await mkdir(to, { recursive: true });
    const manifest = await readManifest(DEFAULT_MODEL_DIR);
    for (const f of await readdir(DEFAULT_MODEL_DIR)) if (f.endsWith('.onnx') || f === manifest.models.recognition.int8?.file) await symlink(path.join(DEFAULT_MODEL_DIR, f), path.join(to, f));
    const dict = `${name}_dict.txt`;
    const text = lines.join('\n') + '\n';
    await writeFile(path.join(to, dict), text);
    const { source: _source, ...rest } = manifest;
    const own = {
      ...rest,
      id: name,
      name: `Test pack ${name}`,
      languages: ['en', 'fr'],
      models: {
        ...manifest.models,
        recognition: { ...manifest.models.recognition, dictionary: { ...manifest.models.recognition.dictionary, file: dict, sha256: createHash('sha256').update(text).digest('hex') } },
      },
    };
    await writeFile(path.join(to, 'manifest.json'), JSON.stringify(own, null, 2));
    return to;
  }

  it('imports a pack with its own dictionary and reads with it', async () => {
    const e = shipped.indexOf('e');
    assert.ok(e >= 0 && !shipped.includes('ê'));
    const pack = await makePack('latin-test', shipped.map((c) => (c === 'e' ? 'ê' : c)));
    const dataDir = path.join(dir, 'data');
    const imported = await runCli(['models', 'import', pack], { OCR_DESK_DATA_DIR: dataDir });
    assert.equal(imported.code, 0, imported.stderr);
    const installed = path.join(dataDir, 'models', 'latin-test');
    const out = path.join(dir, 'out');
    const ocr = await runCli([phototest, '--out', out, '--models', installed, '--format', 'txt', '--workers', '1'], { OCR_DESK_DATA_DIR: dataDir });
    assert.equal(ocr.code, 0, ocr.stderr);
    const text = await readFile(path.join(out, 'phototest.txt'), 'utf8');
    assert.match(text, /^This is a lot of 12 point têxt to têst thê\n/);
    assert.match(text, /Thê quick brown dog jumpêd ovêr thê/);
  });

  it('refuses a dictionary that is not the model’s, naming both and their class counts', async () => {
    // Found when a worker builds its recogniser: the page fails with the reason (exit code 1, as any failed file).
    const pack = await makePack('short', shipped.slice(0, -1));
    const ocr = await runCli([phototest, '--out', path.join(dir, 'out-short'), '--models', pack, '--workers', '1'], { OCR_DESK_DATA_DIR: path.join(dir, 'data') });
    assert.equal(ocr.code, 1, ocr.stderr);
    assert.match(ocr.stderr, /model-manifest: /);
    assert.match(ocr.stderr, /has 6625 output classes, but its dictionary .*short_dict\.txt gives 6624 \(the CTC blank, 6622 characters and the space\)/);
  });

  it('refuses a dictionary line that holds more than one character, at start', async () => {
    const lines = [...shipped];
    lines[10] = 'ab';
    const pack = await makePack('two-chars', lines);
    const ocr = await runCli([phototest, '--out', path.join(dir, 'out-two'), '--models', pack, '--workers', '1'], { OCR_DESK_DATA_DIR: path.join(dir, 'data') });
    assert.equal(ocr.code, 2, ocr.stderr);
    assert.match(ocr.stderr, /two-chars_dict\.txt has "ab" on line 11: it needs exactly one character per line/);
  });
});

describe('recognition dictionaries', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => ({ dir, cleanup } = await tempDir('dict')));
  after(() => cleanup());

  /** A pack object around a dictionary file's text (the manifest is the default's, with `appendSpace`). */
  async function pack(text: string, appendSpace: boolean): Promise<ModelPack> {
    const manifest = await readManifest(DEFAULT_MODEL_DIR);
    const file = path.join(dir, `d${Math.random().toString(36).slice(2)}.txt`);
    await writeFile(file, text);
    const recognition = { ...manifest.models.recognition, dictionary: { ...manifest.models.recognition.dictionary, file: path.basename(file), appendSpace } };
    return { dir, manifest: { ...manifest, models: { ...manifest.models, recognition } }, file: (name) => path.join(dir, name) };
  }

  it('reads PaddleOCR dictionaries: blank first, one class per line, the space last when appended', async () => {
    assert.deepEqual(await readAlphabet(await pack('a\né\nß\n', true)), ['', 'a', 'é', 'ß', ' ']);
    // Windows line ends, a byte-order mark, no final newline, a space listed as a character.
    assert.deepEqual(await readAlphabet(await pack('\uFEFFa\r\n \r\nक्ष', false)), ['', 'a', ' ', 'क्ष']);
  });

  it('names an empty dictionary and an empty line', async () => {
    await assert.rejects(readAlphabet(await pack('', true)), { kind: 'model-manifest', message: /is empty/ });
    await assert.rejects(readAlphabet(await pack('a\n\nb\n', true)), { kind: 'model-manifest', message: /has an empty line on line 2/ });
  });
});
