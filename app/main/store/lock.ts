/**
 * One working process per data folder: `ocr-desk.lock` holds the owner's pid. A lock left by a process that is gone
 * (a crash, `kill -9`) is taken over; one held by a live process refuses with {@link DataDirBusyError}. Readers
 * (`ocr-desk search`, the UI) need no lock: SQLite's WAL lets them read while the owner writes.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DataDirBusyError } from '../../common/errors.ts';

export const LOCK_NAME = 'ocr-desk.lock';

/** Whether a process is alive (a process of another user counts: it exists). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the data folder's lock; returns the function that releases it. */
export function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LOCK_NAME);
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      let pid = NaN;
      try {
        pid = Number(readFileSync(file, 'utf8').trim());
      } catch {
        // vanished meanwhile: try again
      }
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid)) throw new DataDirBusyError(dir, pid);
      rmSync(file, { force: true }); // left by a process that is gone
    }
  }
}
