/** A page raster as a picture for people: JPEG, scaled down to fit a square of `maxSide`. */
import sharp from 'sharp';
import type { RenderedImage } from '../common/worker-protocol.ts';
import type { RgbImage } from './engine/raster.ts';

/** JPEG quality of page pictures: text stays legible when zoomed, and a 300 DPI A4 page is a few hundred KB. */
const QUALITY = 85;

export async function toJpeg(image: RgbImage, maxSide: number): Promise<RenderedImage> {
  const scale = Math.min(1, maxSide / Math.max(image.width, image.height));
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const { data, info } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(width, height, { fit: 'fill', kernel: 'lanczos3' })
    .jpeg({ quality: QUALITY, mozjpeg: false })
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, pageWidth: image.width, pageHeight: image.height };
}
