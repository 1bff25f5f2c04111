/**
 * What a new user tripped over on the command line (issue 9), as real `ocr-desk` processes:
 * - a batch run again reuses what it did (no OCR, outputs untouched), unless the engine is tuned otherwise, and
 *   `--force` redoes it;
 * - a read-only output folder is refused up front with the real cause (EROFS), before any input is read;
 * - small faults: help for every command, `watch` of a folder that does not exist, a file name with a newline,
 *   decoder messages on one line.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { oneLine } from '../app/common/errors.ts';
import { receipts, runCli, tempDir, type CliRun } from './helpers.ts';

function cli(args: readonly string[], dataDir?: string): Promise<CliRun> {
  return runCli(args, dataDir ? { OCR_DESK_DATA_DIR: dataDir } : {});
}

const canMount = process.getuid?.() === 0 && (() => {
  try {
    execFileSync('mount', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('a batch run again', () => {
  it('reuses the stored results of unchanged files without OCR and leaves their outputs alone; --force recognises them again', async () => {
    const { dir, cleanup } = await tempDir('rerun');
    try {
      await mkdir(path.join(dir, 'in'));
      await copyFile(receipts[0]!, path.join(dir, 'in', 'a.jpg'));
      await copyFile(receipts[1]!, path.join(dir, 'in', 'b.jpg'));
      const data = path.join(dir, 'data');
      const args = [path.join(dir, 'in'), '--out', path.join(dir, 'out'), '--summary-json', path.join(dir, 's.json')];
      const first = await cli(args, data);
      assert.equal(first.code, 0, first.stderr);
      const mtime = (await stat(path.join(dir, 'out', 'a.json'))).mtimeMs;

      const again = await cli(args, data);
      assert.equal(again.code, 0, again.stderr);
      const s2 = JSON.parse(await readFile(path.join(dir, 's.json'), 'utf8'));
      assert.equal(s2.files.reused, 2);
      assert.equal(s2.stageTotalsMs.recogniseMs, 0, 'no page was recognised again');
      assert.match(again.stdout, /Reused: 2 file\(s\) unchanged since an earlier run with the same settings \(--force recognises them again\)/);
      assert.equal((await stat(path.join(dir, 'out', 'a.json'))).mtimeMs, mtime, 'an output that already holds its bytes is not rewritten');

      // An engine tuned otherwise does not serve the stored text: the variable is part of the reuse key.
      const tuned = await runCli(args, { OCR_DESK_DATA_DIR: data, OCR_DESK_REC_TRAILING_PAD: '0' });
      assert.equal(tuned.code, 0, tuned.stderr);
      const sTuned = JSON.parse(await readFile(path.join(dir, 's.json'), 'utf8'));
      assert.equal(sTuned.files.reused, 0);
      assert.ok(sTuned.stageTotalsMs.recogniseMs > 0, 'recognised again under OCR_DESK_REC_TRAILING_PAD=0');

      const forced = await cli([...args, '--force'], data);
      assert.equal(forced.code, 0, forced.stderr);
      const s3 = JSON.parse(await readFile(path.join(dir, 's.json'), 'utf8'));
      assert.equal(s3.files.reused, 0);
      assert.ok(s3.stageTotalsMs.recogniseMs > 0, '--force recognised them again');
    } finally {
      await cleanup();
    }
  });
});

describe('output folder problems', () => {
  it('a read-only output folder is refused up front, saying so (EROFS), and nothing is read', { skip: !canMount && 'mounting a tmpfs is not permitted here' }, async () => {
    const { dir, cleanup } = await tempDir('readonly');
    const out = path.join(dir, 'out');
    await mkdir(out);
    await mkdir(path.join(dir, 'in'));
    await copyFile(receipts[0]!, path.join(dir, 'in', 'a.jpg'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', out]);
    try {
      const r = await cli([path.join(dir, 'in'), '--out', out]);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, new RegExp(`${out} could not be written \\(the disk is read-only, EROFS\\)\\. That disk is read-only: choose another output folder\\.`));
      assert.doesNotMatch(r.stderr, /ENOENT|OCR of/);
      assert.deepEqual(await readdir(path.join(dir, 'in')), ['a.jpg'], 'the input is where it was');
    } finally {
      execFileSync('umount', [out]);
      await cleanup();
    }
  });
});

describe('small faults', () => {
  it('help for every command, not "No output folder"', async () => {
    assert.match((await cli(['help'])).stdout, /^Usage:\n {2}ocr-desk <files or folders/);
    const models = await cli(['models']);
    assert.equal(models.code, 0);
    assert.match(models.stdout, /ocr-desk models verify \[dir\]/);
    const frob = await cli(['models', 'frobnicate']);
    assert.equal(frob.code, 2);
    assert.match(frob.stderr, /Unknown command `models frobnicate`/);
    const search = await cli(['search', '--help']);
    assert.match(search.stdout, /ocr-desk search "<words>"/);
    assert.doesNotMatch(search.stdout, /stable-ms/);
    const unknown = await cli(['x', '--out', 'y', '--frob']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^ocr-desk: Unknown option `--frob`\.$/m, 'balanced quotes');
    const pdfa = await cli(['x', '--out', 'y', '--pdfa']);
    assert.equal(pdfa.code, 2);
    assert.match(pdfa.stderr, /--pdfa` makes the searchable PDF a PDF\/A, but no PDF is written/);
  });

  it('watch refuses a folder that does not exist instead of creating it', async () => {
    const { dir, cleanup } = await tempDir('watch-missing');
    try {
      const missing = path.join(dir, 'nonexist');
      const r = await cli(['watch', missing, '--out', path.join(dir, 'out'), '--once', '--pdf-dpi', '200']);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, /The folder to watch, .*nonexist, does not exist: create it first, or check the path\./);
      assert.deepEqual(await readdir(dir), [], 'nothing was created');
    } finally {
      await cleanup();
    }
  });

  it('a file name with a newline is printed escaped; a decoder message is one line', async () => {
    const { dir, cleanup } = await tempDir('names');
    try {
      await mkdir(path.join(dir, 'in'));
      const jpeg = await readFile(receipts[0]!);
      await writeFile(path.join(dir, 'in', 'bad\nname.jpg'), jpeg.subarray(0, jpeg.length >> 1));
      // A JPEG whose header says 65535×65535: past what libvips's JPEG decoder takes.
      const huge = Buffer.from(jpeg);
      const sof = huge.findIndex((b, i) => b === 0xff && (huge[i + 1] === 0xc0 || huge[i + 1] === 0xc2));
      huge.writeUInt16BE(65535, sof + 5);
      huge.writeUInt16BE(65535, sof + 7);
      await writeFile(path.join(dir, 'in', 'huge.jpg'), huge);
      const r = await cli([path.join(dir, 'in'), '--out', path.join(dir, 'out')]);
      assert.equal(r.code, 1);
      const hugeLine = r.stdout.split('\n').find((l) => l.includes('huge.jpg is damaged'))!;
      assert.equal(hugeLine.match(/Maximum supported image dimension is 65500 pixels/g)?.length, 1, `said once, on one line: ${hugeLine}`);
      assert.match(r.stdout, /bad\\nname\.jpg/, 'escaped');
      assert.doesNotMatch(r.stdout + r.stderr, /bad\nname/, 'never raw');
      const failure = r.stdout.split('\n').find((l) => l.includes('corrupt-image'))!;
      assert.ok(failure, r.stdout);
    } finally {
      await cleanup();
    }
    assert.equal(oneLine('VipsJpeg: Premature end of input file\nVipsJpeg: Premature end of input file\n\n  VipsJpeg: Premature end of input file\nvips2png: unable to write'), 'VipsJpeg: Premature end of input file; vips2png: unable to write');
    // What libvips says of a JPEG over its size limit: the same line three times, once inside another.
    const huge = 'Input file has corrupt header: VipsJpeg: Maximum supported image dimension is 65500 pixels\nVipsJpeg: Maximum supported image dimension is 65500 pixels\nVipsJpeg: Maximum supported image dimension is 65500 pixels\n';
    assert.equal(oneLine(huge), 'Input file has corrupt header: VipsJpeg: Maximum supported image dimension is 65500 pixels');
    assert.equal(oneLine('Input file has corrupt header:\n'), 'Input file has corrupt header');
  });
});
