/**
 * Atomic file writes: the data goes to `<name>.tmp-<pid>` in the same folder, is flushed, and is then renamed over
 * the final name. A reader (or a crash) never sees a partial file under the final name; at worst a `.tmp-<pid>`
 * file is left behind.
 */
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.tmp-${process.pid}`;
  try {
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}

/**
 * Writes several files as a set: every file goes to its temporary name first, and only when all of them are
 * written and flushed are they renamed into place. A failure (a full or read-only disk) while writing leaves none
 * of them under its final name, and removes the temporary ones. Renames within one folder practically cannot fail
 * once the data is on disk; if one does, the files renamed before it stay (each is complete).
 */
export async function writeFilesAtomic(files: readonly { readonly path: string; readonly data: string | Uint8Array }[]): Promise<void> {
  const temps: { temp: string; file: string }[] = [];
  try {
    for (const f of files) {
      await mkdir(path.dirname(f.path), { recursive: true });
      const temp = `${f.path}.tmp-${process.pid}`;
      temps.push({ temp, file: f.path });
      const handle = await open(temp, 'w');
      try {
        await handle.writeFile(f.data);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
  } catch (error) {
    await Promise.all(temps.map(({ temp }) => rm(temp, { force: true }).catch(() => undefined)));
    throw error;
  }
  for (const { temp, file } of temps) await rename(temp, file);
}
