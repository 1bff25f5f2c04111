import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { discoverInputs } from '../app/main/pipeline/discover.ts';
import { commonAncestor, outputBases } from '../app/main/pipeline/output-plan.ts';
import { writeFileAtomic } from '../app/node/atomic-write.ts';
import { tempDir } from './helpers.ts';

describe('discoverInputs', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ dir, cleanup } = await tempDir('discover'));
    await mkdir(path.join(dir, 'in', 'a', 'deep'), { recursive: true });
    await mkdir(path.join(dir, 'in', 'loop'), { recursive: true });
    await mkdir(path.join(dir, 'elsewhere'), { recursive: true });
    for (const f of ['in/x.JPG', 'in/a/b.png', 'in/a/deep/c.TiFf', 'in/a/readme.md', 'in/notes.txt', 'elsewhere/e.webp']) {
      await writeFile(path.join(dir, f), 'x');
    }
    await symlink('..', path.join(dir, 'in', 'loop', 'back')); // loops to in/
    await symlink(path.join(dir, 'elsewhere'), path.join(dir, 'in', 'linked')); // a real folder elsewhere: followed
    await symlink('missing.gif', path.join(dir, 'in', 'gone.gif')); // dangling
    execFileSync('mkfifo', [path.join(dir, 'in', 'pipe.bmp')]);
  });
  after(() => cleanup());

  it('walks folders recursively, following links, refusing loops and special files', async () => {
    const found = await discoverInputs([path.join(dir, 'in')]);
    const rel = (p: string) => path.relative(path.join(dir, 'in'), p);
    assert.deepEqual(found.files.map(rel), ['a/b.png', 'a/deep/c.TiFf', 'linked/e.webp', 'x.JPG']);
    assert.deepEqual(found.skipped.map(rel), ['a/readme.md', 'notes.txt']);
    assert.deepEqual(
      found.failures.map((f) => [rel(f.path), f.error.kind]),
      [
        ['gone.gif', 'input-unreadable'],
        ['loop/back', 'symlink-loop'],
        ['pipe.bmp', 'input-unreadable'],
      ],
    );
    assert.match(found.failures[2]!.error.message, /named pipe \(FIFO\)/);
    assert.deepEqual(found.roots, [path.join(dir, 'in')]);
  });

  it('attempts named files whatever their extension, and reports missing ones', async () => {
    const found = await discoverInputs([path.join(dir, 'in', 'notes.txt'), path.join(dir, 'nope.jpg')]);
    assert.deepEqual(found.files, [path.join(dir, 'in', 'notes.txt')]);
    assert.equal(found.failures[0]?.error.kind, 'input-not-found');
    assert.deepEqual(found.roots, [path.join(dir, 'in')]);
  });

  it('does not descend into excluded folders (the output folder inside the input)', async () => {
    const found = await discoverInputs([path.join(dir, 'in')], { exclude: [path.join(dir, 'in', 'a')] });
    assert.ok(!found.files.some((f) => f.includes(`${path.sep}a${path.sep}`)));
  });
});

describe('outputBases', () => {
  it('mirrors the tree below the common ancestor and keeps extensions only on clashes', () => {
    const files = ['/d/in/a/b.jpg', '/d/in/a/b.png', '/d/in/c.tif', '/d/in/sub/C.TIF', '/d/in/sub/e.jpeg'];
    const out = outputBases(files, ['/d/in'], '/o');
    assert.deepEqual([...out.values()], ['/o/a/b.jpg', '/o/a/b.png', '/o/c', '/o/sub/C', '/o/sub/e']);
  });

  it('uses the folder of file arguments, and the deepest folder shared by all inputs', () => {
    assert.equal(commonAncestor(['/d/in/a', '/d/in/b/c', '/d/in/b']), '/d/in');
    assert.equal(commonAncestor(['/d/in']), '/d/in');
    assert.equal(commonAncestor(['/x', '/y']), '/');
    const out = outputBases(['/d/in/a/one.jpg', '/d/in/b/two.png'], ['/d/in/a', '/d/in/b'], '/o');
    assert.deepEqual([...out.values()], ['/o/a/one', '/o/b/two']);
  });

  it('numbers second-order clashes instead of overwriting', () => {
    const out = outputBases(['/i/a.jpg', '/i/a.png', '/i/a.jpg.png'], ['/i'], '/o');
    assert.equal(new Set(out.values()).size, 3);
  });
});

describe('writeFileAtomic', () => {
  it('creates folders, replaces the file whole and leaves no temporary file', async () => {
    const { dir, cleanup } = await tempDir('atomic');
    try {
      const file = path.join(dir, 'x', 'y', 'r.json');
      await writeFileAtomic(file, 'one');
      await writeFileAtomic(file, 'two');
      assert.equal(await readFile(file, 'utf8'), 'two');
      assert.deepEqual(await readdir(path.dirname(file)), ['r.json']);
    } finally {
      await cleanup();
    }
  });
});
