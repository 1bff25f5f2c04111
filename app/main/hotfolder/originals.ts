/**
 * A hot folder's dealings with the files in it, on disk: the watched folder must exist; originals move to done/ or
 * failed/ (numbered on a clash, only while they are still the version the journal names); failed files move back.
 */
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { InvalidOptionError } from '../../common/errors.ts';
import type { JournalRow } from '../store/store.ts';

export const DONE_DIR = 'done';
export const FAILED_DIR = 'failed';

/**
 * The watched folder must exist: watching a mistyped path would wait forever for files that can never arrive (and
 * creating it would hide the mistake). A folder on a share that is offline gets the same error, and is retried.
 */
export async function checkWatchedFolder(folder: string): Promise<void> {
  const info = await stat(folder).catch((error: NodeJS.ErrnoException) => error);
  if (info instanceof Error) {
    throw new InvalidOptionError(
      info.code === 'ENOENT' ? `The folder to watch, ${folder}, does not exist: create it first, or check the path.` : `The folder to watch, ${folder}, cannot be read (${info.code ?? info.message}).`,
    );
  }
  if (!info.isDirectory()) throw new InvalidOptionError(`${folder} is a file, not a folder: watch the folder it is in, or another folder.`);
}

export async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

/** Whether the file at the row's path is still the version the row describes. */
export async function sameFile(row: JournalRow): Promise<boolean> {
  try {
    const st = await stat(row.path);
    return st.size === row.size && st.mtimeMs === row.mtime_ms;
  } catch {
    return false;
  }
}

/**
 * Moves the original to `target`, numbering on a clash (`a~2.jpg`); `before` runs first with the final target (the
 * error report is written before the file moves, so a crash never leaves a moved file without its reason). Returns
 * where it went, or undefined when the original is gone.
 */
export async function moveAway(from: string, target: string, before?: (to: string) => Promise<void>): Promise<string | undefined> {
  if (!(await exists(from))) return undefined;
  await mkdir(path.dirname(target), { recursive: true });
  let to = target;
  for (let i = 2; await exists(to); i++) {
    const ext = path.extname(target);
    to = `${target.slice(0, target.length - ext.length)}~${i}${ext}`;
  }
  await before?.(to);
  await rename(from, to);
  return to;
}

/** Moves every file in `<folder>/failed/` back to its place in the folder, its report removed; returns how many. */
export async function moveBackFailed(folder: string): Promise<number> {
  const failedDir = path.join(folder, FAILED_DIR);
  let entries;
  try {
    entries = await readdir(failedDir, { recursive: true, withFileTypes: true });
  } catch {
    return 0;
  }
  let moved = 0;
  for (const e of entries) {
    if (!e.isFile() || e.name.endsWith('.error.txt')) continue;
    const from = path.join(e.parentPath, e.name);
    const to = path.join(folder, path.relative(failedDir, from));
    if (await exists(to)) continue; // a newer file of that name is there: leave the failed one for a person
    await mkdir(path.dirname(to), { recursive: true });
    await rename(from, to);
    await rm(`${from}.error.txt`, { force: true });
    moved++;
  }
  return moved;
}
