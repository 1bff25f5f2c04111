/**
 * Command-line flags and their environment variables: every flag `--max-pixels` is also `OCR_DESK_MAX_PIXELS`, and
 * a flag wins over the environment. The flags that describe a job (formats, languages, PDF handling…) and the
 * worker pool are shared by `ocr-desk`, `watch` and `serve`, declared once here, and read into the contract's
 * types (a job settings patch, a service settings patch). Mistakes throw {@link InvalidOptionError} naming the flag
 * or variable.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { InvalidOptionError } from '../../common/errors.ts';
import { OUTPUT_FORMATS, PDF_DPI_RANGE, PDF_MODES, type JobSettingsPatch, type OutputFormat, type PdfMode } from '../../common/job-settings.ts';
import { parseLanguages } from '../../common/languages.ts';
import { parseBooleanText, parseIntegerText } from '../../common/options.ts';
import type { SettingsPatch } from '../service/service-settings.ts';
import { dataDir, envName, envValue } from '../settings.ts';

/** Flags of every command that runs OCR. */
export const JOB_FLAGS = {
  format: { type: 'string', short: 'f' },
  lang: { type: 'string', short: 'l' },
  'no-rotate': { type: 'boolean' },
  'pdf-mode': { type: 'string' },
  'pdf-dpi': { type: 'string' },
  password: { type: 'string' },
  pdfa: { type: 'boolean' },
  'max-pixels': { type: 'string' },
} as const;

/** Flags of every command that starts the service (its workers and data folder). */
export const SERVICE_FLAGS = {
  models: { type: 'string' },
  workers: { type: 'string', short: 'w' },
  threads: { type: 'string', short: 't' },
  'page-timeout-ms': { type: 'string' },
  gpu: { type: 'boolean' },
  'data-dir': { type: 'string' },
} as const;

type FlagSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;
export type Values = Record<string, string | boolean | string[] | undefined>;

/** Camel-case setting of a flag, for its environment variable: `max-pixels` → `maxPixels`. */
export const settingOf = (flag: string): string => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** parseArgs with the house's error messages. */
export function parseFlags(argv: readonly string[], options: FlagSpec): { values: Values; positionals: string[] } {
  try {
    const parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    return { values: parsed.values as Values, positionals: parsed.positionals };
  } catch (error) {
    const e = error as Error & { code?: string };
    const flag = e.message.match(/'(-[^']*)'/)?.[1];
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag) throw new InvalidOptionError(`Unknown option \`${flag}\`.`);
    if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag) throw new InvalidOptionError(`Option \`${flag}\` ${e.message.includes('argument missing') ? 'needs a value' : 'takes no value'}.`);
    throw new InvalidOptionError(e.message);
  }
}

/** Reads flags, falling back to `OCR_DESK_<NAME>`; messages name whichever was used. */
export function reader(values: Values, env: NodeJS.ProcessEnv) {
  const text = (flag: string): string | undefined => {
    const v = values[flag];
    return typeof v === 'string' ? v : envValue(env, settingOf(flag));
  };
  const source = (flag: string) => (values[flag] !== undefined ? `--${flag}` : envName(settingOf(flag)));
  const int = (flag: string, min: number, max?: number) => {
    const raw = text(flag);
    return raw === undefined ? undefined : parseIntegerText(source(flag), raw, min, max);
  };
  const bool = (flag: string): boolean | undefined => {
    const v = values[flag];
    if (typeof v === 'boolean') return v;
    const raw = envValue(env, settingOf(flag));
    return raw === undefined ? undefined : parseBooleanText(envName(settingOf(flag)), raw);
  };
  const list = (flag: string) => text(flag)?.split(',').map((s) => s.trim()).filter(Boolean);
  const oneOf = <T extends string>(flag: string, allowed: readonly T[]): T | undefined => {
    const raw = text(flag);
    if (raw === undefined) return undefined;
    const v = raw.trim().toLowerCase();
    if (!(allowed as readonly string[]).includes(v)) throw new InvalidOptionError(`Expected \`${source(flag)}\` to be one of ${allowed.join(', ')}, got \`${raw}\``);
    return v as T;
  };
  return { text, source, int, bool, list, oneOf };
}

type Reader = ReturnType<typeof reader>;

function parseFormats(r: Reader): OutputFormat[] | undefined {
  const raw = r.text('format');
  if (raw === undefined) return undefined;
  const list = raw.split(',').map((f) => f.trim().toLowerCase()).filter((f) => f !== '');
  const bad = list.find((f) => !(OUTPUT_FORMATS as readonly string[]).includes(f));
  if (bad !== undefined || list.length === 0) throw new InvalidOptionError(`Expected \`${r.source('format')}\` to be a comma-separated list of ${OUTPUT_FORMATS.join(', ')}, got \`${raw}\``);
  return [...new Set(list)] as OutputFormat[];
}

/** The job settings the command line (or environment) sets; the rest comes from the service's job defaults. */
export function jobSettingsFrom(r: Reader): JobSettingsPatch {
  const formats = parseFormats(r);
  const lang = r.text('lang');
  const noRotate = r.bool('no-rotate');
  const pdfa = r.bool('pdfa');
  if (pdfa && !(formats ?? ['json', 'txt']).includes('pdf')) {
    throw new InvalidOptionError(`\`${r.source('pdfa')}\` makes the searchable PDF a PDF/A, but no PDF is written: add pdf to the formats (for example \`-f json,txt,pdf\`).`);
  }
  const patch: JobSettingsPatch = {
    formats,
    languages: lang === undefined ? undefined : parseLanguages(r.source('lang'), lang),
    autoRotate: noRotate === undefined ? undefined : !noRotate,
    pdfMode: r.oneOf<PdfMode>('pdf-mode', PDF_MODES),
    pdfDpi: r.int('pdf-dpi', PDF_DPI_RANGE.min, PDF_DPI_RANGE.max),
    password: r.text('password'),
    pdfa,
    maxPixels: r.int('max-pixels', 1),
  };
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as JobSettingsPatch;
}

/** The service settings the command line sets (they win over the environment and stored settings). */
export function serviceSettingsFrom(values: Values): SettingsPatch {
  // The environment is read by the service itself; only flags are command-line settings.
  const r = reader(values, {});
  const models = r.text('models');
  const patch: SettingsPatch = {
    workers: r.int('workers', 1, 64),
    threads: r.int('threads', 1, 256),
    pageTimeoutMs: r.int('page-timeout-ms', 1000),
    gpu: r.bool('gpu'),
    modelDir: models === undefined ? undefined : path.resolve(models),
  };
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as SettingsPatch;
}

/** The data folder: `--data-dir`, else OCR_DESK_DATA_DIR, else the platform's. */
export function dataDirFrom(values: Values, env: NodeJS.ProcessEnv): string {
  const v = values['data-dir'];
  return typeof v === 'string' ? path.resolve(v) : dataDir(env);
}

/** Checks environment values of the service flags early, so a bad one is a usage error (exit 2). */
export function checkServiceEnv(env: NodeJS.ProcessEnv): void {
  const r = reader({}, env);
  r.int('workers', 1, 64);
  r.int('threads', 1, 256);
  r.int('page-timeout-ms', 1000);
  r.bool('gpu');
}
