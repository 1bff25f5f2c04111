/**
 * OCR Desk's folders and `OCR_DESK_<NAME>` settings from the environment (implemented in folders.mjs, plain
 * JavaScript, so that the `ocr-desk` launcher can read them before any TypeScript is loaded).
 */

/** Environment variable of a setting: `maxPixels` → `OCR_DESK_MAX_PIXELS`. */
export function envName(setting: string): string;

/** The environment's value of a setting, or undefined when unset or empty. */
export function envValue(env: NodeJS.ProcessEnv, setting: string): string | undefined;

/**
 * Folder for OCR Desk's own data (imported model packs go in its `models/`): `OCR_DESK_DATA_DIR` if set, else
 * `$XDG_DATA_HOME/ocr-desk` or `~/.local/share/ocr-desk` on Linux, `~/Library/Application Support/OCR Desk` on
 * macOS, `%APPDATA%\OCR Desk` on Windows.
 */
export function dataDir(env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform, home?: string): string;

/**
 * Folder for caches that only save time (compiled code, rewritten models, page pictures): `OCR_DESK_CACHE_DIR` if
 * set, else `<dataDir>/cache`. Safe to delete.
 */
export function cacheDir(env?: NodeJS.ProcessEnv, data?: string): string;
