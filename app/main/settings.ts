/**
 * Settings that come from the environment (`OCR_DESK_<NAME>`), shared by the CLI and the desktop shell, and the
 * platform's usual folder for OCR Desk's own data. Command-line flags override these.
 */
import { homedir } from 'node:os';
import path from 'node:path';

/** Environment variable of a setting: `maxPixels` → `OCR_DESK_MAX_PIXELS`. */
export function envName(setting: string): string {
  return `OCR_DESK_${setting.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/-/g, '_').toUpperCase()}`;
}

/** The environment's value of a setting, or undefined when unset or empty. */
export function envValue(env: NodeJS.ProcessEnv, setting: string): string | undefined {
  const value = env[envName(setting)];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Folder for OCR Desk's own data (imported model packs go in its `models/`): `OCR_DESK_DATA_DIR` if set, else
 * `$XDG_DATA_HOME/ocr-desk` or `~/.local/share/ocr-desk` on Linux, `~/Library/Application Support/OCR Desk` on
 * macOS, `%APPDATA%\OCR Desk` on Windows.
 */
export function dataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  const override = envValue(env, 'dataDir');
  if (override) return path.resolve(override);
  switch (platform) {
    case 'darwin':
      return path.posix.join(home, 'Library', 'Application Support', 'OCR Desk');
    case 'win32':
      return path.win32.join(env.APPDATA || path.win32.join(home, 'AppData', 'Roaming'), 'OCR Desk');
    default:
      return path.posix.join(env.XDG_DATA_HOME || path.posix.join(home, '.local', 'share'), 'ocr-desk');
  }
}

/**
 * Folder for caches that only save time (compiled code, rewritten models, page pictures): `OCR_DESK_CACHE_DIR` if
 * set, else `<dataDir>/cache`. Safe to delete.
 */
export function cacheDir(env: NodeJS.ProcessEnv = process.env, data: string = dataDir(env)): string {
  const override = envValue(env, 'cacheDir');
  return override ? path.resolve(override) : path.join(data, 'cache');
}

/** Where `ocr-desk models import` installs packs. */
export function importedModelsDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(dataDir(env), 'models');
}
