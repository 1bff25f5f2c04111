/**
 * The service's settings, from four layers: the command line wins over the environment (`OCR_DESK_<NAME>`), which
 * wins over what was stored (changed in the app or through the API), which wins over the defaults. The view says
 * where each value came from, so the UI can show that a value set by the environment cannot be changed there.
 */
import type { z } from 'zod';
import { serviceSettingsSchema, type ServiceSettings, type SettingsView } from '../../common/api/resources.ts';
import { InvalidOptionError } from '../../common/errors.ts';
import { JOB_DEFAULTS, jobSettingsPatchSchema, OUTPUT_FORMATS, PDF_MODES, type JobSettingsPatch } from '../../common/job-settings.ts';
import { parseLanguages } from '../../common/languages.ts';
import { parseBooleanText, parseIntegerText } from '../../common/options.ts';
import { parseSettings } from '../../common/validate.ts';
import { DEFAULT_MODEL_DIR } from '../../node/model-pack.ts';
import { envName, envValue } from '../settings.ts';

/** @default 120_000 */
export const DEFAULT_PAGE_TIMEOUT_MS = 120_000;

export const SERVICE_DEFAULTS: ServiceSettings = {
  workers: null,
  threads: null,
  pageTimeoutMs: DEFAULT_PAGE_TIMEOUT_MS,
  gpu: false,
  modelDir: DEFAULT_MODEL_DIR,
  jobDefaults: { ...JOB_DEFAULTS, formats: [...JOB_DEFAULTS.formats], languages: [...JOB_DEFAULTS.languages] },
};

/** A change to the service settings: any field; job defaults field by field. */
export const settingsPatchSchema = serviceSettingsSchema
  .omit({ jobDefaults: true })
  .partial()
  .extend({ jobDefaults: jobSettingsPatchSchema.omit({ password: true }).optional() });
export type SettingsPatch = z.input<typeof settingsPatchSchema>;

export const STORED_SETTINGS_KEY = 'service.settings';

/** Reads the settings the environment sets; a bad value throws {@link InvalidOptionError} naming the variable. */
export function settingsFromEnv(env: NodeJS.ProcessEnv): SettingsPatch {
  const int = (setting: string, min: number) => {
    const v = envValue(env, setting);
    return v === undefined ? undefined : parseIntegerText(envName(setting), v, min);
  };
  const bool = (setting: string) => {
    const v = envValue(env, setting);
    return v === undefined ? undefined : parseBooleanText(envName(setting), v);
  };
  const list = (setting: string, allowed: readonly string[]) => {
    const v = envValue(env, setting);
    if (v === undefined) return undefined;
    const items = v.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
    const bad = items.find((i) => !allowed.includes(i));
    if (bad !== undefined || items.length === 0) throw new InvalidOptionError(`Expected \`${envName(setting)}\` to be a comma-separated list of ${allowed.join(', ')}, got \`${v}\``);
    return items;
  };
  const noRotate = bool('noRotate');
  const pdfMode = envValue(env, 'pdfMode')?.trim().toLowerCase();
  if (pdfMode !== undefined && !(PDF_MODES as readonly string[]).includes(pdfMode)) throw new InvalidOptionError(`Expected \`${envName('pdfMode')}\` to be one of ${PDF_MODES.join(', ')}, got \`${envValue(env, 'pdfMode')}\``);
  const jobDefaults = clean({
    formats: list('format', OUTPUT_FORMATS),
    languages: envValue(env, 'lang') === undefined ? undefined : parseLanguages(envName('lang'), envValue(env, 'lang')!),
    autoRotate: noRotate === undefined ? undefined : !noRotate,
    pdfMode,
    pdfDpi: int('pdfDpi', 10),
    pdfa: bool('pdfa'),
    maxPixels: int('maxPixels', 1),
  }) as JobSettingsPatch;
  return clean({
    workers: int('workers', 1),
    threads: int('threads', 1),
    pageTimeoutMs: int('pageTimeoutMs', 1),
    gpu: bool('gpu'),
    modelDir: envValue(env, 'models'),
    jobDefaults: Object.keys(jobDefaults).length > 0 ? jobDefaults : undefined,
  }) as SettingsPatch;
}

function clean<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export interface SettingsLayers {
  readonly commandLine?: SettingsPatch;
  readonly environment?: SettingsPatch;
  /** JSON stored in the store's settings table. */
  readonly stored?: SettingsPatch;
}

/** Merges the layers; every value is validated, and its source recorded (`jobDefaults.languages`…). */
export function resolveServiceSettings(layers: SettingsLayers): Omit<SettingsView, 'dataDir'> {
  const sources: Record<string, SettingsView['sources'][string]> = {};
  const values: Record<string, unknown> = { ...SERVICE_DEFAULTS };
  const jobDefaults: Record<string, unknown> = { ...SERVICE_DEFAULTS.jobDefaults };
  for (const key of Object.keys(SERVICE_DEFAULTS)) if (key !== 'jobDefaults') sources[key] = 'default';
  for (const key of Object.keys(SERVICE_DEFAULTS.jobDefaults)) sources[`jobDefaults.${key}`] = 'default';
  const apply = (patch: SettingsPatch | undefined, source: SettingsView['sources'][string]) => {
    if (!patch) return;
    const parsed = parseSettings(settingsPatchSchema, patch);
    for (const [k, v] of Object.entries(parsed)) {
      if (k === 'jobDefaults' || v === undefined) continue;
      values[k] = v;
      sources[k] = source;
    }
    for (const [k, v] of Object.entries(parsed.jobDefaults ?? {})) {
      if (v === undefined) continue;
      jobDefaults[k] = v;
      sources[`jobDefaults.${k}`] = source;
    }
  };
  apply(layers.stored, 'stored');
  apply(layers.environment, 'environment');
  apply(layers.commandLine, 'command-line');
  const merged = parseSettings(serviceSettingsSchema, { ...values, jobDefaults });
  return { values: merged, sources };
}

/** Keeps only what may be stored: values not pinned by the environment or the command line. */
export function storablePatch(patch: SettingsPatch, view: Omit<SettingsView, 'dataDir'>): SettingsPatch {
  const pinned = (key: string) => view.sources[key] === 'environment' || view.sources[key] === 'command-line';
  for (const [k, v] of Object.entries(patch)) {
    if (k === 'jobDefaults' || v === undefined) continue;
    if (pinned(k)) throw new InvalidOptionError(`\`${k}\` is set by ${view.sources[k] === 'environment' ? `the environment (${envName(k === 'modelDir' ? 'models' : k)})` : 'the command line'} and cannot be changed here.`);
  }
  for (const [k, v] of Object.entries(patch.jobDefaults ?? {})) {
    if (v !== undefined && pinned(`jobDefaults.${k}`)) throw new InvalidOptionError(`\`jobDefaults.${k}\` is set by ${view.sources[`jobDefaults.${k}`] === 'environment' ? 'the environment' : 'the command line'} and cannot be changed here.`);
  }
  return patch;
}
