/**
 * Sizes of the images a PDF page draws, read from the file's objects without decoding any image (pdf-lib), for the
 * worker's pixel-limit guard in pdf.ts.
 */
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream, PDFRef, type PDFObject } from 'pdf-lib';

export interface ImageSize {
  readonly width: number;
  readonly height: number;
  readonly pixels: number;
  /** Decoded size: pixels × components × bits per component ÷ 8. */
  readonly bytes: number;
}

/** Colour components of an image's colour space (3 when unknown). */
function components(doc: PDFDocument, space: PDFObject | undefined): number {
  const cs = space instanceof PDFRef ? doc.context.lookup(space) : space;
  if (cs instanceof PDFName) return cs === PDFName.of('DeviceGray') || cs === PDFName.of('CalGray') ? 1 : cs === PDFName.of('DeviceCMYK') ? 4 : 3;
  if (cs instanceof PDFArray) {
    const family = cs.get(0);
    if (family === PDFName.of('Indexed') || family === PDFName.of('Separation')) return 1;
    if (family === PDFName.of('DeviceN')) return Math.max(1, (cs.lookupMaybe(1, PDFArray)?.size() ?? 3));
    if (family === PDFName.of('ICCBased')) return cs.lookupMaybe(1, PDFRawStream)?.dict.lookupMaybe(PDFName.of('N'), PDFNumber)?.asNumber() ?? 3;
    if (family === PDFName.of('CalGray')) return 1;
  }
  return 3;
}

/**
 * The largest image XObject drawn by each page (forms followed), from a quick pdf-lib parse of the file's bytes,
 * so that a page whose image would decode past the pixel limit is refused before pdf.js decodes it. null when
 * pdf-lib cannot parse a file pdf.js could open: the guard is then skipped rather than failing a readable file.
 */
export async function largestImages(bytes: Uint8Array): Promise<(ImageSize | undefined)[] | null> {
  try {
    const doc = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: false });
    return doc.getPages().map((p) => {
      let best: ImageSize | undefined;
      const seen = new Set<PDFObject>();
      const visit = (resources: PDFDict | undefined, depth: number) => {
        const xobjects = resources?.lookupMaybe(PDFName.of('XObject'), PDFDict);
        if (!xobjects || depth > 8) return;
        for (const [, value] of xobjects.entries()) {
          const target = value instanceof PDFRef ? doc.context.lookup(value) : value;
          if (!(target instanceof PDFRawStream) || seen.has(target)) continue;
          seen.add(target);
          const subtype = target.dict.get(PDFName.of('Subtype'));
          if (subtype === PDFName.of('Image')) {
            const width = target.dict.lookupMaybe(PDFName.of('Width'), PDFNumber)?.asNumber() ?? 0;
            const height = target.dict.lookupMaybe(PDFName.of('Height'), PDFNumber)?.asNumber() ?? 0;
            const mask = target.dict.get(PDFName.of('ImageMask'))?.toString() === 'true';
            const bpc = mask ? 1 : (target.dict.lookupMaybe(PDFName.of('BitsPerComponent'), PDFNumber)?.asNumber() ?? 8);
            const comps = mask ? 1 : components(doc, target.dict.get(PDFName.of('ColorSpace')));
            const size = (width * height * bpc * comps) / 8;
            if (size > (best?.bytes ?? 0)) best = { width, height, pixels: width * height, bytes: size };
          } else if (subtype === PDFName.of('Form')) {
            visit(target.dict.lookupMaybe(PDFName.of('Resources'), PDFDict), depth + 1);
          }
        }
      };
      visit(p.node.Resources(), 0);
      return best;
    });
  } catch {
    return null;
  }
}
