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
