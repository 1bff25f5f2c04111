/**
 * Model packs: a folder with a manifest.json naming each model (task, file, sha256, input layout and normalisation,
 * dictionary, languages, default thresholds). The default pack ships in models/; sites without a network import
 * further packs from a folder. Nothing is ever downloaded.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { cp, mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ModelCorruptError, ModelManifestError, ModelMissingError } from '../common/errors.ts';

const sha = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 is 64 lowercase hex digits');
const fileName = z.string().min(1).refine((f) => !f.includes('/') && !f.includes('\\') && f !== '..' && f !== '.', 'a file name inside the pack folder');
const normalisation = {
  layout: z.literal('NCHW'),
  channels: z.enum(['RGB', 'BGR']),
  scale: z.number().positive(),
  mean: z.tuple([z.number(), z.number(), z.number()]),
  std: z.tuple([z.number().positive(), z.number().positive(), z.number().positive()]),
};

export const manifestSchema = z.object({
  formatVersion: z.literal(1),
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lowercase letters, digits, dot, dash, underscore'),
  name: z.string().min(1),
  languages: z.array(z.string().min(2)).min(1),
  source: z.object({ npmPackage: z.string(), version: z.string(), folder: z.string() }).optional(),
  models: z.object({
    detection: z.object({
      task: z.literal('detection'),
      architecture: z.literal('db'),
      file: fileName,
      sha256: sha,
      input: z.object({ ...normalisation, sizeMultiple: z.number().int().positive() }),
      defaults: z.object({
        limitSideLen: z.number().int().min(32),
        thresh: z.number().min(0).max(1),
        boxThresh: z.number().min(0).max(1),
        unclipRatio: z.number().positive(),
        maxCandidates: z.number().int().positive(),
        minSize: z.number().nonnegative(),
      }),
    }),
    orientation: z
      .object({
        task: z.literal('line-orientation'),
        file: fileName,
        sha256: sha,
        input: z.object({ ...normalisation, height: z.number().int().positive(), width: z.number().int().positive() }),
        labels: z.tuple([z.literal(0), z.literal(180)]),
        defaults: z.object({ threshold: z.number().min(0).max(1) }),
      })
      .optional(),
    recognition: z.object({
      task: z.literal('recognition'),
      architecture: z.literal('ctc'),
      file: fileName,
      sha256: sha,
      input: z.object({ ...normalisation, height: z.number().int().positive(), maxWidth: z.number().int().positive() }),
      dictionary: z.object({ file: fileName, sha256: sha, blankIndex: z.literal(0), appendSpace: z.boolean() }),
      defaults: z.object({ batchSize: z.number().int().positive(), minConfidence: z.number().min(0).max(1) }),
      /** Value ranges for running the model's wide pointwise convolutions in int8 on the CPU (scripts/calibrate-models.ts). */
      int8: z.object({ file: fileName, sha256: sha }).optional(),
    }),
  }),
});

export type ModelManifest = z.infer<typeof manifestSchema>;

export interface ModelPack {
  readonly dir: string;
  readonly manifest: ModelManifest;
  /** Absolute path of a file named in the manifest. */
  file(name: string): string;
}

/** The default pack's folder inside the installation. */
export const DEFAULT_MODEL_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'models', 'ppocr-v4-mobile');

export async function readManifest(dir: string): Promise<ModelManifest> {
  const file = path.join(dir, 'manifest.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ModelManifestError(`No model pack at ${dir}: ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? error}). Point the models setting (OCR_DESK_MODELS) at a folder with a manifest.json.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ModelManifestError(`${file} is not valid JSON (${(error as Error).message}). Restore it from the model pack.`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ModelManifestError(`${file} is not a valid model manifest: ${issue.path.join('.') || '(root)'}: ${issue.message}.`);
  }
  return parsed.data;
}

export function packFiles(manifest: ModelManifest): { file: string; sha256: string }[] {
  const { detection, orientation, recognition } = manifest.models;
  const files = [detection, recognition, recognition.dictionary].map((m) => ({ file: m.file, sha256: m.sha256 }));
  if (orientation) files.push({ file: orientation.file, sha256: orientation.sha256 });
  if (recognition.int8) files.push(recognition.int8);
  return files;
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Loads a pack and, unless `verify` is false, checks every file against its sha256: a missing or corrupt file
 * gives an error naming the file and the expected checksum.
 */
export async function loadModelPack(dir: string, { verify = true }: { verify?: boolean } = {}): Promise<ModelPack> {
  const abs = path.resolve(dir);
  const manifest = await readManifest(abs);
  for (const { file, sha256 } of packFiles(manifest)) {
    const full = path.join(abs, file);
    const info = await stat(full).catch(() => undefined);
    if (!info?.isFile()) throw new ModelMissingError(full, sha256);
    if (verify) {
      const actual = await sha256File(full);
      if (actual !== sha256) throw new ModelCorruptError(full, sha256, actual);
    }
  }
  const pack: ModelPack = { dir: abs, manifest, file: (name) => path.join(abs, name) };
  // A malformed dictionary or int8 file fails here, at start, rather than in every worker.
  await readAlphabet(pack);
  await readInt8Ranges(pack);
  return pack;
}

/**
 * A pack's files are read and checked once per pack object: `loadModelPack` checks them at start, and the engine
 * made from the same pack (in a worker, right after) takes the same result instead of reading them again.
 */
function oncePerPack<T>(reads: WeakMap<ModelPack, Promise<T>>, pack: ModelPack, read: () => Promise<T>): Promise<T> {
  let result = reads.get(pack);
  if (!result) reads.set(pack, (result = read()));
  return result;
}
const alphabetRead = new WeakMap<ModelPack, Promise<readonly string[]>>();
const int8Read = new WeakMap<ModelPack, Promise<Int8Ranges | undefined>>();

const int8Schema = z.object({
  model: sha,
  ranges: z.record(z.string(), z.object({ min: z.number(), max: z.number() }).refine((r) => r.min <= 0 && r.max >= 0, 'a range that holds 0')),
});

export interface Int8Ranges {
  /** The file's sha256, which names the ranges in caches. */
  readonly id: string;
  readonly ranges: Readonly<Record<string, { readonly min: number; readonly max: number }>>;
}

/**
 * The recognition model's int8 value ranges, when the pack has them (`models.recognition.int8`), checked: valid
 * JSON of the expected shape, measured on this pack's recognition model (by its sha256).
 */
export function readInt8Ranges(pack: ModelPack): Promise<Int8Ranges | undefined> {
  return oncePerPack(int8Read, pack, () => parseInt8Ranges(pack));
}

async function parseInt8Ranges(pack: ModelPack): Promise<Int8Ranges | undefined> {
  const { int8, sha256 } = pack.manifest.models.recognition;
  if (!int8) return undefined;
  const full = pack.file(int8.file);
  let parsed;
  try {
    parsed = int8Schema.safeParse(JSON.parse(await readFile(full, 'utf8')));
  } catch (error) {
    throw new ModelManifestError(`The int8 ranges ${full} cannot be read (${(error as Error).message}). Restore the file from the model pack, or remove models.recognition.int8 from its manifest to run in float.`);
  }
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ModelManifestError(`The int8 ranges ${full} are not valid: ${issue.path.join('.') || '(root)'}: ${issue.message}. Measure them again with scripts/calibrate-models.ts.`);
  }
  if (parsed.data.model !== sha256) {
    throw new ModelManifestError(`The int8 ranges ${full} were measured on another recognition model (sha256 ${parsed.data.model}). Measure them again with scripts/calibrate-models.ts, or remove models.recognition.int8 from the manifest.`);
  }
  return { id: int8.sha256, ranges: parsed.data.ranges };
}

/**
 * The recognition model's classes in output order: the CTC blank, one class per line of the pack's dictionary
 * (PaddleOCR's format: UTF-8, one character per line, a final newline optional), then the space when the manifest
 * says the model was trained with one appended (`appendSpace`, PaddleOCR's use_space_char). Any PaddleOCR CTC
 * recognition model reads this way: Chinese and English (ppocr_keys_v1.txt), Latin (latin_dict.txt, accented
 * letters included), Cyrillic, Arabic, Devanagari, Korean, Japanese.
 */
export function readAlphabet(pack: ModelPack): Promise<readonly string[]> {
  return oncePerPack(alphabetRead, pack, () => parseAlphabet(pack));
}

async function parseAlphabet(pack: ModelPack): Promise<string[]> {
  const { file, appendSpace } = pack.manifest.models.recognition.dictionary;
  const full = pack.file(file);
  const lines = (await readFile(full, 'utf8')).replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) throw new ModelManifestError(`The recognition dictionary ${full} is empty: it needs one character per line.`);
  // Made only for lines of several code points (a letter with combining marks): starting ICU's segmenter took
  // ~30 ms of every worker's start, and almost every line is one code point.
  let graphemes: Intl.Segmenter | undefined;
  const oneGrapheme = (line: string) => {
    const points = [...line].length;
    if (points <= 1) return points === 1;
    graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    return [...graphemes.segment(line)].length === 1;
  };
  lines.forEach((line, i) => {
    // A space is a character too (some dictionaries list it); an empty line or two characters on one are not.
    if (!oneGrapheme(line)) {
      throw new ModelManifestError(`The recognition dictionary ${full} has ${line === '' ? 'an empty line' : `"${line}"`} on line ${i + 1}: it needs exactly one character per line.`);
    }
  });
  return ['', ...lines, ...(appendSpace ? [' '] : [])];
}

/**
 * Imports a pack from a folder (for example a USB stick on an air-gapped site) into `packsDir/<id>`, after
 * verifying it. Returns the installed pack.
 */
export async function importModelPack(from: string, packsDir: string): Promise<ModelPack> {
  const source = await loadModelPack(from);
  const dest = path.join(packsDir, source.manifest.id);
  await mkdir(dest, { recursive: true });
  await cp(path.join(source.dir, 'manifest.json'), path.join(dest, 'manifest.json'));
  for (const { file } of packFiles(source.manifest)) await cp(source.file(file), path.join(dest, file));
  return loadModelPack(dest);
}
