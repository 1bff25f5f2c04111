/**
 * Expands the command line's files and folders into the list of images to OCR. Folders are walked recursively, in
 * name order, keeping files with an image extension (case-insensitive); other files are counted as skipped. A file
 * named explicitly is always attempted, whatever its extension. Symbolic links are followed; a link to a folder
 * that is already on the current path (a loop) becomes a {@link SymlinkLoopError} for that entry instead of a hang.
 * Unreadable folders, dangling links and special files (FIFOs, sockets, devices) become per-entry failures.
 */
import type { Dirent, Stats } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  InputNotFoundError,
  InputUnreadableError,
  SymlinkLoopError,
  throwIfAborted,
  type OcrDeskError,
} from '../../common/errors.ts';

export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set(['.jpg', '.jpeg', '.png', '.tif', '.tiff', '.webp', '.bmp', '.gif', '.pdf']);

export interface EntryFailure {
  readonly path: string;
  readonly error: OcrDeskError;
}

export interface Discovery {
  /** Images to OCR, as paths built from the arguments (not resolved through links). */
  readonly files: readonly string[];
  /** Entries that could not be read or looped. */
  readonly failures: readonly EntryFailure[];
  /** Files inside folders that are not images by their extension. */
  readonly skipped: readonly string[];
  /** Folders the output tree is relative to: each folder argument, and the folder of each file argument. */
  readonly roots: readonly string[];
}

export interface DiscoverOptions {
  /** Folders not to descend into, e.g. the output folder when it lies inside an input folder. */
  readonly exclude?: readonly string[];
  readonly signal?: AbortSignal;
}

/** Whether a file name has the extension of an input OCR Desk reads (images and PDFs). */
export function isInputName(name: string): boolean {
  return IMAGE_EXTENSIONS.has(path.extname(name).toLowerCase());
}

export async function discoverInputs(inputs: readonly string[], options: DiscoverOptions = {}): Promise<Discovery> {
  const files: string[] = [];
  const failures: EntryFailure[] = [];
  const skipped: string[] = [];
  const roots: string[] = [];
  const exclude = new Set((options.exclude ?? []).map((p) => path.resolve(p)));

  const walk = async (dir: string, ancestors: readonly string[]): Promise<void> => {
    throwIfAborted(options.signal);
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      failures.push({ path: dir, error: new InputUnreadableError(dir, `the folder cannot be listed: ${codeOf(error)}`) });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (exclude.has(path.resolve(full))) continue;
      let info: Stats | Dirent = entry;
      if (entry.isSymbolicLink()) {
        const target = await stat(full).catch((error: NodeJS.ErrnoException) => error);
        if (target instanceof Error) {
          if (target.code === 'ELOOP') failures.push({ path: full, error: new SymlinkLoopError(full) });
          else if (isInputName(entry.name)) failures.push({ path: full, error: brokenLink(full, target) });
          else skipped.push(full);
          continue;
        }
        info = target;
      }
      if (info.isDirectory()) {
        const real = await realpath(full).catch(() => path.resolve(full));
        if (ancestors.includes(real)) failures.push({ path: full, error: new SymlinkLoopError(full) });
        else await walk(full, [...ancestors, real]);
      } else if (!isInputName(entry.name)) {
        skipped.push(full);
      } else if (info.isFile()) {
        files.push(full);
      } else {
        failures.push({ path: full, error: new InputUnreadableError(full, `it is ${specialKind(info)}, not a regular file`) });
      }
    }
  };

  for (const input of inputs) {
    throwIfAborted(options.signal);
    const info = await stat(input).catch((error: NodeJS.ErrnoException) => error);
    if (info instanceof Error) {
      failures.push({ path: input, error: await missingOrUnreadable(input, info) });
      continue;
    }
    if (info.isDirectory()) {
      roots.push(input);
      await walk(input, [await realpath(input).catch(() => path.resolve(input))]);
    } else {
      roots.push(path.dirname(input));
      if (info.isFile()) files.push(input);
      else failures.push({ path: input, error: new InputUnreadableError(input, `it is ${specialKind(info)}, not a regular file`) });
    }
  }
  return { files, failures, skipped, roots };
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}

function brokenLink(file: string, error: NodeJS.ErrnoException): OcrDeskError {
  return error.code === 'ENOENT'
    ? new InputUnreadableError(file, 'it is a symbolic link whose target does not exist')
    : new InputUnreadableError(file, codeOf(error));
}

async function missingOrUnreadable(input: string, error: NodeJS.ErrnoException): Promise<OcrDeskError> {
  if (error.code === 'ELOOP') return new SymlinkLoopError(input);
  if (error.code !== 'ENOENT') return new InputUnreadableError(input, codeOf(error));
  const link = await lstat(input).catch(() => undefined);
  return link?.isSymbolicLink() ? brokenLink(input, error) : new InputNotFoundError(input);
}

function specialKind(info: Stats | Dirent): string {
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  return 'not a file or folder';
}
