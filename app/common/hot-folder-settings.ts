/**
 * A hot folder's settings: where it watches and writes, how its files are read (the job settings, the same as for a
 * batch), and how files are found and taken. One zod schema; the service resolves the folders to absolute paths.
 */
import { z } from 'zod';
import { jobSettingsPatchSchema, jobSettingsShape } from './job-settings.ts';

export const ORIGINALS_ACTIONS = ['keep', 'move', 'delete'] as const;
export type OriginalsAction = (typeof ORIGINALS_ACTIONS)[number];

/** Hot-folder jobs go behind interactive ones (a drop on the window goes first). */
export const HOT_FOLDER_PRIORITY = 0;

/** Each watch setting's schema, without its default (patches must not fill defaults in). */
const watchFields = {
  /** The watched folder. */
  folder: z.string().min(1),
  /** Where results go, mirroring the watched tree: `<out>/<relative path>.<format>`. */
  out: z.string().min(1),
  /** Watch subfolders too. @default true */
  recursive: z.boolean(),
  /** Globs a file must match (relative path or name). @default [] (every image) */
  include: z.array(z.string().min(1)),
  /** Globs that exclude a file. @default [] */
  exclude: z.array(z.string().min(1)),
  /** What happens to an original after success: keep it, move it to `done/`, or delete it. @default 'keep' */
  originals: z.enum(ORIGINALS_ACTIONS),
  /** How long size and mtime must stay unchanged before a file is taken. @default 2000 */
  stableMs: z.number().int().min(0),
  /** Poll every this many ms instead of using change notifications (network shares); 0 = notifications. @default 0 */
  pollMs: z.number().int().min(0),
  /** Full rescan interval, a safety net for missed notifications. @default 30000 */
  rescanMs: z.number().int().min(100),
  /** Queue priority of this folder's files. @default 0 (below interactive jobs) */
  priority: z.number().int().min(-1000).max(1000),
};

/** The fields with their defaults, without the cross-field checks (for views that leave fields out). */
export const hotFolderShape = jobSettingsShape.extend({
  folder: watchFields.folder,
  out: watchFields.out,
  recursive: watchFields.recursive.default(true),
  include: watchFields.include.default(() => []),
  exclude: watchFields.exclude.default(() => []),
  originals: watchFields.originals.default('keep'),
  stableMs: watchFields.stableMs.default(2000),
  pollMs: watchFields.pollMs.default(0),
  rescanMs: watchFields.rescanMs.default(30_000),
  priority: watchFields.priority.default(HOT_FOLDER_PRIORITY),
});

export const hotFolderSettingsSchema = hotFolderShape.superRefine((s, ctx) => {
  if (s.pdfa && !s.formats.includes('pdf')) {
    ctx.addIssue({ code: 'custom', path: ['pdfa'], message: 'PDF/A is a kind of searchable PDF: add `pdf` to the formats, or leave PDF/A off' });
  }
});

/** A change to a hot folder's settings: any field, none required, no defaults filled in. */
export const hotFolderPatchSchema = jobSettingsPatchSchema.extend(z.object(watchFields).partial().shape);

export type HotFolderSettings = z.output<typeof hotFolderSettingsSchema>;
export type HotFolderSettingsInput = z.input<typeof hotFolderSettingsSchema>;
export type HotFolderPatch = z.input<typeof hotFolderPatchSchema>;
