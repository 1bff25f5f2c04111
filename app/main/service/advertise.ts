/**
 * How a second OCR Desk finds the running one: a service that serves HTTP writes `<dataDir>/service.json` (its
 * pid, URL and token; readable by this user only), and removes it when it stops. A second `ocr-desk` run that finds
 * the data folder locked reads it and hands its job to that service instead of failing on the lock.
 */
import { chmod, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../node/atomic-write.ts';

export const ADVERTISEMENT = 'service.json';

const advertisementSchema = z.object({ pid: z.number().int().positive(), url: z.string().url(), token: z.string().min(16), version: z.string() });
export type Advertisement = z.infer<typeof advertisementSchema>;

export async function advertise(dataDir: string, ad: Advertisement): Promise<() => Promise<void>> {
  const file = path.join(dataDir, ADVERTISEMENT);
  await writeFileAtomic(file, JSON.stringify(ad));
  await chmod(file, 0o600);
  return () => rm(file, { force: true });
}

/** The running service's advertisement, if there is a valid one. */
export async function readAdvertisement(dataDir: string): Promise<Advertisement | undefined> {
  try {
    const parsed = advertisementSchema.safeParse(JSON.parse(await readFile(path.join(dataDir, ADVERTISEMENT), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
