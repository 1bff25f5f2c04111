/**
 * PDF inputs through the durable queue (the hot-folder path), on real workers: `--pdf-mode skip` OCRs only the
 * pages without text, the searchable PDF is written and keeps the kept page's own text, and a PDF output caught
 * between "outputs recorded" and "done" is completed at start, byte for byte, without OCR.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { JobSettingsInput } from '../app/common/job-settings.ts';
import type { PageOptions, RenderRequest } from '../app/common/worker-protocol.ts';
import { WorkerPool, type CallOptions, type PageRecogniser, type ProbeOptions, type RecognisedPage } from '../app/main/pool/worker-pool.ts';
import { Store } from '../app/main/store/store.ts';
import { sharedDir, tempDir } from './helpers.ts';
import { addJob, newQueue } from './queue-fixtures.ts';

const run = promisify(execFile);
const multipage = path.join(sharedDir, 'data', 'pdfs', 'mixed', 'multipage.pdf');
const hasPdftotext = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const pageText = async (file: string, page: number) => (await run('pdftotext', ['-f', String(page), '-l', String(page), '-layout', file, '-'])).stdout;

/** The real pool, recording which pages it was asked to OCR (rather than to return their own text). */
class RecordingPool implements PageRecogniser {
  readonly pool: WorkerPool;
  readonly ocred: number[] = [];
  readonly kept: number[] = [];
  constructor(pool: WorkerPool) {
    this.pool = pool;
  }
  probe(file: string, options?: ProbeOptions) {
    return this.pool.probe(file, options);
  }
  recognisePage(file: string, page: number, options?: PageOptions, call?: CallOptions): Promise<RecognisedPage> {
    (options?.pdf?.ocr === false ? this.kept : this.ocred).push(page);
    return this.pool.recognisePage(file, page, options, call);
  }
  renderPage(file: string, page: number, options: RenderRequest, call?: CallOptions) {
    return this.pool.renderPage(file, page, options, call);
  }
}

describe('JobQueue with PDF inputs', () => {
  let pool: WorkerPool;
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ dir, cleanup } = await tempDir('queue-pdf'));
    pool = new WorkerPool({ workers: 2, threads: 1 });
  });
  after(async () => {
    await pool.close();
    await cleanup();
  });

  const settings: JobSettingsInput = { formats: ['txt', 'pdf'], languages: ['en'], pdfMode: 'skip' };

  it('skip mode OCRs pages 1-3, 5, 6 only; the searchable PDF keeps page 4 as it was; a crash mid-write is completed byte for byte', { skip: !hasPdftotext && 'pdftotext is not installed' }, async () => {
    const data = path.join(dir, 'data');
    const outBase = path.join(dir, 'out', 'multipage.pdf');
    let store = Store.inDir(data);
    const recording = new RecordingPool(pool);
    const queue = newQueue(store, recording);
    await queue.start();
    const job = addJob(queue, [{ path: multipage, outputBase: outBase }], settings);
    await queue.idle();
    assert.equal(store.job(job)?.state, 'done', store.documents(job)[0]?.error_message ?? '');
    assert.deepEqual([...recording.ocred].sort(), [0, 1, 2, 4, 5]);
    assert.deepEqual(recording.kept, [3]);

    // Both outputs recorded with their sha256, and written.
    const recorded = store.outputs(1);
    assert.deepEqual(recorded.map((o) => [o.format, o.path]), [['pdf', `${outBase}.pdf`], ['txt', `${outBase}.txt`]]);
    const pdf = await readFile(`${outBase}.pdf`);
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    // Page 4 is the source's page untouched (its own text, no second layer); the txt carries it too.
    const original = await pageText(multipage, 4);
    assert.match(original, /Percentage/);
    assert.equal(await pageText(`${outBase}.pdf`, 4), original);
    assert.match(await readFile(`${outBase}.txt`, 'utf8'), /Percentage/);
    // OCRed pages gained a text layer (the source has none there).
    assert.equal((await pageText(multipage, 1)).trim(), '');
    assert.notEqual((await pageText(`${outBase}.pdf`, 1)).trim(), '');

    // Same content and settings elsewhere: the stored result is reused, the PDF made without OCR, same bytes.
    const reuse = addJob(queue, [{ path: multipage, outputBase: path.join(dir, 'again', 'multipage.pdf') }], { ...settings, formats: ['pdf'] });
    await queue.idle();
    assert.equal(store.job(reuse)?.state, 'done');
    assert.equal(recording.ocred.length + recording.kept.length, 6, 'no page was asked for again');
    assert.deepEqual(await readFile(path.join(dir, 'again', 'multipage.pdf.pdf')), pdf);
    await queue.close();

    // What a kill -9 during the write leaves: state 'writing', the PDF missing, a temporary file next to it.
    store.setDocumentState(1, 'writing');
    store.sql('UPDATE journal SET outcome = NULL').run();
    store.close();
    await rm(`${outBase}.pdf`);
    await writeFile(`${outBase}.pdf.tmp-99999`, pdf.subarray(0, 100));
    store = Store.inDir(data);
    const again = new RecordingPool(pool);
    const restarted = newQueue(store, again);
    await restarted.start();
    assert.equal(store.document(1)?.state, 'done');
    assert.equal(again.ocred.length + again.kept.length, 0, 'completed from the stored result');
    assert.deepEqual(await readFile(`${outBase}.pdf`), pdf, 'the same bytes as recorded');
    assert.deepEqual((await readdir(path.dirname(outBase))).sort(), ['multipage.pdf.pdf', 'multipage.pdf.txt']);
    await restarted.close();
    store.close();
  });
});
