/**
 * Every export format's structure, from a hand-made document (no models): hOCR classes, nesting and title
 * properties; ALTO structure (and the official XSD when OCR_DESK_ALTO_XSD points to a local copy); CSV rows; Markdown
 * paragraphs; and an edit to the model showing up in every format.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { exportDocument, TEXT_FORMATS } from '../app/common/export/index.ts';
import { markdownEscape } from '../app/common/export/markdown.ts';
import { documentSchema, documentText, type OcrDocument } from '../app/common/result.ts';
import { sharedDir, tempDir } from './helpers.ts';
import { sampleDocument } from './sample-document.ts';

const run = promisify(execFile);

const xmllint = async (args: string[]) => run('xmllint', args).then(() => undefined);

describe('exports', () => {
  it('txt is the reading-order text with paragraphs and pages separated', () => {
    const txt = exportDocument(sampleDocument, 'txt');
    assert.equal(txt, documentText(sampleDocument));
    assert.equal(txt, 'Total: <42> & "x"\n# not a heading\n\n中文 测试\n\fa,b c\n');
  });

  it('json is the versioned document', () => {
    const parsed = documentSchema.parse(JSON.parse(exportDocument(sampleDocument, 'json')));
    assert.deepEqual(parsed, sampleDocument);
  });

  it('hOCR is well-formed XHTML with the hOCR 1.2 classes, nesting and properties', async () => {
    const hocr = exportDocument(sampleDocument, 'hocr');
    const { dir, cleanup } = await tempDir('hocr');
    try {
      await writeFile(path.join(dir, 'a.hocr'), hocr);
      await xmllint(['--noout', path.join(dir, 'a.hocr')]);
    } finally {
      await cleanup();
    }
    assert.match(hocr, /<meta name="ocr-capabilities" content="ocr_page ocr_carea ocr_par ocr_line ocrx_word ocrp_wconf"\/>/);
    // Nesting: every element opens inside the one above it.
    const order = [...hocr.matchAll(/class="(ocr_page|ocr_carea|ocr_par|ocr_line|ocrx_word)"/g)].map((m) => m[1]);
    const depth = { ocr_page: 0, ocr_carea: 1, ocr_par: 2, ocr_line: 3, ocrx_word: 4 } as const;
    for (let i = 1; i < order.length; i++) {
      assert.ok(depth[order[i] as keyof typeof depth] <= depth[order[i - 1] as keyof typeof depth] + 1, `${order[i]} after ${order[i - 1]}`);
    }
    assert.equal(order.filter((c) => c === 'ocr_page').length, 2);
    assert.equal(order.filter((c) => c === 'ocr_carea').length, 3);
    assert.equal(order.filter((c) => c === 'ocr_line').length, 4);
    assert.equal(order.filter((c) => c === 'ocrx_word').length, 11);
    for (const m of hocr.matchAll(/class="(\w+)"[^>]*title="([^"]*)"/g)) assert.match(m[2]!, /(^|; )bbox \d+ \d+ \d+ \d+(;|$)/, m[0]);
    const words = [...hocr.matchAll(/<span class="ocrx_word" id="word_\d+_\d+" title="bbox (\d+) (\d+) (\d+) (\d+); x_wconf (\d+)">([^<]*)<\/span>/g)];
    assert.equal(words.length, 11);
    assert.deepEqual(words.map((w) => w[6]).slice(0, 4), ['Total:', '&lt;42&gt;', '&amp;', '&quot;x&quot;']);
    assert.deepEqual(words.map((w) => Number(w[5])).slice(-4), [75, 75, 90, 90]);
    assert.match(hocr, /class="ocr_page" id="page_1" title="image &quot;a &amp; b.png&quot;; bbox 0 0 1000 800; ppageno 0"/);
  });

  it('ALTO 4 has the required structure (and validates against the XSD when one is available)', async (t) => {
    const alto = exportDocument(sampleDocument, 'alto');
    const { dir, cleanup } = await tempDir('alto');
    try {
      const file = path.join(dir, 'a.alto.xml');
      await writeFile(file, alto);
      await xmllint(['--noout', file]);
      // The official schema is not in any package this machine can install; it is used from OCR_DESK_ALTO_XSD or
      // ../shared/schemas/alto-4-4.xsd (with xlink.xsd beside it) when one is provided.
      const shared = path.join(sharedDir, 'schemas', 'alto-4-4.xsd');
      const xsd = process.env.OCR_DESK_ALTO_XSD ?? (existsSync(shared) ? shared : undefined);
      if (xsd) await xmllint(['--noout', '--nonet', '--schema', xsd, file]);
      else t.diagnostic('ALTO XSD validation skipped: no copy of the official schema (set OCR_DESK_ALTO_XSD)');
    } finally {
      await cleanup();
    }
    assert.match(alto, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<alto xmlns="http:\/\/www.loc.gov\/standards\/alto\/ns-v4#"/);
    assert.match(alto, /<Description>\n<MeasurementUnit>pixel<\/MeasurementUnit>/);
    const pages = [...alto.matchAll(/<Page ID="page_(\d+)" PHYSICAL_IMG_NR="\d+" WIDTH="(\d+)" HEIGHT="(\d+)">\n<PrintSpace /g)];
    assert.deepEqual(pages.map((p) => [p[1], p[2], p[3]]), [['1', '1000', '800'], ['2', '600', '400']]);
    assert.equal([...alto.matchAll(/<TextBlock ID="block_\d+_\d+" HPOS="\d+" VPOS="\d+" WIDTH="\d+" HEIGHT="\d+">/g)].length, 3);
    assert.equal([...alto.matchAll(/<TextLine ID="line_\d+_\d+" HPOS="\d+" VPOS="\d+" WIDTH="\d+" HEIGHT="\d+">/g)].length, 4);
    const strings = [...alto.matchAll(/<String ID="word_\d+_\d+" CONTENT="([^"]*)" HPOS="\d+" VPOS="\d+" WIDTH="\d+" HEIGHT="\d+" WC="(0\.\d{3}|1\.000)"\/>/g)];
    assert.equal(strings.length, 11);
    assert.equal([...alto.matchAll(/<SP\/>/g)].length, 11 - 4);
    // IDs are unique (xsd:ID).
    const ids = [...alto.matchAll(/ ID="([^"]+)"/g)].map((m) => m[1]);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('CSV has one row per line with page, box and confidence, quoted where needed', () => {
    const rows = exportDocument(sampleDocument, 'csv').split('\r\n');
    assert.equal(rows[0], 'page,line,block,x1,y1,x2,y2,confidence,text');
    assert.equal(rows.length, 1 + 4 + 1); // header, 4 lines, final empty
    assert.equal(rows[1], '1,1,1,10,10,335,40,0.9000,"Total: <42> & ""x"""');
    assert.equal(rows[3], '1,3,2,10,200,105,230,0.7500,中文 测试');
    assert.equal(rows[4], '2,1,1,10,10,105,40,0.9000,"a,b c"');
  });

  it('Markdown has a paragraph per block and escapes formatting', () => {
    const md = exportDocument(sampleDocument, 'md');
    assert.equal(md, '<!-- page 1 -->\n\nTotal: \\<42\\> & "x" \\# not a heading\n\n中文 测试\n\n---\n\n<!-- page 2 -->\n\na,b c\n');
    assert.equal(markdownEscape('- item'), '\\- item');
    assert.equal(markdownEscape('1. one'), '1\\. one');
  });

  it('an edit to the document shows in every format', () => {
    const page = sampleDocument.pages[0]!;
    const first = page.lines[0]!;
    const edited: OcrDocument = {
      ...sampleDocument,
      pages: [{ ...page, lines: [{ ...first, text: 'Grand Total:', words: [{ ...first.words[0]!, text: 'Grand' }, ...first.words] }, ...page.lines.slice(1)] }, sampleDocument.pages[1]!],
    };
    for (const format of TEXT_FORMATS) {
      assert.ok(exportDocument(edited, format).includes('Grand'), format);
      assert.ok(!exportDocument(sampleDocument, format).includes('Grand'), format);
    }
  });
});
