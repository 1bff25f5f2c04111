/**
 * Turning "these files and folders" into a job: inputs resolved and listed (folders read recursively), the output
 * tree planned, the output folder checked up front, and an unfinished identical job resumed instead of added twice.
 */
import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { OperationInput, OperationOutput } from '../../common/api/operations.ts';
import { serializeError } from '../../common/errors.ts';
import type { JobSettings } from '../../common/job-settings.ts';
import { discoverInputs } from '../pipeline/discover.ts';
import { commonAncestor, outputBases } from '../pipeline/output-plan.ts';
import { checkOutputFolder } from '../pipeline/outputs.ts';
import type { NewDocument, Store } from '../store/store.ts';

/** Interactive jobs go ahead of hot-folder backlogs. */
export const INTERACTIVE_PRIORITY = 10;

export interface PlannedJob {
  readonly documents: NewDocument[];
  readonly label: string;
  readonly outputDir: string | null;
  readonly resumeKey: string;
  readonly skipped: string[];
  readonly failures: OperationOutput<'addJob'>['failures'];
}

/** Lists the inputs and plans the job; throws OutputWriteError when the output folder cannot be written. */
export async function planJob(input: OperationInput<'addJob'>, settings: JobSettings, signal?: AbortSignal): Promise<PlannedJob> {
  const base = input.baseDir ?? process.cwd();
  const resolve = (p: string) => path.resolve(base, p);
  const outputDir = input.outputDir === undefined ? null : resolve(input.outputDir);
  if (outputDir !== null) await checkOutputFolder(outputDir);
  const found = await discoverInputs(input.inputs.map(resolve), { exclude: outputDir === null ? [] : [outputDir], signal });
  const bases = outputDir === null ? undefined : outputBases(found.files, found.roots, outputDir);
  const documents = found.files.map((f) => ({ path: f, outputBase: bases?.get(f) ?? null }));
  const { password: _password, ...keyed } = settings;
  const resumeKey = createHash('sha256')
    .update(JSON.stringify([[...found.files].sort(), outputDir, keyed, input.force ?? false]))
    .digest('hex');
  return {
    documents,
    label: input.label ?? labelFor(found.files, found.roots),
    outputDir,
    resumeKey,
    skipped: [...found.skipped],
    failures: found.failures.map((f) => {
      const e = serializeError(f.error);
      return { path: f.path, kind: e.kind, message: e.message };
    }),
  };
}

/** "receipt.jpg", "12 files from scans", for lists. */
export function labelFor(files: readonly string[], roots: readonly string[]): string {
  if (files.length === 1) return path.basename(files[0]!);
  const from = commonAncestor(roots.length > 0 ? roots : files.map((f) => path.dirname(f)));
  return `${files.length} files${from ? ` from ${path.basename(from) || from}` : ''}`;
}

/** A file name safe to create inside an upload folder: no folders, no control characters, not hidden. */
export function safeUploadName(name: string, taken: Set<string>): string {
  const cleaned = path.basename(name.replaceAll('\\', '/')).replace(/[\p{Cc}<>:"|?*]/gu, '_').replace(/^\.+/, '_').slice(0, 200) || 'upload';
  let candidate = cleaned;
  const ext = path.extname(cleaned);
  for (let i = 2; taken.has(candidate.toLowerCase()); i++) candidate = `${cleaned.slice(0, cleaned.length - ext.length)}~${i}${ext}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

/** A new, empty folder for one upload's files under `<dataDir>/uploads`. */
export async function newUploadDir(dataDir: string): Promise<string> {
  const dir = path.join(dataDir, 'uploads', `${Date.now().toString(36)}-${createHash('sha256').update(String(Math.random())).digest('hex').slice(0, 8)}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

/** Writes uploaded bytes into a new upload folder; returns the files' paths and names. */
export async function saveUploads(dataDir: string, files: readonly { name: string; data: Uint8Array }[]): Promise<{ dir: string; files: { path: string; name: string }[] }> {
  const dir = await newUploadDir(dataDir);
  const taken = new Set<string>();
  const saved = [];
  for (const f of files) {
    const name = safeUploadName(f.name, taken);
    const file = path.join(dir, name);
    await writeFile(file, f.data);
    saved.push({ path: file, name: f.name });
  }
  return { dir, files: saved };
}

/** Adds a job for uploaded files (owned by OCR Desk: deleted with their documents). */
export function addUploadJob(store: Store, files: readonly { path: string; name: string }[], settings: JobSettings, priority: number, idempotencyKey: string | undefined, label?: string): number {
  label ??= files.length === 1 ? files[0]!.name : `${files.length} uploaded files`;
  return store.addJob('interactive', priority, JSON.stringify(settings), files.map((f) => ({ path: f.path, ownedSource: true })), { label, idempotencyKey: idempotencyKey ?? null }).jobId;
}

/** Removes an upload folder that never became a job. */
export async function discardUpload(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
