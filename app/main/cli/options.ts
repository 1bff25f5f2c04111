/**
 * The command line: `ocr-desk <files or folders...> --out <dir> [options]`, `ocr-desk models verify [dir]` and
 * `ocr-desk models import <folder>`. Every option can also come from the environment as `OCR_DESK_<NAME>`
 * (`--max-pixels` ↔ `OCR_DESK_MAX_PIXELS`); a flag wins over the environment. Mistakes throw
 * {@link InvalidOptionError} naming the flag or variable, which the CLI reports with exit code 2.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { InvalidOptionError } from '../../common/errors.ts';
import { DEFAULT_LANGUAGES, parseLanguages, type Language } from '../../common/languages.ts';
import { parseBooleanText, parseIntegerText } from '../../common/options.ts';
import { DEFAULT_MODEL_DIR } from '../../node/model-pack.ts';
import { envName, envValue, importedModelsDir } from '../settings.ts';
import { SHARED_FLAGS } from './shared-flags.ts';
import { parseSearchCommand, parseWatchCommand, WATCH_USAGE, type SearchCommand, type WatchCommand } from './watch-options.ts';

export type OutputFormat = 'txt' | 'json' | 'hocr' | 'alto' | 'md' | 'csv' | 'pdf';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['txt', 'json', 'hocr', 'alto', 'md', 'csv', 'pdf'];
/** How PDF pages that already have text are handled (after OCRmyPDF's --skip-text/--force-ocr/--redo-ocr). */
export type PdfMode = 'skip' | 'force' | 'redo';
export const PDF_MODES: readonly PdfMode[] = ['skip', 'force', 'redo'];

export interface OcrCommand {
  readonly kind: 'ocr';
  readonly inputs: readonly string[];
  readonly out: string;
  /** @default ['json', 'txt'] */
  readonly formats: readonly OutputFormat[];
  /** @default the worker pool's (CPU cores) */
  readonly workers: number | undefined;
  /** @default the worker pool's (cores ÷ workers) */
  readonly threads: number | undefined;
  /** @default the worker pool's (100,000,000) */
  readonly maxPixels: number | undefined;
  /** @default the worker pool's (120,000) */
  readonly pageTimeoutMs: number | undefined;
  readonly summaryJson: string | undefined;
  /** @default the bundled pack */
  readonly modelDir: string;
  /** @default true */
  readonly autoRotate: boolean;
  /** @default ['en'] */
  readonly languages: readonly Language[];
  /** @default 'skip' */
  readonly pdfMode: PdfMode;
  /** @default 300 */
  readonly pdfDpi: number;
  readonly password: string | undefined;
  /** @default false */
  readonly pdfa: boolean;
}

export type CliCommand =
  | OcrCommand
  | { readonly kind: 'help'; readonly usage?: string }
  | { readonly kind: 'version' }
  | { readonly kind: 'models-verify'; readonly dir: string }
  | { readonly kind: 'models-import'; readonly from: string; readonly to: string }
  | WatchCommand
  | SearchCommand;

export const USAGE = `Usage:
  ocr-desk <files or folders...> --out <dir> [options]
  ocr-desk models verify [dir]       check a model pack's files against its manifest
  ocr-desk models import <folder>    install a model pack into OCR Desk's data folder
  ocr-desk watch <folder> --out <dir> [options]   hot folder (ocr-desk watch --help)
  ocr-desk search "<words>"          find processed documents by their words

Options (each also read from the environment variable shown; a flag wins):
  -o, --out <dir>            output folder (mirrors the input tree)         OCR_DESK_OUT
  -f, --format <list>        any of txt,json,hocr,alto,md,csv,pdf [json,txt] OCR_DESK_FORMAT
      --pdf-mode <mode>      PDF pages with text: skip, force, redo [skip]  OCR_DESK_PDF_MODE
      --pdf-dpi <n>          PDF rendering resolution  [300]                OCR_DESK_PDF_DPI
      --password <text>      password of encrypted PDFs                     OCR_DESK_PASSWORD
      --pdfa                 write the searchable PDF as PDF/A-2b           OCR_DESK_PDFA=1
  -w, --workers <n>          worker processes  [CPU cores]                  OCR_DESK_WORKERS
  -t, --threads <n>          threads per worker  [cores ÷ workers]          OCR_DESK_THREADS
      --max-pixels <n>       refuse larger images  [100000000]              OCR_DESK_MAX_PIXELS
      --page-timeout-ms <n>  stop a page's worker after this  [120000]      OCR_DESK_PAGE_TIMEOUT_MS
      --summary-json <file>  write a machine-readable summary               OCR_DESK_SUMMARY_JSON
      --models <dir>         model pack folder  [bundled pack]              OCR_DESK_MODELS
  -l, --lang <list>          languages on the pages: en, zh or en,zh [en]   OCR_DESK_LANG
      --no-rotate            do not detect rotated pages                    OCR_DESK_NO_ROTATE=1
  -h, --help                 show this help
      --version              show the version
OCR_DESK_DATA_DIR sets where 'models import' installs packs.

Exit codes: 0 all files done, 1 some files failed, 2 usage or model error, 130 interrupted.
`;

const flags = {
  ...SHARED_FLAGS,
  'summary-json': { type: 'string' },
  'pdf-dpi': { type: 'string' },
  password: { type: 'string' },
  pdfa: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

type Flag = keyof typeof flags;
type Values = { [K in Flag]?: (typeof flags)[K]['type'] extends 'string' ? string : boolean };

/** Camel-case setting name of a flag, for its environment variable: `max-pixels` → `maxPixels`. */
const settingOf = (flag: Flag) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

export function parseCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliCommand {
  if (argv[0] === 'watch' || argv[0] === 'search') {
    if (argv.includes('--help') || argv.includes('-h')) return { kind: 'help', usage: WATCH_USAGE };
    return argv[0] === 'watch' ? parseWatchCommand(argv.slice(1), env) : parseSearchCommand(argv.slice(1), env);
  }
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: flags, allowPositionals: true, strict: true });
  } catch (error) {
    throw new InvalidOptionError((error as Error).message);
  }
  const values = parsed.values as Values;
  const positionals = parsed.positionals;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };

  if (positionals[0] === 'models' && (positionals[1] === 'verify' || positionals[1] === 'import')) {
    const rest = positionals.slice(2);
    if (rest.length > 1) throw new InvalidOptionError(`\`models ${positionals[1]}\` takes one folder, got ${rest.length}.`);
    if (positionals[1] === 'verify') return { kind: 'models-verify', dir: rest[0] ?? text(values, env, 'models') ?? DEFAULT_MODEL_DIR };
    if (!rest[0]) throw new InvalidOptionError('`models import` needs the folder holding the pack: ocr-desk models import <folder>');
    return { kind: 'models-import', from: rest[0], to: importedModelsDir(env) };
  }

  if (positionals.length === 0) throw new InvalidOptionError('No input files or folders given.');
  const out = text(values, env, 'out');
  if (!out) throw new InvalidOptionError(`No output folder: pass --out <dir> (or set ${envName('out')}).`);
  const int = (flag: Flag, min: number) => {
    const raw = text(values, env, flag);
    return raw === undefined ? undefined : parseIntegerText(source(values, flag), raw, min);
  };
  const noRotate = values['no-rotate'] ?? (envValue(env, 'noRotate') === undefined ? false : parseBooleanText(envName('noRotate'), envValue(env, 'noRotate')!));
  return {
    kind: 'ocr',
    inputs: positionals,
    out,
    formats: parseFormats(source(values, 'format'), text(values, env, 'format') ?? 'json,txt'),
    workers: int('workers', 1),
    threads: int('threads', 1),
    maxPixels: int('max-pixels', 1),
    pageTimeoutMs: int('page-timeout-ms', 1),
    summaryJson: text(values, env, 'summary-json'),
    modelDir: path.resolve(text(values, env, 'models') ?? DEFAULT_MODEL_DIR),
    autoRotate: !noRotate,
    languages: text(values, env, 'lang') === undefined ? DEFAULT_LANGUAGES : parseLanguages(source(values, 'lang'), text(values, env, 'lang')!),
    pdfMode: parsePdfMode(source(values, 'pdf-mode'), text(values, env, 'pdf-mode') ?? 'skip'),
    pdfDpi: text(values, env, 'pdf-dpi') === undefined ? 300 : parseIntegerText(source(values, 'pdf-dpi'), text(values, env, 'pdf-dpi')!, 10, 2400),
    password: text(values, env, 'password'),
    pdfa: values.pdfa ?? (envValue(env, 'pdfa') === undefined ? false : parseBooleanText(envName('pdfa'), envValue(env, 'pdfa')!)),
  };
}

function parsePdfMode(name: string, raw: string): PdfMode {
  const mode = raw.trim().toLowerCase();
  if (!(PDF_MODES as readonly string[]).includes(mode)) {
    throw new InvalidOptionError(`Expected \`${name}\` to be one of ${PDF_MODES.join(', ')}, got \`${raw}\``);
  }
  return mode as PdfMode;
}

/** The flag's value, else its environment variable's. */
function text(values: Values, env: NodeJS.ProcessEnv, flag: Flag): string | undefined {
  const v = values[flag];
  return typeof v === 'string' ? v : envValue(env, settingOf(flag));
}

/** How to name an option in a message: the flag if it was given, else the environment variable. */
function source(values: Values, flag: Flag): string {
  return values[flag] !== undefined ? `--${flag}` : envName(settingOf(flag));
}

function parseFormats(name: string, raw: string): OutputFormat[] {
  const list = raw.split(',').map((f) => f.trim().toLowerCase()).filter((f) => f !== '');
  const bad = list.find((f) => !(OUTPUT_FORMATS as readonly string[]).includes(f));
  if (bad !== undefined || list.length === 0) {
    throw new InvalidOptionError(`Expected \`${name}\` to be a comma-separated list of ${OUTPUT_FORMATS.join(', ')}, got \`${raw}\``);
  }
  return [...new Set(list)] as OutputFormat[];
}
