/**
 * Searchable PDF output from an {@link OcrDocument} and its source file.
 *
 * - Image inputs: one PDF page per image page, the image at its resolution (JPEG bytes embedded as they are; other
 *   formats losslessly as PNG/Flate), with the invisible text layer over it.
 * - PDF inputs: the original file's objects are copied as they are (pdf-lib keeps stream bytes; nothing is decoded
 *   or re-encoded). Only OCRed pages change: their existing content streams are wrapped in a q/Q pair (two tiny new
 *   streams) and a third new stream draws the text layer; the font goes into their resources. Each OCRed page keeps
 *   one text layer, the OCR's: an earlier invisible layer is removed first (`redo`, and `force` on such pages: see
 *   strip-ocr-layer.ts), and a page with visible text of its own (`force`) has its content replaced by an image of
 *   itself (see rasterize-page.ts for why, and the trade-off).
 * - `pdfa`: PDF/A-2b metadata: XMP (pdfaid part 2, conformance B), an sRGB output intent, a document ID.
 *
 * The text layer is set in the GlyphLessFont (glyphless-font.ts): Type0, Identity-H, a CIDFontType2 descendant
 * whose CIDs all map to one empty glyph, and a ToUnicode CMap, so every character the models produce is searchable.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFRawStream,
  PDFRef,
  PDFString,
  decodePDFRawStream,
  type PDFContext,
  type PDFPage,
} from 'pdf-lib';
import sharp from 'sharp';
import { CorruptPdfError, OcrDeskError, PdfOutputError } from '../../common/errors.ts';
import type { OcrDocument, OcrPage } from '../../common/result.ts';
import { ASCENT, DESCENT, FONT_NAME, glyphLessFont } from './glyphless-font.ts';
import type { PageRenderer } from './rasterize-page.ts';
import { showsVisibleText, stripInvisibleText } from './strip-ocr-layer.ts';
import { CidMap, cidToGidMap, textLayer, toUnicodeCMap } from './text-layer.ts';

export interface SearchablePdfOptions {
  /** The file the document was recognised from (image or PDF). */
  readonly source: string;
  /** Write PDF/A-2b. @default false */
  readonly pdfa?: boolean;
  /** sRGB ICC profile for PDF/A's output intent. @default the first of {@link ICC_PROFILE_PATHS} that exists */
  readonly iccProfile?: string;
  /** Remove an earlier invisible text layer from the pages that were OCRed (`--pdf-mode redo`). @default false */
  readonly replaceOcrLayer?: boolean;
  /** Fixed creation date (tests, reproducible output). @default now */
  readonly date?: Date;
  /**
   * Renders a page as OCR saw it, for pages whose own text must be replaced by their image (`force` on visible text,
   * unusable text that is shown). The service asks a worker. @default none: such a page fails with PdfOutputError
   */
  readonly renderPage?: PageRenderer;
}

/** Where an sRGB profile is found on Debian/Ubuntu (packages icc-profiles-free, colord, ghostscript). */
export const ICC_PROFILE_PATHS: readonly string[] = [
  '/usr/share/color/icc/sRGB.icc',
  '/usr/share/color/icc/colord/sRGB.icc',
  '/usr/share/color/icc/ghostscript/srgb.icc',
];

const DEFAULT_IMAGE_DPI = 300;

/** The searchable PDF's bytes. Failures are {@link PdfOutputError} or {@link CorruptPdfError}, naming the file. */
export async function writeSearchablePdf(doc: OcrDocument, options: SearchablePdfOptions): Promise<Uint8Array> {
  try {
    return await build(doc, options);
  } catch (error) {
    if (error instanceof OcrDeskError) throw error;
    throw new PdfOutputError(`The searchable PDF of ${options.source} could not be made (${(error as Error).message}).`);
  }
}

async function build(doc: OcrDocument, options: SearchablePdfOptions): Promise<Uint8Array> {
  const bytes = new Uint8Array(await readFile(options.source));
  const isPdf = Buffer.from(bytes.subarray(0, 1024)).includes('%PDF-');
  const out = isPdf ? await loadPdf(options.source, bytes) : await PDFDocument.create({ updateMetadata: false });
  const font = new GlyphLessFont(out.context);

  if (isPdf) {
    const pages = out.getPages();
    for (const page of doc.pages) {
      if (!page.pdf?.ocr) continue;
      const target = pages[page.index];
      if (!target) throw new PdfOutputError(`${options.source} has no page ${page.index + 1} for its text layer.`);
      // Each page ends with one text layer, the OCR's: an earlier invisible layer is removed, and visible text
      // (of its own, or unusable) is replaced with an image of the page (rasterize-page.ts). Unusable text that
      // was invisible only goes like an OCR layer, keeping the page's drawing as it was.
      const text = page.pdf.text;
      if (text === 'visible' || (text === 'unusable' && pageShowsVisibleText(out.context, target))) {
        const { rasterizePage } = await import('./rasterize-page.ts');
        await rasterizePage(out, target, options.source, page, options.renderPage);
      } else if (options.replaceOcrLayer || text === 'ocr-layer' || text === 'unusable') {
        stripPageOcrLayer(out.context, target);
      }
      addTextLayer(out.context, target, page, font, page.pdf.transform);
    }
  } else {
    for (const page of doc.pages) await addImagePage(out, options.source, page, font);
  }
  font.finish();
  if (options.pdfa) await makePdfA(out, doc, options);
  return out.save({ useObjectStreams: !options.pdfa, updateFieldAppearances: false });
}

async function loadPdf(file: string, bytes: Uint8Array): Promise<PDFDocument> {
  try {
    return await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: false });
  } catch (error) {
    if ((error as Error).constructor.name === 'EncryptedPDFError' || /is encrypted/.test((error as Error).message)) {
      throw new PdfOutputError(
        `${file} is encrypted, and OCR Desk cannot write an encrypted PDF back: no searchable PDF was made (the other formats were). ` +
          'Remove the protection (e.g. `qpdf --decrypt --password=… in.pdf out.pdf`) and run it again for a searchable PDF.',
      );
    }
    throw new CorruptPdfError(file, `it cannot be rewritten: ${(error as Error).message}`);
  }
}

/** The Type0 GlyphLessFont objects, shared by all pages; CIDs are collected as pages are written. */
class GlyphLessFont {
  readonly ref: PDFRef;
  readonly cids = new CidMap();
  readonly #context: PDFContext;
  readonly #toUnicode: PDFRef;
  readonly #cidToGid: PDFRef;

  constructor(context: PDFContext) {
    this.#context = context;
    this.ref = context.nextRef();
    this.#toUnicode = context.nextRef();
    this.#cidToGid = context.nextRef();
  }

  finish(): void {
    const c = this.#context;
    const program = glyphLessFont();
    const fontFile = c.flateStream(program, { Length1: program.length });
    const descriptor = c.obj({
      Type: 'FontDescriptor',
      FontName: FONT_NAME,
      Flags: 5, // FixedPitch | Symbolic
      FontBBox: [0, DESCENT, 500, ASCENT],
      ItalicAngle: 0,
      Ascent: ASCENT,
      Descent: DESCENT,
      CapHeight: ASCENT,
      StemV: 80,
      FontFile2: c.register(fontFile),
    });
    const cidFont = c.obj({
      Type: 'Font',
      Subtype: 'CIDFontType2',
      BaseFont: FONT_NAME,
      CIDSystemInfo: { Registry: PDFString.of('Adobe'), Ordering: PDFString.of('Identity'), Supplement: 0 },
      FontDescriptor: c.register(descriptor),
      DW: 500,
      CIDToGIDMap: this.#cidToGid,
    });
    c.assign(this.#cidToGid, c.flateStream(cidToGidMap(this.cids)));
    c.assign(this.#toUnicode, c.flateStream(toUnicodeCMap(this.cids)));
    c.assign(
      this.ref,
      c.obj({
        Type: 'Font',
        Subtype: 'Type0',
        BaseFont: FONT_NAME,
        Encoding: 'Identity-H',
        DescendantFonts: [c.register(cidFont)],
        ToUnicode: this.#toUnicode,
      }),
    );
  }
}

/** Appends the text layer of `page` to `target` (its existing streams are wrapped in q/Q, not touched). */
function addTextLayer(context: PDFContext, target: PDFPage, page: OcrPage, font: GlyphLessFont, transform: readonly number[]): void {
  const name = target.node.newFontDictionary('OcrDeskText', font.ref);
  const ops = textLayer(page, name.asString().slice(1), font.cids, transform);
  if (ops === '') return;
  target.node.addContentStream(context.register(context.flateStream(ops)));
}

async function addImagePage(out: PDFDocument, source: string, page: OcrPage, font: GlyphLessFont): Promise<void> {
  let meta;
  try {
    meta = await sharp(source, { page: page.index, limitInputPixels: false }).metadata();
  } catch (error) {
    throw new PdfOutputError(`The image of ${source} could not be read again for its searchable PDF (${(error as Error).message}).`);
  }
  const dpi = page.dpi ?? (meta.density && meta.density >= 50 && meta.density <= 4800 ? meta.density : DEFAULT_IMAGE_DPI);
  const plainJpeg = meta.format === 'jpeg' && (meta.orientation ?? 1) === 1 && (meta.channels === 3 || meta.channels === 1) && meta.space !== 'cmyk';
  let image;
  if (plainJpeg) {
    image = await out.embedJpg(await readFile(source));
  } else {
    // Lossless: the pixels OCR saw (upright, alpha flattened on white), 8 bits per channel.
    const png = await sharp(source, { page: page.index, limitInputPixels: false })
      .autoOrient()
      .flatten({ background: '#ffffff' })
      .toColourspace(meta.channels === 1 || meta.space === 'b-w' || meta.space === 'grey16' ? 'b-w' : 'srgb')
      .png({ compressionLevel: 6 })
      .toBuffer();
    image = await out.embedPng(png);
  }
  const width = (page.width * 72) / dpi;
  const height = (page.height * 72) / dpi;
  const target = out.addPage([width, height]);
  target.drawImage(image, { x: 0, y: 0, width, height });
  addTextLayer(out.context, target, page, font, [width / page.width, 0, 0, -height / page.height, 0, height]);
}

/** References of a page's content streams. */
function contentRefs(context: PDFContext, target: PDFPage): PDFRef[] {
  const contents = target.node.get(PDFName.of('Contents'));
  const refs: PDFRef[] = [];
  const resolved = contents instanceof PDFRef ? context.lookup(contents) : contents;
  if (resolved instanceof PDFArray) {
    for (let i = 0; i < resolved.size(); i++) {
      const r = resolved.get(i);
      if (r instanceof PDFRef) refs.push(r);
    }
  } else if (contents instanceof PDFRef) {
    refs.push(contents);
  }
  return refs;
}

/**
 * Whether a page draws text visibly: in its content streams or the forms its resources hold (nested up to 8
 * deep). A stream pdf-lib cannot decode counts as showing text, so such a page is replaced by its image.
 */
function pageShowsVisibleText(context: PDFContext, target: PDFPage): boolean {
  const shows = (stream: unknown): boolean => {
    if (!(stream instanceof PDFRawStream)) return false;
    try {
      return showsVisibleText(decodePDFRawStream(stream).decode());
    } catch {
      return true;
    }
  };
  const seen = new Set<PDFRawStream>();
  const formsShow = (resources: PDFDict | undefined, depth: number): boolean => {
    const xobjects = resources?.lookupMaybe(PDFName.of('XObject'), PDFDict);
    if (!xobjects || depth > 8) return false;
    for (const [, value] of xobjects.entries()) {
      const form = value instanceof PDFRef ? context.lookup(value) : value;
      if (!(form instanceof PDFRawStream) || seen.has(form) || form.dict.get(PDFName.of('Subtype')) !== PDFName.of('Form')) continue;
      seen.add(form);
      if (shows(form) || formsShow(form.dict.lookupMaybe(PDFName.of('Resources'), PDFDict), depth + 1)) return true;
    }
    return false;
  };
  return contentRefs(context, target).some((ref) => shows(context.lookup(ref))) || formsShow(target.node.Resources(), 0);
}

/** Removes text drawn only invisibly from a page's content streams (an earlier OCR layer); visible text stays. */
function stripPageOcrLayer(context: PDFContext, target: PDFPage): void {
  for (const ref of contentRefs(context, target)) {
    const stream = context.lookup(ref);
    if (!(stream instanceof PDFRawStream)) continue;
    let decoded: Uint8Array;
    try {
      decoded = decodePDFRawStream(stream).decode();
    } catch {
      continue; // a filter pdf-lib cannot decode: leave the stream as it is
    }
    const stripped = stripInvisibleText(decoded);
    if (stripped !== undefined) context.assign(ref, context.flateStream(stripped));
  }
}

async function makePdfA(out: PDFDocument, doc: OcrDocument, options: SearchablePdfOptions): Promise<void> {
  const iccPath = options.iccProfile ?? ICC_PROFILE_PATHS.find((p) => existsSync(p));
  if (!iccPath) {
    throw new PdfOutputError(
      `PDF/A needs an sRGB ICC profile and none was found (looked for ${ICC_PROFILE_PATHS.join(', ')}). ` +
        'Install one (Debian: `apt-get install icc-profiles-free`) or drop --pdfa.',
    );
  }
  let icc: Uint8Array;
  try {
    icc = new Uint8Array(await readFile(iccPath));
  } catch (error) {
    throw new PdfOutputError(`The ICC profile ${iccPath} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}).`);
  }
  const c = out.context;
  const date = options.date ?? new Date();
  const title = doc.source.name;
  const producer = 'OCR Desk';
  out.setTitle(title);
  out.setProducer(producer);
  out.setCreator(producer);
  out.setCreationDate(date);
  out.setModificationDate(date);
  const iso = date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const xmp = `<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
<pdfaid:part>2</pdfaid:part>
<pdfaid:conformance>B</pdfaid:conformance>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${esc(title)}</rdf:li></rdf:Alt></dc:title>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
<xmp:CreateDate>${iso}</xmp:CreateDate>
<xmp:ModifyDate>${iso}</xmp:ModifyDate>
<xmp:MetadataDate>${iso}</xmp:MetadataDate>
<xmp:CreatorTool>${producer}</xmp:CreatorTool>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
<pdf:Producer>${producer}</pdf:Producer>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
  const metadata = c.stream(new TextEncoder().encode(xmp), { Type: 'Metadata', Subtype: 'XML' });
  out.catalog.set(PDFName.of('Metadata'), c.register(metadata));
  const profile = c.flateStream(icc, { N: 3 });
  const intent = c.obj({
    Type: 'OutputIntent',
    S: 'GTS_PDFA1',
    OutputConditionIdentifier: PDFString.of('sRGB'),
    Info: PDFString.of('sRGB IEC61966-2.1'),
    DestOutputProfile: c.register(profile),
  });
  out.catalog.set(PDFName.of('OutputIntents'), c.obj([c.register(intent)]));
  const id = createHash('md5').update(doc.source.sha256 ?? doc.source.path).update(iso).digest('hex');
  c.trailerInfo.ID = c.obj([PDFHexString.of(id), PDFHexString.of(id)]);
  // PDF/A-2 forbids document-level actions.
  out.catalog.delete(PDFName.of('AA'));
}
