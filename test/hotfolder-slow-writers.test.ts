/**
 * `.part` name then renamed, or in a folder that is moved in whole), plus one corrupt file. Each file must be taken
 * exactly once and only when complete (its journaled hash is the finished file's), every good file gets its output
 * and is moved to done/, and the corrupt one lands in failed/ with its reason while the others finish.
 */
import assert from 'node:assert/strict';
import { newQueue } from './queue-fixtures.ts';
import { mkdir, open, readdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import type { OcrDocument } from '../app/common/result.ts';
import { HotFolder, type HotFolderEvent } from '../app/main/hotfolder/hot-folder.ts';
import { resolveWatchSettings } from '../app/main/hotfolder/watch-settings.ts';
import { WorkerPool } from '../app/main/pool/worker-pool.ts';
import type { JobQueue } from '../app/main/queue/queue.ts';
import { Store } from '../app/main/store/store.ts';
import { cropSet, sha256 } from './hotfolder-fixtures.ts';
import { tempDir, waitFor } from './helpers.ts';

const CHUNKS = 6;
const PAUSE_MS = 500; // a file takes about 3 s to write
const STABLE_MS = 2000;
const WRITERS = 50;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function slowWrite(file: string, data: Uint8Array): Promise<void> {
  const handle = await open(file, 'w');
  try {
    const step = Math.ceil(data.length / CHUNKS);
    for (let at = 0; at < data.length; at += step) {
      await handle.write(data.subarray(at, at + step));
      await sleep(PAUSE_MS);
    }
  } finally {
    await handle.close();
  }
}

test('300 files from slow writers are each processed once, after they are complete; a corrupt one goes to failed/', { timeout: 240_000 }, async () => {
  const { dir, cleanup } = await tempDir('slow');
  const pool = new WorkerPool({ workers: 2, threads: 1 });
  const store = Store.inDir(path.join(dir, 'data'));
  const events: HotFolderEvent[] = [];
  const settings = resolveWatchSettings({ folder: path.join(dir, 'in'), out: path.join(dir, 'out'), originals: 'move', stableMs: STABLE_MS, formats: ['json'] });
  const queue: JobQueue = newQueue(store, pool, { concurrency: 4, onEvent: (e) => hot.onQueueEvent(e) });
  const hot: HotFolder = new HotFolder({ store, queue, settings, onEvent: (e) => events.push(e) });
  try {
    await mkdir(settings.folder, { recursive: true });
    await queue.start();
    await hot.start();
    const files = await cropSet(60, 5);
    const corrupt = { name: 'corrupt.png', crop: -1, data: Buffer.concat([files[0]!.data.subarray(0, 60), Buffer.alloc(400, 7)]) };
    const staging = path.join(dir, 'staging', 'batch');
    await mkdir(staging, { recursive: true });
    const moved = new Set(files.slice(0, 20).map((f) => f.name));

    // Writers: 20 files into a folder outside that is then moved in whole; the rest in place or as .part + rename.
    const jobs = [...files.map((f, i) => ({ f, i })), { f: corrupt, i: -1 }];
    const writeOne = async ({ f, i }: (typeof jobs)[number]) => {
      if (moved.has(f.name)) return slowWrite(path.join(staging, f.name), f.data);
      const target = path.join(settings.folder, f.name);
      if (i % 3 === 1) {
        await slowWrite(`${target}.part`, f.data);
        await rename(`${target}.part`, target);
      } else await slowWrite(target, f.data);
    };
    const queueOfWrites = [...jobs];
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        for (let next = queueOfWrites.shift(); next; next = queueOfWrites.shift()) await writeOne(next);
      }),
    );
    await rename(staging, path.join(settings.folder, 'batch'));

    const total = files.length + 1;
    await waitFor(() => {
      const rows = store.db.prepare('SELECT count(*) AS n FROM journal WHERE settled = 1').get() as { n: number };
      return rows.n >= total ? true : undefined;
    }, 200_000, 'every file to be processed');

    const journal = store.db.prepare('SELECT path, sha256, outcome FROM journal').all() as { path: string; sha256: string; outcome: string }[];
    assert.equal(journal.length, total, 'one journal row per file: none taken twice');
    assert.equal(new Set(journal.map((j) => j.path)).size, total);
    const byName = new Map(journal.map((j) => [path.basename(j.path), j]));
    for (const f of [...files, corrupt]) assert.equal(byName.get(f.name)?.sha256, sha256(f.data), `${f.name} was taken only once complete`);

    // The corrupt file is in failed/ with its reason; nothing else failed.
    assert.equal(byName.get('corrupt.png')?.outcome, 'failed');
    assert.deepEqual(journal.filter((j) => j.outcome !== 'done').map((j) => path.basename(j.path)), ['corrupt.png']);
    assert.deepEqual((await readdir(path.join(settings.folder, 'failed'))).sort(), ['corrupt.png', 'corrupt.png.error.txt']);
    assert.match(await readFile(path.join(settings.folder, 'failed', 'corrupt.png.error.txt'), 'utf8'), /corrupt\.png.*\n(corrupt-image|unsupported-format): .*corrupt\.png/s);

    // Every good file has its output and was moved to done/; the same pixels gave the same pages.
    const pagesOf = new Map<number, string>();
    for (const f of files) {
      const rel = moved.has(f.name) ? path.join('batch', f.name) : f.name;
      const doc = JSON.parse(await readFile(path.join(settings.out, `${rel}.json`), 'utf8')) as OcrDocument;
      assert.equal(doc.source.sha256, sha256(f.data));
      const pages = JSON.stringify(doc.pages);
      if (pagesOf.has(f.crop)) assert.equal(pages, pagesOf.get(f.crop), `${f.name}: same pixels, same result`);
      else pagesOf.set(f.crop, pages);
      assert.deepEqual(await readFile(path.join(settings.folder, 'done', rel)), f.data);
    }
    assert.deepEqual((await readdir(settings.folder)).sort(), ['batch', 'done', 'failed']);
    assert.deepEqual(await readdir(path.join(settings.folder, 'batch')), [], 'the moved-in folder was emptied into done/batch');
    assert.equal(events.filter((e) => e.type === 'done').length, files.length);
  } finally {
    await hot.close();
    await queue.close();
    await pool.close();
    store.close();
    await cleanup();
  }
});
