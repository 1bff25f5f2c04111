/** What a batch's command line tells about its size before any file is opened: the service sizes its pool by it. */
import { stat } from 'node:fs/promises';
import path from 'node:path';

/** Formats that hold one page; TIFF, PDF, GIF (and folders) may hold any number. */
const ONE_PAGE = new Set(['.jpg', '.jpeg', '.png', '.bmp', '.webp']);

/** How many pages the inputs are, when every one is a file of a one-page format; else undefined. */
export async function singlePageImages(inputs: readonly string[]): Promise<number | undefined> {
  if (inputs.length === 0 || !inputs.every((i) => ONE_PAGE.has(path.extname(i).toLowerCase()))) return undefined;
  const files = await Promise.all(inputs.map((i) => stat(i).then((s) => s.isFile(), () => false)));
  return files.every(Boolean) ? inputs.length : undefined;
}
