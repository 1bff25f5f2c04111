/**
 * The durable queue on real SQLite and real OCR workers: dedupe, pause/resume, cancel/retry, priorities, resuming
 * at page granularity, and completing a document caught between "outputs recorded" and "done".
 */
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { JobSettingsInput } from '../app/common/job-settings.ts';
import type { OcrDocument } from '../app/common/result.ts';
import type { PageOptions, RenderRequest } from '../app/common/worker-protocol.ts';
import { WorkerPool, type CallOptions, type PageRecogniser, type ProbeOptions, type RecognisedPage } from '../app/main/pool/worker-pool.ts';
import type { JobQueue, QueueEvent } from '../app/main/queue/queue.ts';
import { Store } from '../app/main/store/store.ts';
import { cropSet } from './hotfolder-fixtures.ts';
import { tempDir, writeTwoPageTiff } from './helpers.ts';
import { addJob, newQueue } from './queue-fixtures.ts';

/** The real pool, counting the pages it was asked to recognise. */
class CountingPool implements PageRecogniser {
  readonly pool: WorkerPool;
  pages = 0;
  constructor(pool: WorkerPool) {
    this.pool = pool;
  }
  probe(file: string, options?: ProbeOptions) {
    return this.pool.probe(file, options);
  }
  recognisePage(file: string, page: number, options?: PageOptions, call?: CallOptions): Promise<RecognisedPage> {
    this.pages++;
    return this.pool.recognisePage(file, page, options, call);
  }
  renderPage(file: string, page: number, options: RenderRequest, call?: CallOptions) {
    return this.pool.renderPage(file, page, options, call);
  }
}

const settings: JobSettingsInput = { formats: ['json', 'txt'], languages: ['en'] };

describe('JobQueue', () => {
  let pool: WorkerPool;
  let dir: string;
  let cleanup: () => Promise<void>;
  let files: string[];
  before(async () => {
    ({ dir, cleanup } = await tempDir('queue'));
    pool = new WorkerPool({ workers: 2, threads: 1 });
    files = [];
    for (const f of await cropSet(3, 2)) {
      const file = path.join(dir, 'in', f.name);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, f.data);
      files.push(file);
    }
    await writeTwoPageTiff(path.join(dir, 'in', 'two.tif'));
  });
  after(async () => {
    await pool.close();
    await cleanup();
  });

  const docs = (names: string[], out: string) => names.map((p) => ({ path: p, outputBase: path.join(dir, out, path.basename(p)) }));

  it('runs a job to done, then reuses the stored result for identical content at once', async () => {
    const store = Store.inDir(path.join(dir, 'data-dedupe'));
    const counting = new CountingPool(pool);
    const events: QueueEvent[] = [];
    const queue = newQueue(store, counting, { onEvent: (e) => events.push(e) });
    await queue.start();
    const first = addJob(queue, docs([files[0]!], 'out1'), settings);
    await queue.idle();
    assert.equal(store.job(first)?.state, 'done');
    assert.equal(counting.pages, 1);
    // Same bytes under another name, and with another output format: no OCR.
    await writeFile(path.join(dir, 'in', 'copy.png'), await readFile(files[0]!));
    const second = addJob(queue, docs([path.join(dir, 'in', 'copy.png')], 'out2'), { ...settings, formats: ['txt'] });
    await queue.idle();
    assert.equal(store.job(second)?.state, 'done');
    assert.equal(counting.pages, 1, 'identical content and settings reused the stored result');
    assert.ok(events.some((e) => e.type === 'document' && e.jobId === second && e.reused));
    const a = JSON.parse(await readFile(path.join(dir, 'out1', 'c000-e0.png.json'), 'utf8')) as OcrDocument;
    assert.equal(await readFile(path.join(dir, 'out2', 'copy.png.txt'), 'utf8'), await readFile(path.join(dir, 'out1', 'c000-e0.png.txt'), 'utf8'));
    assert.ok(a.pages[0]!.lines.length > 0);
    // Other settings (languages) are another content key: recognised again.
    addJob(queue, docs([files[0]!], 'out3'), { ...settings, languages: ['en', 'zh'] });
    await queue.idle();
    assert.equal(counting.pages, 2);
    assert.ok(store.search(a.pages[0]!.lines[0]!.words[0]!.text).length >= 1);
    await queue.close();
    store.close();
  });

  it('pause and resume the whole queue and one job; an interactive job goes ahead of a hot-folder backlog', async () => {
    const store = Store.inDir(path.join(dir, 'data-pause'));
    const order: number[] = [];
    const queue = newQueue(store, pool, { concurrency: 1, onEvent: (e) => e.type === 'document' && e.state === 'done' && order.push(e.jobId) });
    await queue.pause();
    await queue.start();
    const backlog = addJob(queue, docs(files.slice(0, 3), 'p-hot'), settings, { kind: 'hotfolder' });
    const drop = addJob(queue, docs(files.slice(3, 4), 'p-drop'), settings);
    await queue.idle();
    assert.equal(store.documentCounts(backlog).queued, 3, 'nothing starts while the queue is paused');
    assert.equal(queue.progress().paused, true);
    await queue.pause(backlog);
    queue.resume();
    await queue.idle();
    assert.deepEqual(order, [drop], 'the paused backlog waits; the drop runs');
    assert.equal(store.job(backlog)?.state, 'paused');
    queue.resume(backlog);
    await queue.idle();
    assert.equal(store.job(backlog)?.state, 'done');
    assert.equal(queue.progress().remainingPages, 0);
    assert.throws(() => queue.resume(backlog), /Job \d+ is done/);
    await queue.close();
    store.close();
  });

  it('cancel and retry; a failed file fails its job, and retry after the fix finishes it', async () => {
    const store = Store.inDir(path.join(dir, 'data-cancel'));
    const queue = newQueue(store, pool);
    await queue.pause();
    await queue.start();
    const job = addJob(queue, docs(files.slice(0, 2), 'c-out'), settings);
    await queue.cancel(job);
    assert.equal(store.job(job)?.state, 'cancelled');
    assert.equal(store.documentCounts(job).cancelled, 2);
    queue.resume();
    queue.retry(job);
    await queue.idle();
    assert.equal(store.job(job)?.state, 'done');

    const broken = path.join(dir, 'in', 'broken.png');
    await writeFile(broken, 'not a png at all');
    const bad = addJob(queue, docs([broken, files[2]!], 'c-bad'), settings);
    await queue.idle();
    assert.equal(store.job(bad)?.state, 'failed');
    assert.deepEqual(store.documentCounts(bad), { queued: 0, running: 0, writing: 0, done: 1, failed: 1, cancelled: 0 });
    assert.match(store.documents(bad)[0]!.error_message!, /broken\.png/);
    await writeFile(broken, await readFile(files[2]!));
    queue.retry(bad);
    await queue.idle();
    assert.equal(store.job(bad)?.state, 'done');
    await queue.close();
    store.close();
  });

  it('after a stop mid-document, a restart recognises only the pages not yet stored', async () => {
    const data = path.join(dir, 'data-restart');
    const two = path.join(dir, 'in', 'two.tif');
    let store = Store.inDir(data);
    let queue: JobQueue;
    const stopped = new Promise<void>((resolve) => {
      queue = newQueue(store, pool, {
        concurrency: 1,
        onEvent: (e) => {
          if (e.type === 'page') void queue.close().then(resolve);
        },
      });
    });
    await queue!.start();
    addJob(queue!, [{ path: two, outputBase: path.join(dir, 'r-out', 'two') }], settings);
    await stopped;
    const [doc] = store.documents(1);
    assert.ok(doc && doc.state === 'queued', 'the document went back to the queue');
    const stored = store.pages(doc.id).size;
    assert.ok(stored >= 1 && stored <= 2);
    store.close();

    store = Store.inDir(data);
    const counting = new CountingPool(pool);
    const again = newQueue(store, counting);
    await again.start();
    await again.idle();
    assert.equal(counting.pages, 2 - stored, 'stored pages are not recognised again');
    assert.equal(store.document(doc.id)?.state, 'done');
    const out = JSON.parse(await readFile(path.join(dir, 'r-out', 'two.json'), 'utf8')) as OcrDocument;
    assert.deepEqual(out.pages.map((p) => p.index), [0, 1]);
    await again.close();
    store.close();
  });

  it('a document caught between "outputs recorded" and "done" is completed at start, byte for byte, without OCR', async () => {
    const data = path.join(dir, 'data-writing');
    let store = Store.inDir(data);
    const queue = newQueue(store, pool);
    await queue.start();
    addJob(queue, docs([files[1]!], 'w-out'), settings);
    await queue.idle();
    await queue.close();
    const json = path.join(dir, 'w-out', 'c000-e1.png.json');
    const before = await readFile(json, 'utf8');
    // What a kill -9 during the write leaves: state 'writing', a missing output, a temporary file.
    store.setDocumentState(1, 'writing');
    store.sql("UPDATE journal SET outcome = NULL").run();
    store.close();
    await rm(json);
    await writeFile(`${json}.tmp-99999`, before.slice(0, 10));

    store = Store.inDir(data);
    const counting = new CountingPool(pool);
    const again = newQueue(store, counting);
    await again.start();
    assert.equal(store.document(1)?.state, 'done');
    assert.equal(counting.pages, 0);
    assert.equal(await readFile(json, 'utf8'), before);
    assert.deepEqual((await readdir(path.join(dir, 'w-out'))).sort(), ['c000-e1.png.json', 'c000-e1.png.txt']);
    await again.close();
    store.close();
  });
});
