/**
 * What a new user tripped over in hot folders (issue 9), on the real service with real OCR:
 * - a file replaced in the folder: search finds the new words, not the old ones;
 * - a failed file can be tried again: moved back from failed/ by a person, or by the retry command;
 * - a full output disk is not the input's fault: the file stays where it is, no partial set of outputs is left,
 *   the failure says "disk is full", and the file is done once there is space again.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ServiceEvent } from '../app/common/api/events.ts';
import { OcrService } from '../app/main/service/ocr-service.ts';
import { receipts, sharedDir, tempDir, waitFor } from './helpers.ts';

/** Whether this machine lets the tests mount a small tmpfs (root in a container usually may). */
const canMount = (() => {
  try {
    execFileSync('mount', ['--version'], { stdio: 'ignore' });
    return process.getuid?.() === 0;
  } catch {
    return false;
  }
})();

const other = path.join(sharedDir, 'eval', 'sroie-dev', 'images', '020.jpg');

describe('hot folders as a new user uses them', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let service: OcrService;
  const events: ServiceEvent[] = [];
  before(async () => {
    ({ dir, cleanup } = await tempDir('new-user-hot'));
    service = await OcrService.open({ dataDir: path.join(dir, 'data'), commandLine: { workers: 1 }, env: {} });
    service.subscribe((e) => events.push(e));
  });
  after(async () => {
    await service.close();
    await cleanup();
  });

  const activity = (id: number, kind: string, file: string) => events.some((e) => e.type === 'hot-folder-activity' && e.hotFolderId === id && e.activity.kind === kind && e.activity.path === file);
  const count = (id: number, kind: string, file: string) => events.filter((e) => e.type === 'hot-folder-activity' && e.hotFolderId === id && e.activity.kind === kind && e.activity.path === file).length;

  it('a file replaced while watching: search returns the new text for it, not the old', async () => {
    const inDir = path.join(dir, 'replace-in');
    await mkdir(inDir);
    const hot = await service.addHotFolder({ settings: { folder: inDir, out: path.join(dir, 'replace-out'), stableMs: 100 } });
    const file = path.join(inDir, '001.jpg');
    await copyFile(receipts[1]!, file);
    await waitFor(() => (activity(hot.id, 'done', file) ? true : undefined), 120_000, 'the first version to be done');
    const firstText = await readFile(path.join(dir, 'replace-out', '001.jpg.txt'), 'utf8');
    await copyFile(other, file);
    await waitFor(() => (count(hot.id, 'done', file) >= 2 ? true : undefined), 120_000, 'the replacement to be done');
    const secondText = await readFile(path.join(dir, 'replace-out', '001.jpg.txt'), 'utf8');
    const onlyFirst = firstText.match(/[A-Z]{6,}/g)!.find((w) => !secondText.includes(w))!;
    const onlySecond = secondText.match(/[A-Z]{6,}/g)!.find((w) => !firstText.includes(w))!;
    assert.ok(onlyFirst && onlySecond, 'the two receipts have words of their own');
    assert.deepEqual((await service.search({ q: onlyFirst })).hits.filter((h) => h.path === file), [], `"${onlyFirst}" was only in the old version`);
    assert.equal((await service.search({ q: onlySecond })).hits.filter((h) => h.path === file).length, 1, `"${onlySecond}" is in the new version, once`);
  });

  it('a failed file moved back from failed/ is taken again, its stale report removed; the retry command does the same', async () => {
    const inDir = path.join(dir, 'retry-in');
    await mkdir(inDir);
    // A pixel limit no receipt fits: both files fail, for a reason that a change of settings then removes.
    const hot = await service.addHotFolder({ settings: { folder: inDir, out: path.join(dir, 'retry-out'), stableMs: 100, maxPixels: 1000 } });
    const a = path.join(inDir, 'a.jpg');
    const b = path.join(inDir, 'b.jpg');
    await copyFile(receipts[0]!, a);
    await copyFile(receipts[1]!, b);
    await waitFor(() => (activity(hot.id, 'failed', a) && activity(hot.id, 'failed', b) ? true : undefined), 60_000, 'both to fail');
    const failed = path.join(inDir, 'failed');
    assert.deepEqual((await readdir(failed)).sort(), ['a.jpg', 'a.jpg.error.txt', 'b.jpg', 'b.jpg.error.txt']);
    assert.match(await readFile(path.join(failed, 'a.jpg.error.txt'), 'utf8'), /image-too-large/);

    await service.updateHotFolder({ hotFolderId: hot.id, settings: { maxPixels: 100_000_000 } });
    // A person moves a.jpg back (rename keeps its size and mtime: the same journal key as before).
    const before = await stat(path.join(failed, 'a.jpg'));
    await rename(path.join(failed, 'a.jpg'), a);
    assert.equal((await stat(a)).mtimeMs, before.mtimeMs);
    await waitFor(() => (activity(hot.id, 'done', a) ? true : undefined), 120_000, 'a.jpg, moved back, to be done');
    assert.ok(!(await readdir(failed)).includes('a.jpg.error.txt'), 'the stale report is removed');
    // b.jpg by the retry command.
    assert.deepEqual(await service.retryHotFolder({ hotFolderId: hot.id }), { files: 1 });
    await waitFor(() => (activity(hot.id, 'done', b) ? true : undefined), 120_000, 'b.jpg, retried, to be done');
    assert.deepEqual(await readdir(failed), [], 'nothing left in failed/');
    assert.deepEqual((await readdir(path.join(dir, 'retry-out'))).sort(), ['a.jpg.json', 'a.jpg.txt', 'b.jpg.json', 'b.jpg.txt']);
  });

  it('a full output disk: the file stays, no partial outputs, kind output-write with the real cause; done once there is space', { skip: !canMount && 'mounting a tmpfs is not permitted here' }, async () => {
    const inDir = path.join(dir, 'full-in');
    const out = path.join(dir, 'full-out');
    await mkdir(inDir);
    await mkdir(out);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', out]);
    try {
      const hot = await service.addHotFolder({ settings: { folder: inDir, out, stableMs: 100, formats: ['json', 'txt', 'hocr'] } });
      // Fill the disk but for a few KB: the first output fits, the rest of the set does not.
      const filler = path.join(out, 'filler');
      await writeFile(filler, Buffer.alloc(240 * 1024));
      const file = path.join(inDir, 'r.jpg');
      await copyFile(receipts[0]!, file);
      await waitFor(() => (activity(hot.id, 'waiting', file) ? true : undefined), 120_000, 'the file to wait for the output folder');
      const waiting = events.find((e) => e.type === 'hot-folder-activity' && e.activity.kind === 'waiting' && e.activity.path === file);
      assert.ok(waiting?.type === 'hot-folder-activity');
      assert.match(waiting.activity.message ?? '', /disk is full, ENOSPC/);
      assert.doesNotMatch(waiting.activity.message ?? '', /ENOENT/);
      const docs = (await service.listDocuments({ state: 'failed' })).documents.filter((d) => d.path === file);
      assert.equal(docs[0]?.error?.kind, 'output-write');
      assert.ok((await readdir(inDir)).includes('r.jpg'), 'the input stays where it is');
      assert.ok(!(await readdir(inDir)).includes('failed'), 'nothing went to failed/');
      assert.deepEqual((await readdir(out)).sort(), ['filler'], 'no partial set of outputs, and no temporary file');

      await rm(filler);
      await waitFor(() => (activity(hot.id, 'done', file) ? true : undefined), 120_000, 'the file to be done once there is space');
      assert.deepEqual((await readdir(out)).sort(), ['r.jpg.hocr', 'r.jpg.json', 'r.jpg.txt']);
    } finally {
      execFileSync('umount', [out]);
    }
  });

  it('watching a folder that does not exist is refused, and the folder is not created', async () => {
    const missing = path.join(dir, 'typo-in');
    await assert.rejects(service.addHotFolder({ settings: { folder: missing, out: path.join(dir, 'typo-out') } }), { kind: 'invalid-option', message: `The folder to watch, ${missing}, does not exist: create it first, or check the path.` });
    await assert.rejects(stat(missing), { code: 'ENOENT' });
  });
});
