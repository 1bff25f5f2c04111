/**
 * Decodes an input file into RGB rasters with sharp: JPEG, PNG, TIFF (every page), WebP, BMP, GIF. The type is
 * taken from the file's bytes, not its name; EXIF orientation is applied; alpha is flattened onto white; 16-bit and
 * greyscale become 8-bit RGB. Images over the pixel limit are refused from their header, before any decoding.
 */
import { open, readFile, stat } from 'node:fs/promises';
import sharp, { type Metadata } from 'sharp';
import {
  CorruptImageError,
  EmptyInputError,
  ImageTooLargeError,
  InputNotFoundError,
  InputUnreadableError,
  UnsupportedFormatError,
} from '../common/errors.ts';
import { decodeBmp, readBmpHeader } from './engine/bmp.ts';
import { rasterBytes, type RgbImage } from './engine/raster.ts';

export type ImageFormat = 'jpeg' | 'png' | 'tiff' | 'webp' | 'bmp' | 'gif';

/** Identifies a supported image from its first bytes, or explains what the file looks like instead. */
export function sniffFormat(head: Uint8Array): ImageFormat | { unknown: string } {
  const b = (i: number) => head[i] ?? -1;
  const ascii = (from: number, to: number) => String.fromCharCode(...head.subarray(from, to));
  if (b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return 'jpeg';
  if (b(0) === 0x89 && ascii(1, 4) === 'PNG') return 'png';
  if ((b(0) === 0x49 && b(1) === 0x49 && b(2) === 0x2a && b(3) === 0) || (b(0) === 0x4d && b(1) === 0x4d && b(2) === 0 && b(3) === 0x2a)) return 'tiff';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  if (ascii(0, 3) === 'GIF') return 'gif';
  if (ascii(0, 2) === 'BM') return 'bmp';
  if (ascii(0, 5) === '%PDF-') return { unknown: 'it is a PDF' };
  const sample = head.subarray(0, 512);
  const printable = sample.filter((c) => c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127) || c >= 128).length;
  if (sample.length > 0 && printable / sample.length > 0.95) return { unknown: 'it contains text, not image data' };
  return { unknown: 'its contents match no supported image type' };
}

export interface ProbedImage {
  readonly format: ImageFormat;
  readonly pages: number;
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
}

/** Size of an input that must be a non-empty regular file; throws the specific input error otherwise. */
async function inputSize(file: string): Promise<number> {
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new InputNotFoundError(file);
    throw new InputUnreadableError(file, error.code ?? String(error));
  });
  if (!info.isFile()) throw new InputUnreadableError(file, 'it is not a regular file');
  if (info.size === 0) throw new EmptyInputError(file);
  return info.size;
}

async function readInput(file: string): Promise<Buffer> {
  await inputSize(file);
  try {
    return await readFile(file);
  } catch (error) {
    throw new InputUnreadableError(file, (error as NodeJS.ErrnoException).code ?? String(error));
  }
}

function formatOf(file: string, buf: Uint8Array): ImageFormat {
  const sniffed = sniffFormat(buf.subarray(0, 4096));
  if (typeof sniffed !== 'string') throw new UnsupportedFormatError(file, sniffed.unknown);
  return sniffed;
}

/** Header-only look at a file: type, page count and size. Throws the specific input error. */
export async function probeImage(file: string, maxPixels: number): Promise<ProbedImage> {
  const head = await readHead(file);
  const format = formatOf(file, head.bytes);
  if (format === 'bmp') {
    let header;
    try {
      header = readBmpHeader(head.bytes);
    } catch (error) {
      throw new CorruptImageError(file, (error as Error).message);
    }
    checkPixels(file, header.width, header.height, maxPixels);
    return { format, pages: 1, width: header.width, height: header.height, bytes: head.size };
  }
  const meta = await sharpMetadata(file, file);
  const width = meta.autoOrient?.width ?? meta.width ?? 0;
  const height = meta.autoOrient?.height ?? meta.height ?? 0;
  checkPixels(file, width, height, maxPixels);
  return { format, pages: format === 'gif' ? 1 : (meta.pages ?? 1), width, height, bytes: head.size };
}

export async function readHead(file: string): Promise<{ bytes: Uint8Array; size: number }> {
  const size = await inputSize(file);
  let handle;
  try {
    handle = await open(file, 'r');
    const bytes = new Uint8Array(Math.min(size, 4096));
    await handle.read(bytes, 0, bytes.length, 0);
    return { bytes, size };
  } catch (error) {
    throw new InputUnreadableError(file, (error as NodeJS.ErrnoException).code ?? String(error));
  } finally {
    await handle?.close();
  }
}

async function sharpMetadata(file: string, input: string | Buffer): Promise<Metadata> {
  try {
    return await sharp(input, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw new CorruptImageError(file, (error as Error).message);
  }
}

function checkPixels(file: string, width: number, height: number, maxPixels: number): void {
  if (width * height > maxPixels) throw new ImageTooLargeError(file, width, height, maxPixels);
}

/** Decodes page `page` (0-based) of an image file to an upright 8-bit RGB raster. */
export async function decodeImage(file: string, page: number, maxPixels: number): Promise<RgbImage> {
  const buf = await readInput(file);
  const format = formatOf(file, buf);
  if (format === 'bmp') {
    try {
      const header = readBmpHeader(buf);
      checkPixels(file, header.width, header.height, maxPixels);
      return decodeBmp(buf);
    } catch (error) {
      if (error instanceof ImageTooLargeError) throw error;
      throw new CorruptImageError(file, (error as Error).message);
    }
  }
  const meta = await sharpMetadata(file, buf);
  checkPixels(file, meta.width ?? 0, meta.height ?? 0, maxPixels);
  const pages = format === 'gif' ? 1 : (meta.pages ?? 1);
  if (page >= pages) throw new CorruptImageError(file, `it has ${pages} page(s); page ${page + 1} does not exist`);
  try {
    // Alpha is composited onto white; libvips cannot flatten CMYK with alpha (5 bands), whose alpha is dropped.
    let pipeline = sharp(buf, { page, limitInputPixels: maxPixels, failOn: 'error', sequentialRead: true }).autoOrient();
    pipeline = (meta.channels ?? 3) > 4 ? pipeline.removeAlpha() : pipeline.flatten({ background: '#ffffff' });
    const { data, info } = await pipeline
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels === 3) return { data: rasterBytes(data), width: info.width, height: info.height };
    const out = new Uint8Array(info.width * info.height * 3);
    for (let i = 0, j = 0; j < out.length; i += info.channels, j += 3) {
      out[j] = data[i]!;
      out[j + 1] = data[info.channels > 1 ? i + 1 : i]!;
      out[j + 2] = data[info.channels > 2 ? i + 2 : i]!;
    }
    return { data: out, width: info.width, height: info.height };
  } catch (error) {
    throw new CorruptImageError(file, (error as Error).message);
  }
}
