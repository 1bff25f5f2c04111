/**
 * Hot-folder intake on real files and a real store, with the queue paused (so no model is loaded): what is taken,
 * when, and never twice — also across a restart, for folders moved in whole, and in polling mode.
 */
import assert from 'node:assert/strict';
import { appendFile, mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HotFolder } from '../app/main/hotfolder/hot-folder.ts';
import { resolveWatchSettings, type WatchSettingsInput } from '../app/main/hotfolder/watch-settings.ts';
import type { JobQueue } from '../app/main/queue/queue.ts';
import type { Store } from '../app/main/store/store.ts';
import { waitFor } from './helpers.ts';
import { pausedQueue } from './queue-fixtures.ts';

const STABLE_MS = 300;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('HotFolder intake', () => {
  let dir: string;
  let store: Store;
  let queue: JobQueue;
  let close: () => Promise<void>;
  before(async () => ({ dir, store, queue, close } = await pausedQueue('hot')));
  after(() => close());

  const folder = (name: string) => path.join(dir, name);
  const taken = (watched: string) =>
    (store.db.prepare('SELECT j.path FROM journal j JOIN watch_folders w ON w.id = j.watch_id WHERE w.path = ? ORDER BY j.path').all(folder(watched)) as { path: string }[]).map((r) =>
      path.relative(folder(watched), r.path),
    );
  const hotFolder = (watched: string, extra: Partial<WatchSettingsInput> = {}) =>
    new HotFolder({ store, queue, settings: resolveWatchSettings({ folder: folder(watched), out: folder(`${watched}-out`), stableMs: STABLE_MS, ...extra }) });

  it('takes complete images only once they are stable, and never temporary, partial, hidden or non-image names', async () => {
    await mkdir(path.join(folder('a'), 'sub', '.cache'), { recursive: true });
    for (const name of ['ok.png', 'sub/deep.jpg', '~$lock.png', 'dl.png.part', 'dl2.png.crdownload', 'x.tmp', '.hidden.png', 'notes.txt', 'sub/.cache/c.png']) {
      await writeFile(path.join(folder('a'), name), 'data');
    }
    const hot = hotFolder('a');
    await hot.start();
    assert.deepEqual(taken('a'), [], 'nothing is taken on first sight');
    await sleep(STABLE_MS + 50);
    await hot.scanNow();
    assert.deepEqual(taken('a'), ['ok.png', 'sub/deep.jpg']);

    // A file still growing is not taken until it has stopped changing for stableMs.
    const growing = path.join(folder('a'), 'growing.png');
    await writeFile(growing, 'x');
    for (let i = 0; i < 6; i++) {
      await hot.scanNow();
      await sleep(STABLE_MS / 2);
      await appendFile(growing, 'more');
    }
    await hot.scanNow();
    assert.ok(!taken('a').includes('growing.png'));
    await sleep(STABLE_MS + 50);
    await hot.scanNow();
    assert.ok(taken('a').includes('growing.png'));
    const row = store.db.prepare("SELECT size FROM journal WHERE path LIKE '%growing.png'").get() as { size: number };
    assert.equal(row.size, 1 + 6 * 4, 'taken at its final size');

    // Scanning again takes nothing twice.
    await sleep(STABLE_MS + 50);
    await hot.scanNow();
    assert.equal(taken('a').length, 3);
    await hot.close();
  });

  it('after a restart: files that arrived while closed are taken, the others are not taken again; a folder moved in whole is taken', async () => {
    const first = hotFolder('b');
    await mkdir(folder('b'), { recursive: true });
    await writeFile(path.join(folder('b'), 'one.png'), '1');
    await first.start();
    await sleep(STABLE_MS + 50);
    await first.scanNow();
    assert.deepEqual(taken('b'), ['one.png']);
    await first.close();

    await writeFile(path.join(folder('b'), 'two.png'), '2'); // while closed
    const second = hotFolder('b');
    await second.start();
    await mkdir(path.join(dir, 'staging', 'scans', 'inner'), { recursive: true });
    await writeFile(path.join(dir, 'staging', 'scans', 'three.png'), '3');
    await writeFile(path.join(dir, 'staging', 'scans', 'inner', 'four.png'), '4');
    await rename(path.join(dir, 'staging', 'scans'), path.join(folder('b'), 'scans'));
    // Found by the change notification for the folder (the rescan interval is 30 s), once stable.
    await waitFor(() => (taken('b').length === 4 ? true : undefined), 10_000, 'the moved-in folder to be taken');
    assert.deepEqual(taken('b'), ['one.png', 'scans/inner/four.png', 'scans/three.png', 'two.png']);
    await second.close();
  });

  it('polling mode finds new files without change notifications', async () => {
    await mkdir(folder('c'), { recursive: true });
    const hot = hotFolder('c', { pollMs: 100 });
    await hot.start();
    await writeFile(path.join(folder('c'), 'polled.png'), 'p');
    await waitFor(() => (taken('c').length === 1 ? true : undefined), 10_000, 'the polled file to be taken');
    assert.deepEqual(taken('c'), ['polled.png']);
    await hot.close();
  });

  it('include and exclude patterns, and no recursion', async () => {
    await mkdir(path.join(folder('d'), 'sub'), { recursive: true });
    for (const name of ['a.png', 'b.jpg', 'skip-me.png', 'sub/c.png']) await writeFile(path.join(folder('d'), name), name);
    const hot = hotFolder('d', { include: ['*.png'], exclude: ['skip-*'], recursive: false });
    await hot.start();
    await sleep(STABLE_MS + 50);
    await hot.scanNow();
    assert.deepEqual(taken('d'), ['a.png']);
    await hot.close();
  });
});
