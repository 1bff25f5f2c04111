/**
 * A page raster as JPEG: a picture for people, scaled down to fit a square of `maxSide`; or, at full size and higher
 * quality, the image that replaces a PDF page's content in the searchable PDF (see app/node/pdf/rasterize-page.ts).
 */
import sharp from 'sharp';
import type { RenderedImage } from '../common/worker-protocol.ts';
import type { RgbImage } from './engine/raster.ts';

/** JPEG quality of page pictures: text stays legible when zoomed, and a 300 DPI A4 page is a few hundred KB. */
const QUALITY = 85;
/**
 * JPEG quality of a page image inside a searchable PDF. 90 with full-resolution colour keeps edges of small and
 * coloured text clean at 300 dpi; lossless PNG of a rendered page is several times larger.
 */
export const PDF_PAGE_QUALITY = 90;

/** The raster at full size, as the searchable PDF embeds it (deterministic: the same raster, the same bytes). */
export async function toPdfPageJpeg(image: RgbImage): Promise<Omit<RenderedImage, 'transform'>> {
  const data = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .jpeg({ quality: PDF_PAGE_QUALITY, chromaSubsampling: '4:4:4' })
    .toBuffer();
  // A copy of its own: a view into a larger buffer would travel with that whole buffer, and pdf-lib reads `.buffer`.
  return { data: new Uint8Array(data), width: image.width, height: image.height, pageWidth: image.width, pageHeight: image.height };
}

export async function toJpeg(image: RgbImage, maxSide: number): Promise<RenderedImage> {
  const scale = Math.min(1, maxSide / Math.max(image.width, image.height));
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const { data, info } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(width, height, { fit: 'fill', kernel: 'lanczos3' })
    .jpeg({ quality: QUALITY, mozjpeg: false })
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height, pageWidth: image.width, pageHeight: image.height };
}
