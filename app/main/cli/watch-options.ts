/**
 * Command lines of `ocr-desk watch <folder> --out <dir>`, `ocr-desk search "<words>"` and `ocr-desk serve`. As for a
 * batch, every option can also come from the environment as `OCR_DESK_<NAME>` (`--stable-ms` ↔
 * `OCR_DESK_STABLE_MS`), and a flag wins.
 */
import { ORIGINALS_ACTIONS, type HotFolderPatch } from '../../common/hot-folder-settings.ts';
import { InvalidOptionError } from '../../common/errors.ts';
import type { NodeSettingsPatch } from '../service/node-settings.ts';
import type { SettingsPatch } from '../service/service-settings.ts';
import { checkServiceEnv, dataDirFrom, JOB_FLAGS, jobSettingsFrom, parseFlags, reader, serviceSettingsFrom, SERVICE_FLAGS } from './flags.ts';
import { NODE_FLAGS, nodeSettingsFromFlags } from './node-options.ts';

export interface WatchCommand {
  readonly kind: 'watch';
  /** The folder and output, and the settings the command line gives (the rest: the service's defaults). */
  readonly settings: HotFolderPatch & { readonly folder: string; readonly out: string };
  readonly service: SettingsPatch;
  readonly dataDir: string;
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

export interface ServeCommand {
  readonly kind: 'serve';
  /** @default 7327 */
  readonly port: number | undefined;
  readonly service: SettingsPatch;
  /** Network flags (--listen, --tls-cert, --allow-root, limits, retention, logs). */
  readonly node: NodeSettingsPatch;
  readonly dataDir: string;
}

const watchFlags = {
  ...JOB_FLAGS,
  ...SERVICE_FLAGS,
  out: { type: 'string', short: 'o' },
  'no-recursive': { type: 'boolean' },
  include: { type: 'string' },
  exclude: { type: 'string' },
  originals: { type: 'string' },
  'stable-ms': { type: 'string' },
  poll: { type: 'string' },
  'rescan-ms': { type: 'string' },
  once: { type: 'boolean' },
} as const;

/** Parses the arguments after `watch`. */
export function parseWatchCommand(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): WatchCommand {
  const { values, positionals } = parseFlags(argv, watchFlags);
  const r = reader(values, env);
  if (positionals.length !== 1) throw new InvalidOptionError(`\`watch\` takes one folder, got ${positionals.length}: ocr-desk watch <folder> --out <dir>`);
  const out = r.text('out');
  if (!out) throw new InvalidOptionError('No output folder: pass --out <dir> (or set OCR_DESK_OUT).');
  checkServiceEnv(env);
  const noRecursive = r.bool('no-recursive');
  const settings = {
    ...jobSettingsFrom(r),
    folder: positionals[0]!,
    out,
    recursive: noRecursive === undefined ? undefined : !noRecursive,
    include: r.list('include'),
    exclude: r.list('exclude'),
    originals: r.oneOf('originals', ORIGINALS_ACTIONS),
    stableMs: r.int('stable-ms', 0),
    pollMs: r.int('poll', 1),
    rescanMs: r.int('rescan-ms', 100),
  };
  return {
    kind: 'watch',
    settings: Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)) as WatchCommand['settings'],
    service: serviceSettingsFrom(values),
    dataDir: dataDirFrom(values, env),
    once: r.bool('once') ?? false,
  };
}

/** Parses the arguments after `search`. */
export function parseSearchCommand(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): SearchCommand {
  const { values, positionals } = parseFlags(argv, { limit: { type: 'string' }, json: { type: 'boolean' }, 'data-dir': { type: 'string' } });
  const r = reader(values, env);
  const words = positionals.join(' ').trim();
  if (words === '') throw new InvalidOptionError('`search` needs the words to look for: ocr-desk search "<words>"');
  return { kind: 'search', words, dataDir: dataDirFrom(values, env), limit: r.int('limit', 1, 1000) ?? 20, json: r.bool('json') ?? false };
}

/** Parses the arguments after `serve`. */
export function parseServeCommand(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ServeCommand {
  const { values, positionals } = parseFlags(argv, { ...SERVICE_FLAGS, ...NODE_FLAGS, port: { type: 'string' } });
  if (positionals.length > 0) throw new InvalidOptionError(`\`serve\` takes no folders or files, got \`${positionals[0]}\`: add folders to watch in the app, or with \`ocr-desk watch\`.`);
  const r = reader(values, env);
  checkServiceEnv(env);
  return { kind: 'serve', port: r.int('port', 0, 65535), service: serviceSettingsFrom(values), node: nodeSettingsFromFlags(values as Parameters<typeof nodeSettingsFromFlags>[0]), dataDir: dataDirFrom(values, env) };
}
