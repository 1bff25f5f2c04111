/**
 * Settings of the service as a network node (`ocr-desk serve`): where it listens, TLS, allowed roots, limits,
 * retention, logs. Four layers, as for the service settings: the command line wins over the environment
 * (`OCR_DESK_<NAME>`, e.g. OCR_DESK_LISTEN, OCR_DESK_ALLOWED_ROOTS), which wins over what was stored (the app's
 * settings, key `node.settings`), which wins over the defaults. Loopback is the default; any other address needs
 * TLS and API keys (the HTTP adapter refuses plain HTTP there).
 */
import path from 'node:path';
import { z } from 'zod';
import { InvalidOptionError } from '../../common/errors.ts';
import { parseIntegerText } from '../../common/options.ts';
import { parseSettings } from '../../common/validate.ts';
import { envName, envValue } from '../settings.ts';

const MiB = 1024 * 1024;

/** Whether an address (or host name) is this machine's loopback: 127.0.0.0/8, ::1, localhost. */
export function isLoopback(address: string): boolean {
  const a = address.toLowerCase().replace(/^\[|\]$/g, '');
  if (a === 'localhost' || a === '::1' || a === '0:0:0:0:0:0:0:1') return true;
  const v4 = a.startsWith('::ffff:') ? a.slice(7) : a;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/**
 * Whether a server on `listen` is a LAN node (TLS and API keys required). A test may make a loopback listener
 * behave as one (never the reverse) with OCR_DESK_TEST_TREAT_AS_LAN=<that address>, read only when
 * OCR_DESK_TEST_MODE=1.
 */
export function isLanAddress(listen: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (!isLoopback(listen)) return true;
  return env.OCR_DESK_TEST_MODE === '1' && env.OCR_DESK_TEST_TREAT_AS_LAN === listen;
}
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const int = (min: number, max: number, fallback: number) => z.number().int().min(min).max(max).default(fallback);

export const nodeSettingsSchema = z.object({
  /** Address to listen on. */
  listen: z.string().min(1).default('127.0.0.1'),
  port: int(0, 65535, 7327),
  /** PEM files of the admin's certificate and key; without them a self-signed one is made in <data>/tls. */
  tlsCert: z.string().optional(),
  tlsKey: z.string().optional(),
  /** Folders network clients may name (inputs, output and export folders, hot folders). */
  allowedRoots: z.array(z.string().min(1)).default([]),
  /** Origins webhooks may be posted to. */
  webhookAllow: z.array(z.string().url()).default([]),
  maxUploadBytes: int(1, 64 * 1024 * MiB, 512 * MiB),
  /** Pages per document. */
  maxPages: int(1, 1_000_000, 2000),
  maxConcurrentUploads: int(1, 10_000, 16),
  /** Pages waiting in the queue beyond which new jobs are refused (503, Retry-After). */
  maxQueuePages: int(1, 10_000_000, 2000),
  /** Requests per second per API key (0: no limit), and the burst a key may spend at once. */
  rateLimit: int(0, 1_000_000, 50),
  rateBurst: int(1, 1_000_000, 100),
  /** A whole request (headers and body, uploads included) must arrive within this. */
  requestTimeoutMs: int(1000, 24 * 3_600_000, 10 * 60_000),
  /** Headers must arrive within this (slow-loris). */
  headersTimeoutMs: int(500, 600_000, 10_000),
  /** A connection silent this long is closed (a stalled body). */
  idleTimeoutMs: int(1000, 3_600_000, 30_000),
  /** Documents that ended more than this many days ago are deleted (0: kept). */
  retentionDays: z.number().min(0).max(36_500).default(0),
  logLevel: z.enum(LOG_LEVELS).default('info'),
  /** JSON log file (rotated daily and at 10 MiB); default <data>/logs/ocr-desk.log; 'off' for none. */
  logFile: z.string().optional(),
  /** How long a browser session made from a key lasts. */
  sessionHours: int(1, 24 * 90, 12),
});
export type NodeSettings = z.output<typeof nodeSettingsSchema>;
export type NodeSettingsPatch = z.input<typeof nodeSettingsSchema>;

export const STORED_NODE_SETTINGS_KEY = 'node.settings';

const LISTS = new Set(['allowedRoots', 'webhookAllow']);
const TEXTS = new Set(['listen', 'tlsCert', 'tlsKey', 'logLevel', 'logFile']);

/** A list from the environment: roots are separated like PATH (`:`, `;` on Windows), origins by commas. */
function splitList(setting: string, text: string): string[] {
  const parts = setting === 'allowedRoots' ? text.split(path.delimiter) : text.split(',');
  return parts.map((s) => s.trim()).filter(Boolean);
}

/** The node settings the environment sets; a bad value throws {@link InvalidOptionError} naming the variable. */
export function nodeSettingsFromEnv(env: NodeJS.ProcessEnv): NodeSettingsPatch {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(nodeSettingsSchema.shape)) {
    const v = envValue(env, key);
    if (v === undefined) continue;
    if (LISTS.has(key)) out[key] = splitList(key, v);
    else if (TEXTS.has(key)) out[key] = v.trim();
    else if (key === 'retentionDays') {
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) throw new InvalidOptionError(`Expected \`${envName(key)}\` to be a number of days (0 or more), got \`${v}\``);
      out[key] = n;
    } else out[key] = parseIntegerText(envName(key), v, 0);
  }
  return out as NodeSettingsPatch;
}

export interface NodeSettingsLayers {
  readonly commandLine?: NodeSettingsPatch;
  readonly env?: NodeJS.ProcessEnv;
  /** JSON stored under {@link STORED_NODE_SETTINGS_KEY}. */
  readonly stored?: string;
}

/** The merged, validated settings. */
export function resolveNodeSettings(layers: NodeSettingsLayers): NodeSettings {
  let stored: NodeSettingsPatch = {};
  if (layers.stored) {
    try {
      stored = JSON.parse(layers.stored) as NodeSettingsPatch;
    } catch {
      stored = {};
    }
  }
  const clean = (o: object | undefined) => Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined));
  const merged = { ...clean(stored), ...clean(nodeSettingsFromEnv(layers.env ?? {})), ...clean(layers.commandLine) };
  const settings = parseSettings(nodeSettingsSchema, merged);
  if ((settings.tlsCert === undefined) !== (settings.tlsKey === undefined)) {
    throw new InvalidOptionError('Give both --tls-cert and --tls-key (OCR_DESK_TLS_CERT, OCR_DESK_TLS_KEY), or neither for a self-signed certificate.');
  }
  return { ...settings, allowedRoots: settings.allowedRoots.map((r) => path.resolve(r)) };
}

/** The settings the app shows and changes, with their sources. */
export const APP_NODE_SETTINGS = ['listen', 'port', 'allowedRoots', 'retentionDays'] as const;
type Source = 'default' | 'stored' | 'environment' | 'command-line';

export interface NodeSettingsState {
  readonly values: Pick<NodeSettings, (typeof APP_NODE_SETTINGS)[number]>;
  readonly sources: Record<string, Source>;
}

/** The app's node settings and where each comes from. */
export function nodeSettingsState(layers: NodeSettingsLayers): NodeSettingsState {
  const resolved = resolveNodeSettings(layers);
  const stored = (() => {
    try {
      return layers.stored ? (JSON.parse(layers.stored) as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  })();
  const env = nodeSettingsFromEnv(layers.env ?? {}) as Record<string, unknown>;
  const cli = (layers.commandLine ?? {}) as Record<string, unknown>;
  const sources: Record<string, Source> = {};
  for (const key of APP_NODE_SETTINGS) sources[key] = cli[key] !== undefined ? 'command-line' : env[key] !== undefined ? 'environment' : stored[key] !== undefined ? 'stored' : 'default';
  return { values: { listen: resolved.listen, port: resolved.port, allowedRoots: resolved.allowedRoots, retentionDays: resolved.retentionDays }, sources };
}

/** A change the app asks for, merged into the stored layer; throws for a pinned or invalid value. */
export function storeNodeSettings(layers: NodeSettingsLayers, patch: Partial<NodeSettingsState['values']>): string {
  const state = nodeSettingsState(layers);
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const source = state.sources[key];
    if (source === 'environment' || source === 'command-line') {
      throw new InvalidOptionError(`\`${key}\` is set by ${source === 'environment' ? `the environment (${envName(key)})` : 'the command line'} and cannot be changed here.`);
    }
  }
  let stored: Record<string, unknown> = {};
  try {
    stored = layers.stored ? (JSON.parse(layers.stored) as Record<string, unknown>) : {};
  } catch {
    stored = {};
  }
  const next = JSON.stringify({ ...stored, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) });
  resolveNodeSettings({ ...layers, stored: next }); // validates the whole
  return next;
}
