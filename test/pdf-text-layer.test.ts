/**
 * Text layers that extract as garbage (unmapped glyphs, a byte-swapped Unicode mapping) must not be kept as if they
 * were good: the probe calls them `unusable`, such pages are OCRed even in `skip` mode, and the result and the
 * summary say why. Good text layers (the digital PDFs, multipage.pdf's OCR layer) are still kept.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { documentSchema, type OcrDocument } from '../app/common/result.ts';
import { pdfPageNeedsOcr } from '../app/main/pipeline/pdf-pages.ts';
import { showsVisibleText } from '../app/node/pdf/strip-ocr-layer.ts';
import { closeCached, probePdf } from '../app/worker/pdf.ts';
import { textLayerProblem } from '../app/worker/pdf-text-check.ts';
import { cliMain, repoRoot, sharedPdfs, tempDir } from './helpers.ts';

const run = promisify(execFile);
const cmyk = path.join(sharedPdfs, 'mixed', 'cmyk.pdf');
const noMapping = path.join(sharedPdfs, 'edge', 'truetype_font_nomapping.pdf');

describe('textLayerProblem', () => {
  it('finds byte-swapped, unmapped, private-use and glyph-id text', () => {
    assert.match(textLayerProblem('䴀甀氀 琀 椀 挀 漀氀 漀爀䈀氀 愀挀欀')!, /100% of its characters are byte-swapped \(“䴀甀氀琀椀挀漀氀漀爀䈀氀” for “MulticolorBl”\)/);
    assert.match(textLayerProblem('"7+%-')!, /only 20% of its characters are letters or digits \(“"7\+%-”\)/);
    assert.match(textLayerProblem('\u0019\u0012')!, /100% of its characters are control characters or unmapped glyphs \(“\\u0019\\u0012”\)/);
    assert.match(textLayerProblem('\ue001\ue002\ue003 \ue004 ab')!, /67% of its characters are private-use code points/);
  });

  it('keeps real text: prose, Chinese, tables of numbers, dot leaders, a lone rule', () => {
    for (const good of [
      'Welcome to the meeting of the Cupertino Union School District',
      '性别: 男   年龄: 50岁   送检科室: 住院/门诊号:   采样时间: 2021-06-04 09:00',
      '一 丁 七 万 丈 三 上 下', // U+4E00.. look like byte-swapped ASCII, but only a few of them do
      '$ 1,234.00   - 5.6 %   (12)   [3]',
      'Table of Contents  Heading ............................................ 1',
      '- -',
      '• Liste  • Liste 2',
      '',
    ]) {
      assert.equal(textLayerProblem(good), undefined, good);
    }
  });

  it('sees text drawn in render mode 7 (a clip): it shapes the page, so such a page is replaced by its image', () => {
    const shows = (ops: string) => showsVisibleText(new TextEncoder().encode(ops));
    assert.equal(shows('BT 3 Tr /F1 12 Tf (hidden) Tj ET'), false);
    assert.equal(shows('BT 7 Tr /F1 12 Tf (clip) Tj ET 0 0 1 rg 0 0 100 100 re f'), true);
    assert.equal(shows('q BT 3 Tr (a) Tj ET Q BT (b) Tj ET'), true);
  });

  it('an unusable page is OCRed in every mode, like one without text', () => {
    for (const mode of ['skip', 'redo', 'force'] as const) assert.equal(pdfPageNeedsOcr(mode, 'unusable'), true, mode);
  });
});

describe('probing real PDFs', () => {
  after(() => closeCached());

  it('calls the broken text layers unusable and says why', async () => {
    const kinds = async (file: string) => (await probePdf(file, undefined)).pdf.pages.map((p) => [p.text, p.textProblem]);
    assert.deepEqual(await kinds(cmyk), [['unusable', '100% of its characters are byte-swapped (“䴀甀氀琀椀挀漀氀漀爀䈀氀” for “MulticolorBl”): a broken Unicode mapping']]);
    const [kind, why] = (await kinds(noMapping))[0]!;
    assert.equal(kind, 'unusable');
    assert.match(why ?? '', /letters or digits/);
    assert.equal((await kinds(path.join(sharedPdfs, 'edge', 'type3_font_nomapping.pdf')))[0]![0], 'unusable');
  });

  it('still keeps good text layers: every page of the digital PDFs, multipage.pdf page 4', async () => {
    const digital = path.join(sharedPdfs, 'digital');
    for (const name of (await readdir(digital)).filter((f) => f.endsWith('.pdf'))) {
      const pages = (await probePdf(path.join(digital, name), undefined)).pdf.pages;
      assert.deepEqual([...new Set(pages.map((p) => p.text))], ['visible'], name);
    }
    const multipage = (await probePdf(path.join(sharedPdfs, 'mixed', 'multipage.pdf'), undefined)).pdf.pages.map((p) => p.text);
    assert.deepEqual(multipage, ['none', 'none', 'none', 'ocr-layer', 'none', 'none']);
  });
});

describe('skip mode on PDFs with unusable text layers', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let stdout = '';
  const out = (sub: string, name: string, ext: string) => path.join(dir, 'out', sub, `${name}.${ext}`);
  before(async () => {
    ({ dir, cleanup } = await tempDir('unusable'));
    const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OCR_DESK_'))), OCR_DESK_DATA_DIR: path.join(dir, 'data') };
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, [cliMain, cmyk, noMapping, '--out', path.join(dir, 'out'), '-f', 'json,txt,pdf', '-w', '2', '-t', '1'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'ignore'] });
      child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
      child.on('error', reject);
      child.on('close', resolve);
    });
    assert.equal(code, 0, stdout);
  });
  after(() => cleanup());

  it('OCRs the pages, records why in the result and the summary, and the searchable PDF holds the OCR text only', async () => {
    const cases = [
      { sub: 'mixed', name: 'cmyk', reads: /Multicolor Black[\s\S]*Pure Magenta/, garbage: /䴀甀/ },
      { sub: 'edge', name: 'truetype_font_nomapping', reads: /^Phone$/m, garbage: /"7\+%-/ },
    ];
    for (const c of cases) {
      const doc = documentSchema.parse(JSON.parse(await readFile(out(c.sub, c.name, 'json'), 'utf8'))) as OcrDocument;
      const pdf = doc.pages[0]!.pdf!;
      assert.equal(pdf.ocr, true, `${c.name} is OCRed`);
      assert.equal(pdf.text, 'unusable');
      assert.ok(pdf.textProblem && pdf.textProblem.length > 0);
      assert.match(await readFile(out(c.sub, c.name, 'txt'), 'utf8'), c.reads);
      const extracted = (await run('pdftotext', ['-enc', 'UTF-8', out(c.sub, c.name, 'pdf'), '-'])).stdout;
      assert.match(extracted, c.reads);
      assert.doesNotMatch(extracted, c.garbage, 'the unusable layer is gone from the searchable PDF');
    }
    assert.match(stdout, /^Notes \(2\):$/m);
    assert.match(stdout, /cmyk\.pdf page 1\n {4}its own text layer is unusable, so it was OCRed instead: 100% of its characters are byte-swapped/);
    assert.match(stdout, /truetype_font_nomapping\.pdf page 1\n {4}its own text layer is unusable, so it was OCRed instead: only 20%/);
  });
});
