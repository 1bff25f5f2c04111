/**
 * The command line: `ocr-desk <files or folders...> --out <dir> [options]` and its sub-commands (`watch`, `serve`,
 * `search`, `models`, `help`). Every option can also come from the environment as `OCR_DESK_<NAME>`; a flag wins.
 * Mistakes throw {@link InvalidOptionError} naming the flag or variable, which the CLI reports with exit code 2.
 */
import path from 'node:path';
import { InvalidOptionError } from '../../common/errors.ts';
import type { JobSettingsPatch } from '../../common/job-settings.ts';
import { DEFAULT_MODEL_DIR } from '../../node/model-pack.ts';
import type { SettingsPatch } from '../service/service-settings.ts';
import { importedModelsDir } from '../settings.ts';
import { checkServiceEnv, dataDirFrom, JOB_FLAGS, jobSettingsFrom, parseFlags, reader, serviceSettingsFrom, SERVICE_FLAGS } from './flags.ts';
import { MODELS_USAGE, SEARCH_USAGE, SERVE_USAGE, USAGE, WATCH_USAGE, type SubCommand } from './usage.ts';
import { parseSearchCommand, parseServeCommand, parseWatchCommand, type SearchCommand, type ServeCommand, type WatchCommand } from './watch-options.ts';
import { KEYS_USAGE, parseKeysCommand, parsePurgeCommand, PURGE_USAGE, type KeysCommand, type PurgeCommand } from './node-options.ts';

export { USAGE };

export interface OcrCommand {
  readonly kind: 'ocr';
  readonly inputs: readonly string[];
  readonly out: string;
  /** Job settings set by flags or the environment; the rest are the service's job defaults. */
  readonly settings: JobSettingsPatch;
  /** Worker pool and model settings set by flags. */
  readonly service: SettingsPatch;
  readonly dataDir: string;
  readonly summaryJson: string | undefined;
  /** Recognise again even where an identical file was recognised before with the same settings. @default false */
  readonly force: boolean;
}

export type CliCommand =
  | OcrCommand
  | { readonly kind: 'help'; readonly usage?: string }
  | { readonly kind: 'version' }
  | { readonly kind: 'models-verify'; readonly dir: string }
  | { readonly kind: 'models-import'; readonly from: string; readonly to: string }
  | WatchCommand
  | SearchCommand
  | ServeCommand
  | KeysCommand
  | PurgeCommand;

const flags = {
  ...JOB_FLAGS,
  ...SERVICE_FLAGS,
  out: { type: 'string', short: 'o' },
  'summary-json': { type: 'string' },
  force: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

const SUB_USAGE: Readonly<Record<string, string>> & Record<Exclude<SubCommand, 'help'>, string> = { watch: WATCH_USAGE, search: SEARCH_USAGE, serve: SERVE_USAGE, models: MODELS_USAGE, keys: KEYS_USAGE, purge: PURGE_USAGE };

export function parseCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliCommand {
  const [first, ...rest] = argv;
  if (first === 'help') return { kind: 'help', usage: (rest[0] && SUB_USAGE[rest[0]]) || USAGE };
  if (first !== undefined && first in SUB_USAGE && first !== 'models' && (argv.includes('--help') || argv.includes('-h'))) return { kind: 'help', usage: SUB_USAGE[first]! };
  if (first === 'watch') return parseWatchCommand(rest, env);
  if (first === 'search') return parseSearchCommand(rest, env);
  if (first === 'serve') return parseServeCommand(rest, env);
  if (first === 'keys') return parseKeysCommand(rest, env);
  if (first === 'purge') return parsePurgeCommand(rest, env);
  // `models` alone, or with a verb, is the sub-command; a folder called "models" followed by flags is an input.
  if (first === 'models' && (rest[0] === undefined || !rest[0].startsWith('-') || rest[0] === '-h' || rest[0] === '--help')) return parseModelsCommand(rest, env);

  const { values, positionals } = parseFlags(argv, flags);
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  if (positionals.length === 0) throw new InvalidOptionError('No input files or folders given: ocr-desk <files or folders...> --out <dir>');
  const r = reader(values, env);
  const out = r.text('out');
  if (!out) throw new InvalidOptionError('No output folder: pass --out <dir> (or set OCR_DESK_OUT).');
  checkServiceEnv(env);
  return {
    kind: 'ocr',
    inputs: positionals,
    out,
    settings: jobSettingsFrom(r),
    service: serviceSettingsFrom(values),
    dataDir: dataDirFrom(values, env),
    summaryJson: r.text('summary-json'),
    force: r.bool('force') ?? false,
  };
}

function parseModelsCommand(argv: readonly string[], env: NodeJS.ProcessEnv): CliCommand {
  const { values, positionals } = parseFlags(argv, { models: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  const [verb, ...args] = positionals;
  if (values.help || verb === undefined) return { kind: 'help', usage: MODELS_USAGE };
  if (verb !== 'verify' && verb !== 'import') throw new InvalidOptionError(`Unknown command \`models ${verb}\`: use \`models verify [folder]\` or \`models import <folder>\`.`);
  if (args.length > 1) throw new InvalidOptionError(`\`models ${verb}\` takes one folder, got ${args.length}.`);
  const r = reader(values, env);
  if (verb === 'verify') return { kind: 'models-verify', dir: args[0] ?? r.text('models') ?? DEFAULT_MODEL_DIR };
  if (!args[0]) throw new InvalidOptionError('`models import` needs the folder holding the pack: ocr-desk models import <folder>');
  return { kind: 'models-import', from: path.resolve(args[0]), to: importedModelsDir(env) };
}
