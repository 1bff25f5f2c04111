/**
 * The service's hot folders around their start and stop, on real files and a real store, with the queue paused (no
 * model is loaded). A folder's start (settling what a crash left, then scanning the whole folder) takes a while:
 * - a document that ends meanwhile settles its original, as one that ends later does (a queue resumed after a crash
 *   finishes documents as the service starts; that event used to be lost, leaving the original in the folder and its
 *   `done` unshown until the next start: found by the kill -9 test of `watch --once`);
 * - a stop meanwhile (the service closing, the folder paused) stops the folder at once (it used to be left running,
 *   its timers keeping a closed service's process alive), and a pause and a resume in a row end as the last asked;
 * - a stop waits for the originals being moved.
 */
import assert from 'node:assert/strict';
import { access, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { HotFolderActivity } from '../app/common/api/resources.ts';
import type { JobQueue } from '../app/main/queue/queue.ts';
import { HotFolders } from '../app/main/service/hot-folders.ts';
import type { Store } from '../app/main/store/store.ts';
import { waitFor } from './helpers.ts';
import { pausedQueue } from './queue-fixtures.ts';

const STABLE_MS = 50;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const exists = (file: string) => access(file).then(() => true, () => false);

let dir: string;
let store: Store;
let queue: JobQueue;
let close: () => Promise<void>;
before(async () => ({ dir, store, queue, close } = await pausedQueue('hot-restart')));
after(() => close());
/** The service's hot folders over the shared store and paused queue; `onActivity` hears what they report. */
const hotFolders = (onActivity: (a: HotFolderActivity) => void = () => undefined) =>
  new HotFolders({ store, queue, jobDefaults: () => ({}), onActivity: (_, a) => onActivity(a), onChange: () => undefined });

test('a document that ends while its hot folder starts settles its original', async () => {
  const inbox = path.join(dir, 'in');
  await mkdir(inbox);
  for (const name of ['a.png', 'b.png']) await writeFile(path.join(inbox, name), name);
  const activity: HotFolderActivity[] = [];
  const folders = (onActivity: (a: HotFolderActivity) => void = () => undefined) => hotFolders((a) => (activity.push(a), onActivity(a)));

  // First run: both files are taken (their documents wait in the paused queue), then the service stops.
  const first = folders();
  const id = await first.add({ folder: inbox, out: path.join(dir, 'out'), stableMs: STABLE_MS, originals: 'move' });
  await sleep(STABLE_MS + 30);
  await first.running(id)!.scanNow();
  const documentOf = (name: string) => (store.db.prepare('SELECT document_id FROM journal WHERE path = ?').get(path.join(inbox, name)) as { document_id: number }).document_id;
  const [a, b] = [documentOf('a.png'), documentOf('b.png')];
  await first.close();

  // While it is down, b's document ended (its original is left to settle at the next start). At the next start,
  // a's document ends just as b's original is dealt with: the folder is then still starting.
  store.finishDocument(b);
  let duringStart: boolean | undefined;
  const second = folders((event) => {
    if (event.kind !== 'done' || event.documentId !== b) return;
    duringStart = second.running(id) === undefined;
    store.finishDocument(a);
    second.onQueueEvent({ type: 'document', jobId: 0, documentId: a, state: 'done', reused: false });
  });
  await second.startAll();
  try {
    assert.equal(duringStart, true, "a's document ended while the folder was starting");
    const settled = (doc: number) => (store.db.prepare('SELECT settled FROM journal WHERE document_id = ?').get(doc) as { settled: number }).settled;
    await waitFor(() => (settled(a) === 1 ? true : undefined), 5_000, "a's original to be settled");
    assert.equal(settled(b), 1);
    for (const name of ['a.png', 'b.png']) {
      assert.equal(await exists(path.join(inbox, 'done', name)), true, `${name} moved to done/`);
      assert.equal(await exists(path.join(inbox, name)), false, `${name} no longer in the inbox`);
    }
    assert.deepEqual(
      activity.filter((e) => e.kind === 'done').map((e) => e.documentId).sort(),
      [a, b].sort(),
      'each shown done once',
    );
  } finally {
    await second.close();
  }
});

test('stopping waits for the originals being moved', async () => {
  const inbox = path.join(dir, 'in2');
  await mkdir(inbox);
  await writeFile(path.join(inbox, 'c.png'), 'c');
  const folders = hotFolders();
  const id = await folders.add({ folder: inbox, out: path.join(dir, 'out2'), stableMs: STABLE_MS, originals: 'move' });
  await sleep(STABLE_MS + 30);
  await folders.running(id)!.scanNow();
  const c = (store.db.prepare('SELECT document_id FROM journal WHERE path = ?').get(path.join(inbox, 'c.png')) as { document_id: number }).document_id;
  store.finishDocument(c);
  // The move to done/ starts here and takes a few file-system calls; the service stops at once.
  folders.onQueueEvent({ type: 'document', jobId: 0, documentId: c, state: 'done', reused: false });
  await folders.close();
  assert.equal((store.db.prepare('SELECT settled FROM journal WHERE document_id = ?').get(c) as { settled: number }).settled, 1, 'settled before the stop returned');
  assert.equal(await exists(path.join(inbox, 'done', 'c.png')), true, 'c.png moved to done/');
});

test('a folder stopped while it starts stays stopped', async () => {
  const inbox = path.join(dir, 'in3');
  await mkdir(inbox);
  const first = hotFolders();
  const id = await first.add({ folder: inbox, out: path.join(dir, 'out3'), stableMs: STABLE_MS });
  await first.close();

  // The service stops (or the folder is paused) before the folder's start is over.
  const second = hotFolders();
  const starting = second.startAll();
  await second.close();
  await starting;
  assert.equal(second.running(id), undefined, 'not running after the stop');
  await writeFile(path.join(inbox, 'late.png'), 'late');
  await sleep(3 * STABLE_MS + 100);
  assert.equal(store.db.prepare('SELECT 1 FROM journal WHERE path = ?').get(path.join(inbox, 'late.png')), undefined, 'a file arriving afterwards is not taken');

  const third = hotFolders();
  try {
    await third.startAll();
    // Paused and resumed at once (two clicks): it ends up running.
    await Promise.all([third.setEnabled(id, false), third.setEnabled(id, true)]);
    assert.ok(third.running(id), 'paused, then resumed: running');
    // The same while the folder still starts, in either order: it ends as the last click asked.
    await third.close();
    for (const last of [true, false]) {
      const fourth = hotFolders();
      await fourth.setEnabled(id, true);
      try {
        const starting = fourth.startAll();
        await Promise.all([fourth.setEnabled(id, !last), fourth.setEnabled(id, last)]);
        await starting;
        assert.equal(fourth.running(id) !== undefined, last, `${last ? 'paused, then resumed' : 'resumed, then paused'} as it started`);
        assert.equal(fourth.info(id).state, last ? 'watching' : 'paused');
      } finally {
        await fourth.close();
      }
    }
  } finally {
    await third.close();
  }
});
