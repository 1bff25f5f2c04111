/**
 * Small real images for the queue and hot-folder tests: distinct crops of phototest.tif (a line or two of
 * typewritten text each, so OCR is quick), and for each crop several PNG encodings that hold the same pixels but
 * differ as files (different sha256, so no dedupe), whose OCR must therefore come out identical.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { phototest } from './helpers.ts';

export const ENCODINGS = [
  { compressionLevel: 1, adaptiveFiltering: false },
  { compressionLevel: 3, adaptiveFiltering: false },
  { compressionLevel: 6, adaptiveFiltering: false },
  { compressionLevel: 9, adaptiveFiltering: false },
  { compressionLevel: 6, adaptiveFiltering: true },
  { compressionLevel: 9, adaptiveFiltering: true },
] as const;

/** Crop `i` of phototest.tif as raw PNG pixels (level 6); distinct for distinct i < 300. */
export async function crop(i: number): Promise<Buffer> {
  const top = 45 + ((i * 37) % 320);
  const left = (i * 53) % 200;
  return sharp(phototest).extract({ left, top, width: 440, height: 72 }).png().toBuffer();
}

/** The same pixels as `png`, encoded the `k`-th way. */
export async function encode(png: Buffer, k: number): Promise<Buffer> {
  return sharp(png).png(ENCODINGS[k % ENCODINGS.length]!).toBuffer();
}

export const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** `crops` distinct crops × `perCrop` encodings: files named `c<crop>-e<encoding>.png` with their bytes. */
export async function cropSet(crops: number, perCrop: number): Promise<{ name: string; crop: number; data: Buffer }[]> {
  const out: { name: string; crop: number; data: Buffer }[] = [];
  for (let c = 0; c < crops; c++) {
    const base = await crop(c);
    for (let e = 0; e < perCrop; e++) out.push({ name: `c${String(c).padStart(3, '0')}-e${e}.png`, crop: c, data: await encode(base, e) });
  }
  return out;
}
