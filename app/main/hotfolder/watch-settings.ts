/**
 * A watched folder's settings, each with its default, validated with messages that name the setting
 * ("Expected `stableMs` to be an integer >= 0, got `-1`").
 */
import path from 'node:path';
import { InvalidOptionError } from '../../common/errors.ts';
import { DEFAULT_LANGUAGES, SUPPORTED_LANGUAGES, type Language } from '../../common/languages.ts';
import { expectBoolean, expectInteger, expectString, showValue } from '../../common/options.ts';
import { QUEUE_FORMATS } from '../queue/outputs.ts';
import { PRIORITY } from '../store/store.ts';

export type OriginalsAction = 'keep' | 'move' | 'delete';
export const ORIGINALS_ACTIONS: readonly OriginalsAction[] = ['keep', 'move', 'delete'];
export const PDF_MODES = ['skip', 'force', 'redo'] as const;

export interface WatchSettingsInput {
  /** The watched folder. */
  readonly folder: string;
  /** Where results go, mirroring the watched tree: `<out>/<relative path>.<format>`. */
  readonly out: string;
  /** @default ['json', 'txt'] */
  readonly formats?: readonly string[];
  /** @default ['en'] */
  readonly languages?: readonly Language[];
  /** @default true */
  readonly autoRotate?: boolean;
  /** Which PDF pages are OCRed (skip pages with text, force OCR, redo OCR), as in a batch. @default undefined (skip) */
  readonly pdfMode?: string | undefined;
  /** Watch subfolders too. @default true */
  readonly recursive?: boolean;
  /** Globs a file must match (relative path or name). @default [] (every image) */
  readonly include?: readonly string[];
  /** Globs that exclude a file. @default [] */
  readonly exclude?: readonly string[];
  /** What happens to an original after success: keep it, move it to `done/`, or delete it. @default 'keep' */
  readonly originals?: OriginalsAction;
  /** How long size and mtime must stay unchanged before a file is taken. @default 2000 */
  readonly stableMs?: number;
  /** Poll every this many ms instead of using change notifications (network shares); 0 = notifications. @default 0 */
  readonly pollMs?: number;
  /** Full rescan interval, a safety net for missed notifications. @default 30000 */
  readonly rescanMs?: number;
  /** Queue priority of this folder's files. @default 0 (below interactive jobs) */
  readonly priority?: number;
}

export type WatchSettings = Required<Omit<WatchSettingsInput, 'pdfMode'>> & { readonly pdfMode: string | undefined };

export function resolveWatchSettings(input: WatchSettingsInput): WatchSettings {
  const folder = path.resolve(expectString('folder', input.folder));
  const out = path.resolve(expectString('out', input.out));
  const formats = input.formats ?? ['json', 'txt'];
  if (!Array.isArray(formats) || formats.length === 0 || formats.some((f) => !(QUEUE_FORMATS as readonly string[]).includes(f))) {
    throw new InvalidOptionError(`Expected \`formats\` to list one or more of ${QUEUE_FORMATS.join(', ')}, got \`${showValue(formats)}\``);
  }
  const languages = input.languages ?? DEFAULT_LANGUAGES;
  if (!Array.isArray(languages) || languages.length === 0 || languages.some((l) => !(SUPPORTED_LANGUAGES as readonly string[]).includes(l))) {
    throw new InvalidOptionError(`Expected \`languages\` to list one or more of ${SUPPORTED_LANGUAGES.join(', ')}, got \`${showValue(languages)}\``);
  }
  const originals = input.originals ?? 'keep';
  if (!ORIGINALS_ACTIONS.includes(originals)) throw new InvalidOptionError(`Expected \`originals\` to be one of ${ORIGINALS_ACTIONS.join(', ')}, got \`${showValue(originals)}\``);
  if (input.pdfMode !== undefined && !(PDF_MODES as readonly string[]).includes(input.pdfMode)) {
    throw new InvalidOptionError(`Expected \`pdfMode\` to be one of ${PDF_MODES.join(', ')}, got \`${showValue(input.pdfMode)}\``);
  }
  const globs = (name: string, v: readonly string[] | undefined) => {
    const list = v ?? [];
    if (!Array.isArray(list) || list.some((g) => typeof g !== 'string' || g === '')) throw new InvalidOptionError(`Expected \`${name}\` to be a list of glob patterns, got \`${showValue(list)}\``);
    return [...list];
  };
  if (out === folder) throw new InvalidOptionError(`Expected \`out\` to be another folder than the watched one, got \`${out}\``);
  return {
    folder,
    out,
    formats: [...new Set(formats)],
    languages: [...languages],
    autoRotate: expectBoolean('autoRotate', input.autoRotate ?? true),
    pdfMode: input.pdfMode,
    recursive: expectBoolean('recursive', input.recursive ?? true),
    include: globs('include', input.include),
    exclude: globs('exclude', input.exclude),
    originals,
    stableMs: expectInteger('stableMs', input.stableMs ?? 2000, 0),
    pollMs: expectInteger('pollMs', input.pollMs ?? 0, 0),
    rescanMs: expectInteger('rescanMs', input.rescanMs ?? 30_000, 100),
    priority: expectInteger('priority', input.priority ?? PRIORITY.hotfolder, -1000, 1000),
  };
}
