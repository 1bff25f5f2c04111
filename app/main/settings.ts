/**
 * Settings that come from the environment (`OCR_DESK_<NAME>`), shared by the CLI and the desktop shell, and the
 * platform's usual folder for OCR Desk's own data. Command-line flags override these.
 */
import path from 'node:path';
import { dataDir } from '../node/folders.mjs';

export { cacheDir, dataDir, envName, envValue } from '../node/folders.mjs';

/** Where `ocr-desk models import` installs packs. */
export function importedModelsDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(dataDir(env), 'models');
}
