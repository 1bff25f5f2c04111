/**
 * A hot folder's settings (app/common/hot-folder-settings.ts), validated with messages that name the setting
 * ("Expected `stableMs` to be an integer >= 0, got `-1`") and with both folders made absolute.
 */
import path from 'node:path';
import { InvalidOptionError } from '../../common/errors.ts';
import { hotFolderSettingsSchema, type HotFolderSettings, type HotFolderSettingsInput } from '../../common/hot-folder-settings.ts';
import { pickJobSettings, type JobSettings } from '../../common/job-settings.ts';
import { parseSettings } from '../../common/validate.ts';

export type { HotFolderSettings as WatchSettings, HotFolderSettingsInput as WatchSettingsInput };

export function resolveWatchSettings(input: HotFolderSettingsInput): HotFolderSettings {
  const s = parseSettings(hotFolderSettingsSchema, input);
  const folder = path.resolve(s.folder);
  const out = path.resolve(s.out);
  if (out === folder) throw new InvalidOptionError(`Expected \`out\` to be another folder than the watched one, got \`${out}\``);
  return { ...s, folder, out };
}

/** The settings of the jobs a hot folder makes: how its files are read and written. */
export function hotFolderJobSettings(s: HotFolderSettings): JobSettings {
  return pickJobSettings(s);
}
