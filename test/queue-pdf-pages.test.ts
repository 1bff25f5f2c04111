/**
 * What the queue asks the workers for, without the models: a fake recogniser records each page request. A PDF's
 * pages get the per-page decision (probe text × PDF mode), also after a retry with some pages stored (the probe is
 * stored too, so it is not asked again); a hot folder's languages and autoRotate reach every page's options.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { jobSettingsSchema, type JobSettingsInput } from '../app/common/job-settings.ts';
import type { PageOptions, PdfPageText, ProbeResult, RenderedImage } from '../app/common/worker-protocol.ts';
import { parseWatchCommand } from '../app/main/cli/watch-options.ts';
import { HotFolder } from '../app/main/hotfolder/hot-folder.ts';
import { resolveWatchSettings } from '../app/main/hotfolder/watch-settings.ts';
import type { PageRecogniser, RecognisedPage } from '../app/main/pool/worker-pool.ts';
import { Store } from '../app/main/store/store.ts';
import { tempDir } from './helpers.ts';
import { addJob, newQueue } from './queue-fixtures.ts';

const TEXTS: readonly PdfPageText[] = ['none', 'none', 'none', 'ocr-layer', 'none', 'visible'];

/** Probes every file as a 6-page PDF with {@link TEXTS}; records page requests; fails page `failAt` once. */
class FakePdfPool implements PageRecogniser {
  readonly calls: { page: number; options: PageOptions | undefined }[] = [];
  probes = 0;
  failAt: number | undefined;
  probe(): Promise<ProbeResult> {
    this.probes++;
    return Promise.resolve({ format: 'pdf', pages: TEXTS.length, width: 100, height: 100, bytes: 1, pdf: { pages: TEXTS.map((text) => ({ width: 72, height: 72, text })) } });
  }
  recognisePage(_file: string, page: number, options?: PageOptions): Promise<RecognisedPage> {
    if (page === this.failAt) {
      this.failAt = undefined;
      return Promise.reject(new Error('boom'));
    }
    this.calls.push({ page, options });
    const ocr = options?.pdf?.ocr ?? true;
    const timings = { decodeMs: 0, detectMs: 0, classifyMs: 0, recogniseMs: 0, layoutMs: 0 };
    return Promise.resolve({ page: { index: page, width: 10, height: 10, orientation: 0, lines: [], blocks: [], pdf: { transform: [1, 0, 0, 1, 0, 0], ocr } }, timings });
  }
  renderPage(): Promise<RenderedImage> {
    return Promise.reject(new Error('not used'));
  }
  ocred(): number[] {
    return this.calls.filter((c) => c.options?.pdf?.ocr).map((c) => c.page).sort((a, b) => a - b);
  }
}

describe('queue: PDF pages and page options', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let file: string;
  before(async () => {
    ({ dir, cleanup } = await tempDir('queue-pdf-pages'));
    file = path.join(dir, 'doc.pdf');
    await writeFile(file, '%PDF-1.4 not really read by the fake');
  });
  after(() => cleanup());

  const run = async (name: string, settings: JobSettingsInput, pool = new FakePdfPool()) => {
    const store = Store.inDir(path.join(dir, name));
    const queue = newQueue(store, pool);
    await queue.start();
    const job = addJob(queue, [{ path: file, outputBase: path.join(dir, `${name}-out`, 'doc.pdf') }], settings);
    await queue.idle();
    const state = store.job(job)?.state;
    await queue.close();
    store.close();
    return { pool, state };
  };
  const base: JobSettingsInput = { formats: ['json'], languages: ['en'] };

  it('each mode OCRs the pages a batch would; kept pages are asked for their own text at 300 dpi', async () => {
    for (const [mode, want] of [
      [undefined, [0, 1, 2, 4]],
      ['skip', [0, 1, 2, 4]],
      ['redo', [0, 1, 2, 3, 4]],
      ['force', [0, 1, 2, 3, 4, 5]],
    ] as const) {
      const { pool, state } = await run(`mode-${mode ?? 'default'}`, { ...base, pdfMode: mode });
      assert.equal(state, 'done', String(mode));
      assert.deepEqual(pool.ocred(), want, String(mode));
      assert.equal(pool.calls.length, TEXTS.length, 'every page is asked for: kept pages give their text');
      for (const c of pool.calls) assert.equal(c.options?.pdf?.dpi, 300);
    }
  });

  it('after a failed page, a retry applies the same decision to the pages left, from the stored probe', async () => {
    const data = path.join(dir, 'retry');
    const pool = new FakePdfPool();
    pool.failAt = 2;
    const store = Store.inDir(data);
    const queue = newQueue(store, pool, { concurrency: 1 });
    await queue.start();
    const job = addJob(queue, [{ path: file, outputBase: path.join(dir, 'retry-out', 'doc.pdf') }], { ...base, pdfMode: 'skip' });
    await queue.idle();
    assert.equal(store.job(job)?.state, 'failed');
    const stored = store.pages(1).size;
    pool.calls.length = 0;
    queue.retry(job);
    await queue.idle();
    assert.equal(store.job(job)?.state, 'done');
    assert.equal(pool.probes, 1, 'the probe is stored with the document');
    assert.equal(pool.calls.length, TEXTS.length - stored);
    for (const c of pool.calls) assert.equal(c.options?.pdf?.ocr, c.page !== 3 && c.page !== 5, `page ${c.page}`);
    await queue.close();
    store.close();
  });

  it('a watch folder passes --lang/OCR_DESK_LANG, --no-rotate and --pdf-mode to every page', async () => {
    const folder = path.join(dir, 'watched');
    await mkdir(folder);
    const command = parseWatchCommand([folder, '--out', path.join(dir, 'watched-out'), '--no-rotate', '--pdf-mode', 'force', '--stable-ms', '0'], { OCR_DESK_LANG: 'en,zh' });
    const pool = new FakePdfPool();
    const store = Store.inDir(path.join(dir, 'watch-data'));
    const queue = newQueue(store, pool);
    const hot = new HotFolder({ store, queue, settings: resolveWatchSettings(command.settings) });
    await queue.start();
    await hot.start();
    await writeFile(path.join(folder, 'in.pdf'), '%PDF-1.4 fake');
    await hot.scanNow();
    await hot.scanNow();
    await queue.idle();
    assert.equal(pool.calls.length, TEXTS.length);
    for (const c of pool.calls) {
      assert.deepEqual(c.options?.languages, ['en', 'zh']);
      assert.equal(c.options?.autoRotate, false);
      assert.equal(c.options?.pdf?.ocr, true, 'force');
    }
    await hot.close();
    await queue.close();
    store.close();
  });

  it('settings: pdf is an output format; an unknown PDF mode is refused', () => {
    assert.doesNotThrow(() => jobSettingsSchema.parse({ ...base, formats: ['txt', 'pdf'] }));
    assert.throws(() => resolveWatchSettings({ folder: 'a', out: 'b', pdfMode: 'sometimes' as 'skip' }), /Expected `pdfMode` to be one of skip, force, redo, got `"sometimes"`/);
  });
});
