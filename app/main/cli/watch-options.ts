/**
 * Command lines of `ocr-desk watch <folder> --out <dir> [options]` and `ocr-desk search "<words>"`. Like the batch
 * command, every option can also come from the environment as `OCR_DESK_<NAME>` (`--stable-ms` ↔
 * `OCR_DESK_STABLE_MS`), and a flag wins.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { InvalidOptionError } from '../../common/errors.ts';
import { DEFAULT_LANGUAGES, parseLanguages } from '../../common/languages.ts';
import { parseBooleanText, parseIntegerText } from '../../common/options.ts';
import { DEFAULT_MODEL_DIR } from '../../node/model-pack.ts';
import { resolveWatchSettings, type OriginalsAction, type WatchSettings } from '../hotfolder/watch-settings.ts';
import { dataDir, envName, envValue } from '../settings.ts';
import { SHARED_FLAGS } from './shared-flags.ts';

export interface WatchCommand {
  readonly kind: 'watch';
  readonly settings: WatchSettings;
  /** @default dataDir() (OCR_DESK_DATA_DIR) */
  readonly dataDir: string;
  /** @default the bundled pack */
  readonly modelDir: string;
  readonly workers: number | undefined;
  readonly threads: number | undefined;
  readonly maxPixels: number | undefined;
  readonly pageTimeoutMs: number | undefined;
  /** Exit once every file in the folder is done, instead of watching on. @default false */
  readonly once: boolean;
}

export interface SearchCommand {
  readonly kind: 'search';
  readonly words: string;
  readonly dataDir: string;
  /** @default 20 */
  readonly limit: number;
  /** Print JSON lines instead of text. @default false */
  readonly json: boolean;
}

export const WATCH_USAGE = `Usage:
  ocr-desk watch <folder> --out <dir> [options]   OCR every file that lands in <folder>, once
  ocr-desk search "<words>" [--limit n] [--json]   find processed documents by their words

Watch options (each also read from the environment variable shown; a flag wins):
  -o, --out <dir>            output folder (mirrors the watched tree)       OCR_DESK_OUT
  -f, --format <list>        txt, json, hocr, alto, md, csv, pdf [json,txt] OCR_DESK_FORMAT
  -l, --lang <list>          languages: en, zh or en,zh  [en]               OCR_DESK_LANG
      --no-rotate            do not detect rotated pages                    OCR_DESK_NO_ROTATE=1
      --pdf-mode <mode>      PDF pages with text: skip, force, redo [skip]  OCR_DESK_PDF_MODE
      --no-recursive         ignore subfolders                              OCR_DESK_NO_RECURSIVE=1
      --include <globs>      only files matching (comma-separated)          OCR_DESK_INCLUDE
      --exclude <globs>      skip files matching (comma-separated)          OCR_DESK_EXCLUDE
      --originals <what>     after success: keep, move (to done/), delete   OCR_DESK_ORIGINALS
      --stable-ms <ms>       unchanged this long = complete  [2000]         OCR_DESK_STABLE_MS
      --poll <ms>            poll instead of notifications (network shares) OCR_DESK_POLL
      --rescan-ms <ms>       full rescan interval  [30000]                  OCR_DESK_RESCAN_MS
      --once                 exit when every file present is done
      --data-dir <dir>       job store and journal  [platform data folder]  OCR_DESK_DATA_DIR
      --models, -w, -t, --max-pixels, --page-timeout-ms   as for a batch
Failed files move to <folder>/failed/ with a <name>.error.txt report.

Search: every word must occur; AND, OR, NOT (upper case) and parentheses combine them, "a phrase" matches words
in order, rece* matches words that begin so; 80.90, 2021-06-04 and check-in match as typed.
`;

const watchFlags = {
  ...SHARED_FLAGS,
  'no-recursive': { type: 'boolean' },
  include: { type: 'string' },
  exclude: { type: 'string' },
  originals: { type: 'string' },
  'stable-ms': { type: 'string' },
  poll: { type: 'string' },
  'rescan-ms': { type: 'string' },
  once: { type: 'boolean' },
  'data-dir': { type: 'string' },
} as const;

const searchFlags = {
  limit: { type: 'string' },
  json: { type: 'boolean' },
  'data-dir': { type: 'string' },
} as const;

type Values = Record<string, string | boolean | undefined>;

const settingOf = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

function reader(values: Values, env: NodeJS.ProcessEnv) {
  const text = (flag: string): string | undefined => {
    const v = values[flag];
    return typeof v === 'string' ? v : envValue(env, settingOf(flag));
  };
  const source = (flag: string) => (values[flag] !== undefined ? `--${flag}` : envName(settingOf(flag)));
  const int = (flag: string, min: number) => {
    const raw = text(flag);
    return raw === undefined ? undefined : parseIntegerText(source(flag), raw, min);
  };
  const bool = (flag: string) => {
    const v = values[flag];
    if (typeof v === 'boolean') return v;
    const raw = envValue(env, settingOf(flag));
    return raw === undefined ? false : parseBooleanText(envName(settingOf(flag)), raw);
  };
  const list = (flag: string) => text(flag)?.split(',').map((s) => s.trim()).filter(Boolean);
  return { text, source, int, bool, list };
}

function parse(argv: readonly string[], options: NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new InvalidOptionError((error as Error).message);
  }
}

/** Parses the arguments after `watch`. */
export function parseWatchCommand(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): WatchCommand {
  const parsed = parse(argv, watchFlags);
  const r = reader(parsed.values as Values, env);
  if (parsed.positionals.length !== 1) throw new InvalidOptionError(`\`watch\` takes one folder, got ${parsed.positionals.length}: ocr-desk watch <folder> --out <dir>`);
  const out = r.text('out');
  if (!out) throw new InvalidOptionError(`No output folder: pass --out <dir> (or set ${envName('out')}).`);
  const formats = r.list('format');
  const originals = r.text('originals');
  const settings = resolveWatchSettings({
    folder: parsed.positionals[0]!,
    out,
    formats: formats?.map((f) => f.toLowerCase()),
    languages: r.text('lang') === undefined ? DEFAULT_LANGUAGES : parseLanguages(r.source('lang'), r.text('lang')!),
    autoRotate: !r.bool('no-rotate'),
    pdfMode: r.text('pdf-mode'),
    recursive: !r.bool('no-recursive'),
    include: r.list('include'),
    exclude: r.list('exclude'),
    originals: originals as OriginalsAction | undefined,
    stableMs: r.int('stable-ms', 0),
    pollMs: r.int('poll', 1),
    rescanMs: r.int('rescan-ms', 100),
  });
  return {
    kind: 'watch',
    settings,
    dataDir: path.resolve(r.text('data-dir') ?? dataDir(env)),
    modelDir: path.resolve(r.text('models') ?? DEFAULT_MODEL_DIR),
    workers: r.int('workers', 1),
    threads: r.int('threads', 1),
    maxPixels: r.int('max-pixels', 1),
    pageTimeoutMs: r.int('page-timeout-ms', 1),
    once: r.bool('once'),
  };
}

/** Parses the arguments after `search`. */
export function parseSearchCommand(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): SearchCommand {
  const parsed = parse(argv, searchFlags);
  const r = reader(parsed.values as Values, env);
  const words = parsed.positionals.join(' ').trim();
  if (words === '') throw new InvalidOptionError('`search` needs the words to look for: ocr-desk search "<words>"');
  return { kind: 'search', words, dataDir: path.resolve(r.text('data-dir') ?? dataDir(env)), limit: r.int('limit', 1) ?? 20, json: r.bool('json') };
}
