/**
 * Command lines of the LAN node: `serve`'s network flags, `ocr-desk keys …` and `ocr-desk purge …`. Every flag is
 * also an environment variable (`--allow-root` = OCR_DESK_ALLOWED_ROOTS, `--listen` = OCR_DESK_LISTEN, …): the
 * service's node settings read those (../service/node-settings.ts); here only flags are read.
 */
import { SCOPES, type Scope } from '../../common/api/access.ts';
import { InvalidOptionError } from '../../common/errors.ts';
import { LOG_LEVELS, type NodeSettingsPatch } from '../service/node-settings.ts';
import { dataDirFrom, parseFlags, reader, type Values } from './flags.ts';

/** serve's network flags: flag → setting. */
export const NODE_FLAGS = {
  listen: { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'allow-root': { type: 'string', multiple: true },
  'webhook-allow': { type: 'string' },
  'max-upload-bytes': { type: 'string' },
  'max-pages': { type: 'string' },
  'max-concurrent-uploads': { type: 'string' },
  'max-queue-pages': { type: 'string' },
  'rate-limit': { type: 'string' },
  'rate-burst': { type: 'string' },
  'request-timeout-ms': { type: 'string' },
  'headers-timeout-ms': { type: 'string' },
  'idle-timeout-ms': { type: 'string' },
  'retention-days': { type: 'string' },
  'log-level': { type: 'string' },
  'log-file': { type: 'string' },
  'session-hours': { type: 'string' },
} as const;

/** The node settings given as flags (the command-line layer). */
export function nodeSettingsFromFlags(values: Values & { 'allow-root'?: string[] }): NodeSettingsPatch {
  const r = reader(values, {});
  const retention = r.text('retention-days');
  const level = r.text('log-level');
  if (level !== undefined && !(LOG_LEVELS as readonly string[]).includes(level)) throw new InvalidOptionError(`Expected \`--log-level\` to be one of ${LOG_LEVELS.join(', ')}, got \`${level}\``);
  if (retention !== undefined && !(Number(retention) >= 0)) throw new InvalidOptionError(`Expected \`--retention-days\` to be a number of days (0 or more), got \`${retention}\``);
  const patch: NodeSettingsPatch = {
    listen: r.text('listen'),
    tlsCert: r.text('tls-cert'),
    tlsKey: r.text('tls-key'),
    allowedRoots: values['allow-root'],
    webhookAllow: r.list('webhook-allow'),
    maxUploadBytes: r.int('max-upload-bytes', 1),
    maxPages: r.int('max-pages', 1),
    maxConcurrentUploads: r.int('max-concurrent-uploads', 1),
    maxQueuePages: r.int('max-queue-pages', 1),
    rateLimit: r.int('rate-limit', 0),
    rateBurst: r.int('rate-burst', 1),
    requestTimeoutMs: r.int('request-timeout-ms', 1000),
    headersTimeoutMs: r.int('headers-timeout-ms', 500),
    idleTimeoutMs: r.int('idle-timeout-ms', 1000),
    retentionDays: retention === undefined ? undefined : Number(retention),
    logLevel: level as NodeSettingsPatch['logLevel'],
    logFile: r.text('log-file'),
    sessionHours: r.int('session-hours', 1),
  };
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as NodeSettingsPatch;
}

export type KeysCommand =
  | { readonly kind: 'keys'; readonly verb: 'create'; readonly dataDir: string; readonly scopes: Scope[]; readonly name: string | undefined; readonly webhookUrl: string | undefined; readonly json: boolean }
  | { readonly kind: 'keys'; readonly verb: 'list'; readonly dataDir: string; readonly json: boolean }
  | { readonly kind: 'keys'; readonly verb: 'revoke'; readonly dataDir: string; readonly id: string; readonly json: boolean }
  | { readonly kind: 'keys'; readonly verb: 'webhook-secret'; readonly dataDir: string; readonly json: boolean };

/** Parses the arguments after `keys`. */
export function parseKeysCommand(argv: readonly string[], env: NodeJS.ProcessEnv): KeysCommand | { kind: 'help'; usage: string } {
  const { values, positionals } = parseFlags(argv, { scope: { type: 'string' }, name: { type: 'string' }, webhook: { type: 'string' }, json: { type: 'boolean' }, 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  const [verb, ...rest] = positionals;
  if (values.help || verb === undefined) return { kind: 'help', usage: KEYS_USAGE };
  const dataDir = dataDirFrom(values, env);
  const json = values.json === true;
  switch (verb) {
    case 'create': {
      const raw = typeof values.scope === 'string' ? values.scope : undefined;
      if (raw === undefined) throw new InvalidOptionError('`keys create` needs --scope: any of read, submit, admin (comma-separated), e.g. --scope read,submit.');
      const scopes = raw.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
      const bad = scopes.find((s) => !(SCOPES as readonly string[]).includes(s));
      if (bad !== undefined || scopes.length === 0) throw new InvalidOptionError(`Expected \`--scope\` to be a comma-separated list of ${SCOPES.join(', ')}, got \`${raw}\``);
      return { kind: 'keys', verb, dataDir, scopes: scopes as Scope[], name: values.name as string | undefined, webhookUrl: values.webhook as string | undefined, json };
    }
    case 'list':
    case 'webhook-secret':
      return { kind: 'keys', verb, dataDir, json };
    case 'revoke':
      if (rest[0] === undefined) throw new InvalidOptionError('`keys revoke` needs the key id (see `ocr-desk keys list`).');
      return { kind: 'keys', verb, dataDir, id: rest[0], json };
    default:
      throw new InvalidOptionError(`Unknown \`keys\` command \`${verb}\`: use create, list, revoke or webhook-secret.`);
  }
}

export interface PurgeCommand {
  readonly kind: 'purge';
  readonly dataDir: string;
  readonly olderThanDays: number | undefined;
  readonly everything: boolean;
}

/** Parses the arguments after `purge`. */
export function parsePurgeCommand(argv: readonly string[], env: NodeJS.ProcessEnv): PurgeCommand | { kind: 'help'; usage: string } {
  const { values, positionals } = parseFlags(argv, { 'older-than-days': { type: 'string' }, everything: { type: 'boolean' }, yes: { type: 'boolean' }, 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) return { kind: 'help', usage: PURGE_USAGE };
  if (positionals.length > 0) throw new InvalidOptionError(`\`purge\` takes no arguments, got \`${positionals[0]}\`.`);
  const raw = typeof values['older-than-days'] === 'string' ? values['older-than-days'] : undefined;
  const days = raw === undefined ? undefined : Number(raw);
  if (raw !== undefined && !(days! >= 0)) throw new InvalidOptionError(`Expected \`--older-than-days\` to be a number of days (0 or more), got \`${raw}\``);
  const everything = values.everything === true;
  if (everything && values.yes !== true) throw new InvalidOptionError('`purge --everything` deletes every job, document, result and output file OCR Desk made: add --yes to confirm.');
  if (everything === (days !== undefined)) throw new InvalidOptionError('Say what to purge: `--older-than-days N`, or `--everything --yes`.');
  return { kind: 'purge', dataDir: dataDirFrom(values, env), olderThanDays: days, everything };
}

export const KEYS_USAGE = `Usage:
  ocr-desk keys create --scope <read,submit,admin> [--name <text>] [--webhook <url>]   make a key (printed once)
  ocr-desk keys list [--json]                                                          keys with scopes, use, revocation
  ocr-desk keys revoke <id>                                                            the key fails from its next request on
  ocr-desk keys webhook-secret                                                         secret signing the token holder's webhooks
Options: --data-dir <dir> (OCR_DESK_DATA_DIR), --json.
Keys let other machines use a LAN node (ocr-desk serve --listen <address>): send \`Authorization: Bearer <key>\`, or
sign in at https://<address>:<port>/login. Scopes nest: read (jobs, documents, results, search, events, metrics) <
submit (add, change and delete jobs and documents) < admin (keys, hot folders, settings, audit log, retention).
Only a SHA-256 hash of each key is stored; a lost key cannot be shown again: revoke it and make another.
`;

export const PURGE_USAGE = `Usage:
  ocr-desk purge --older-than-days <n>   delete documents that ended more than n days ago, with their results,
                                         search entries, output files and uploaded copies
  ocr-desk purge --everything --yes      delete every job and document, and everything made from them
Options: --data-dir <dir> (OCR_DESK_DATA_DIR). Both are written to the audit log. A running service does it itself
(\`serve --retention-days n\` purges hourly).
`;
