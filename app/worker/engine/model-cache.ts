/**
 * The worker's model cache: derived model files (rewritten graphs, ONNX Runtime's optimised graphs) kept in the
 * cache folder, each stored with its sha256 beside it (`<entry>.sha256`). An entry that does not match its hash (a
 * damaged disk, a file cut short by a full one) is treated as absent and rebuilt. The cache only saves time, so
 * failing to read or write it is never an error.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile, rename, rm } from 'node:fs/promises';
import { arch, cpus, platform } from 'node:os';
import { writeFileAtomic } from '../../node/atomic-write.ts';

export const sha256 = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');

/**
 * The entry's bytes, if it is there and matches its hash. Synchronous: this runs while a worker starts, with nothing
 * else to do, and a promise-based read of a 10 MB file goes through the thread pool chunk by chunk (~80 ms).
 */
export function readEntry(entry: string): Uint8Array | undefined {
  const read = (name: string) => {
    try {
      return readFileSync(name);
    } catch {
      return undefined;
    }
  };
  const bytes = read(entry);
  return bytes && read(`${entry}.sha256`)?.toString('utf8').trim() === sha256(bytes) ? bytes : undefined;
}

/** Stores `bytes` as the entry, then its hash (each written atomically); ignores failures. */
export async function writeEntry(entry: string, bytes: Uint8Array): Promise<void> {
  await writeFileAtomic(entry, bytes)
    .then(() => writeFileAtomic(`${entry}.sha256`, sha256(bytes)))
    .catch(() => undefined);
}

/**
 * Moves a file that ONNX Runtime wrote into the cache as `entry`, then writes its hash; ignores failures. The file
 * is renamed, not copied: if it was not all on disk when the machine stopped, its hash does not match and it is
 * rebuilt, like any damaged entry.
 */
export async function adoptFile(written: string, entry: string): Promise<void> {
  try {
    const bytes = await readFile(written);
    if (bytes.length === 0) throw new Error('empty');
    await rename(written, entry);
    await writeFileAtomic(`${entry}.sha256`, sha256(bytes));
  } catch {
    await rm(written, { force: true }).catch(() => undefined);
  }
}

let machine: string | undefined;

/**
 * What an optimised graph depends on besides the model: ONNX Runtime's version and the CPU it was optimised for.
 * Its layout transforms pick blocked (NCHWc) kernels by the CPU's vector width, so the CPU's feature flags count
 * (Linux lists them as `flags`, or `Features` on Arm; elsewhere the CPU's model name stands in for them).
 */
export function machineKey(runtimeVersion: string): string {
  if (machine === undefined) {
    let flags = '';
    if (platform() === 'linux') {
      try {
        flags = /^(?:flags|Features)\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? '';
      } catch {
        // No /proc: the model name alone.
      }
    }
    machine = sha256(JSON.stringify([platform(), arch(), cpus()[0]?.model ?? '', flags]));
  }
  return sha256(`${runtimeVersion}\n${machine}`).slice(0, 16);
}
