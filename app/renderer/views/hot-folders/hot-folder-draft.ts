/** A hot folder's settings as the form edits them (lists as comma-separated text), and the change to send. */
import type { HotFolderInfo, ServiceSettings } from '../../../common/api/resources.ts';
import type { HotFolderPatch, OriginalsAction } from '../../../common/hot-folder-settings.ts';
import type { JobSettingsDraft } from '../../components/JobSettingsFields.tsx';

export interface HotFolderDraft extends JobSettingsDraft {
  readonly folder: string;
  readonly out: string;
  readonly recursive: boolean;
  /** Comma-separated globs. */
  readonly include: string;
  readonly exclude: string;
  readonly originals: OriginalsAction;
  readonly stableMs: number;
  readonly pollMs: number;
  readonly rescanMs: number;
  readonly priority: number;
  /** A new password; empty keeps the one set (if any). */
  readonly password: string;
}

const globs = (text: string) =>
  text
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean);

/** A new folder's draft: the service's job defaults and the watch defaults. */
export function newDraft(defaults: ServiceSettings['jobDefaults'] | undefined): HotFolderDraft {
  return {
    formats: defaults?.formats ?? ['json', 'txt'],
    languages: defaults?.languages ?? ['en'],
    autoRotate: defaults?.autoRotate ?? true,
    pdfMode: defaults?.pdfMode ?? 'skip',
    pdfDpi: defaults?.pdfDpi ?? 300,
    pdfa: defaults?.pdfa ?? false,
    maxPixels: defaults?.maxPixels ?? 100_000_000,
    folder: '',
    out: '',
    recursive: true,
    include: '',
    exclude: '',
    originals: 'keep',
    stableMs: 2000,
    pollMs: 0,
    rescanMs: 30_000,
    priority: 0,
    password: '',
  };
}

export function draftOf(info: HotFolderInfo): HotFolderDraft {
  const { passwordSet: _set, ...s } = info.settings;
  return { ...s, include: s.include.join(', '), exclude: s.exclude.join(', '), password: '' };
}

/** Every field, for a new folder. */
export function fullPatch(d: HotFolderDraft): HotFolderPatch & { folder: string; out: string } {
  const { password, include, exclude, ...rest } = d;
  return { ...rest, formats: [...d.formats], languages: [...d.languages], folder: d.folder.trim(), out: d.out.trim(), include: globs(include), exclude: globs(exclude), ...(password ? { password } : {}) };
}

/** Only what changed, for an existing folder; null when nothing did. */
export function changedPatch(before: HotFolderDraft, after: HotFolderDraft): HotFolderPatch | null {
  const a = fullPatch(before) as Record<string, unknown>;
  const b = fullPatch(after) as Record<string, unknown>;
  const patch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(b)) if (JSON.stringify(a[key]) !== JSON.stringify(value)) patch[key] = value;
  return Object.keys(patch).length > 0 ? (patch as HotFolderPatch) : null;
}
