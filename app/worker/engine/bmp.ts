/**
 * A small BMP decoder (libvips, and so sharp, reads no BMP): uncompressed 1/4/8-bit palette and 16/24/32-bit
 * true-colour, bottom-up or top-down. Throws a RangeError describing what is wrong or unsupported.
 */
import type { RgbImage } from './raster.ts';

export interface BmpHeader {
  readonly width: number;
  readonly height: number;
  readonly bitsPerPixel: number;
}

export function readBmpHeader(buf: Uint8Array): BmpHeader {
  if (buf.length < 54 || buf[0] !== 0x42 || buf[1] !== 0x4d) throw new RangeError('not a BMP file (no BM header)');
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const width = dv.getInt32(18, true);
  const height = Math.abs(dv.getInt32(22, true));
  const bitsPerPixel = dv.getUint16(28, true);
  if (width <= 0 || height <= 0) throw new RangeError(`BMP header gives an impossible size ${width}×${height}`);
  return { width, height, bitsPerPixel };
}

export function decodeBmp(buf: Uint8Array): RgbImage {
  const { width, height, bitsPerPixel: bpp } = readBmpHeader(buf);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const dataOffset = dv.getUint32(10, true);
  const headerSize = dv.getUint32(14, true);
  const topDown = dv.getInt32(22, true) < 0;
  const compression = dv.getUint32(30, true);
  // BI_RGB (0), or BI_BITFIELDS (3) with the standard masks for 16/32-bit.
  if (compression !== 0 && compression !== 3) throw new RangeError(`compressed BMP (method ${compression}) is not supported`);
  if (![1, 4, 8, 16, 24, 32].includes(bpp)) throw new RangeError(`${bpp}-bit BMP is not supported`);
  const stride = Math.ceil((width * bpp) / 32) * 4;
  if (dataOffset + stride * height > buf.length) throw new RangeError('BMP pixel data is truncated');
  const paletteSize = bpp <= 8 ? dv.getUint32(46, true) || 1 << bpp : 0;
  const palette = 14 + headerSize;
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const row = dataOffset + (topDown ? y : height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      let r: number, g: number, b: number;
      if (bpp <= 8) {
        const bit = x * bpp;
        const byte = buf[row + (bit >> 3)]!;
        const idx = (byte >> (8 - bpp - (bit & 7))) & ((1 << bpp) - 1);
        if (idx >= paletteSize) throw new RangeError(`BMP palette index ${idx} is out of range`);
        const p = palette + idx * 4;
        [b, g, r] = [buf[p]!, buf[p + 1]!, buf[p + 2]!];
      } else if (bpp === 16) {
        const v = dv.getUint16(row + x * 2, true);
        [r, g, b] = [((v >> 10) & 31) * 8.226, ((v >> 5) & 31) * 8.226, (v & 31) * 8.226];
      } else {
        const p = row + x * (bpp / 8);
        [b, g, r] = [buf[p]!, buf[p + 1]!, buf[p + 2]!];
      }
      const o = (y * width + x) * 3;
      out[o] = r;
      out[o + 1] = g;
      out[o + 2] = b;
    }
  }
  return { data: out, width, height };
}
