// OCR Desk's folders and `OCR_DESK_<NAME>` settings from the environment. Plain JavaScript, typed by folders.d.mts:
// the `ocr-desk` launcher reads the cache folder before any TypeScript is loaded (see compile-cache.mjs).
import { homedir } from 'node:os';
import path from 'node:path';

export function envName(setting) {
  return `OCR_DESK_${setting.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/-/g, '_').toUpperCase()}`;
}

export function envValue(env, setting) {
  const value = env[envName(setting)];
  return value === undefined || value === '' ? undefined : value;
}

export function dataDir(env = process.env, platform = process.platform, home = homedir()) {
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

export function cacheDir(env = process.env, data = dataDir(env)) {
  const override = envValue(env, 'cacheDir');
  return override ? path.resolve(override) : path.join(data, 'cache');
}
