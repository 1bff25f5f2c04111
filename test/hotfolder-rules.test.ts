import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { InvalidOptionError } from '../app/common/errors.ts';
import { parseCommandLine } from '../app/main/cli/options.ts';
import { globToRegExp, isIgnoredName, pathFilter } from '../app/main/hotfolder/patterns.ts';
import { StabilityTracker } from '../app/main/hotfolder/stability.ts';
import { resolveWatchSettings } from '../app/main/hotfolder/watch-settings.ts';

test('temporary, partial and hidden names are ignored', () => {
  for (const name of ['~$report.docx', 'scan.jpg.part', 'scan.jpg.crdownload', 'x.tmp', 'X.TMP', '.DS_Store', '.hidden.png', 'a.json.tmp-1234', 'f.partial', 'g.download']) {
    assert.ok(isIgnoredName(name), name);
  }
  for (const name of ['scan.jpg', 'tmp.png', 'part-1.tif', 'a~$b.png']) assert.ok(!isIgnoredName(name), name);
});

test('include and exclude globs', () => {
  assert.ok(globToRegExp('*.jpg').test('A.JPG'));
  assert.ok(!globToRegExp('*.jpg').test('sub/a.jpg'));
  assert.ok(globToRegExp('invoices/**/*.png').test('invoices/2024/03/a.png'));
  assert.ok(globToRegExp('invoices/**/*.png').test('invoices/a.png'));
  const keep = pathFilter(['*.png', 'scans/*.jpg'], ['draft-*']);
  assert.ok(keep('deep/folder/a.png'), 'a pattern without / matches the name anywhere');
  assert.ok(keep('scans/b.jpg'));
  assert.ok(!keep('other/b.jpg'));
  assert.ok(!keep('x/draft-1.png'));
  assert.ok(pathFilter([], [])('anything.tif'));
});

test('a file is stable once its size and mtime are unchanged for stableMs, never on first sight', () => {
  const t = new StabilityTracker(2000);
  assert.equal(t.observe('a', { size: 10, mtimeMs: 1 }, 0), false);
  assert.equal(t.observe('a', { size: 10, mtimeMs: 1 }, 1999), false);
  assert.equal(t.observe('a', { size: 20, mtimeMs: 2 }, 2500), false, 'growth restarts the wait');
  assert.equal(t.observe('a', { size: 20, mtimeMs: 2 }, 4000), false);
  assert.equal(t.observe('a', { size: 20, mtimeMs: 3 }, 4600), false, 'a touch restarts the wait');
  assert.equal(t.stableAt('a'), 6600);
  assert.equal(t.observe('a', { size: 20, mtimeMs: 3 }, 6600), true);
  const zero = new StabilityTracker(0);
  assert.equal(zero.observe('b', { size: 1, mtimeMs: 1 }, 0), false);
  assert.equal(zero.observe('b', { size: 1, mtimeMs: 1 }, 0), true);
  t.forget('a');
  assert.equal(t.size, 0);
});

test('watch settings: defaults, and precise errors', () => {
  const s = resolveWatchSettings({ folder: 'in', out: 'out' });
  assert.deepEqual(
    { ...s, folder: path.basename(s.folder), out: path.basename(s.out) },
    { folder: 'in', out: 'out', formats: ['json', 'txt'], languages: ['en'], autoRotate: true, pdfMode: 'skip', pdfDpi: 300, pdfa: false, maxPixels: 100_000_000, recursive: true, include: [], exclude: [], originals: 'keep', stableMs: 2000, pollMs: 0, rescanMs: 30000, priority: 0 },
  );
  const bad = (input: object, message: string) =>
    assert.throws(() => resolveWatchSettings({ folder: 'in', out: 'out', ...input }), (e: unknown) => e instanceof InvalidOptionError && e.message === message);
  bad({ stableMs: -1 }, 'Expected `stableMs` to be an integer >= 0, got `-1`');
  bad({ originals: 'shred' }, 'Expected `originals` to be one of keep, move, delete, got `"shred"`');
  bad({ pdfMode: 'maybe' }, 'Expected `pdfMode` to be one of skip, force, redo, got `"maybe"`');
  bad({ formats: ['docx'] }, 'Expected `formats` to list one or more of txt, json, hocr, alto, md, csv, pdf, got `["docx"]`');
  bad({ pdfa: true }, 'Invalid `pdfa`: PDF/A is a kind of searchable PDF: add `pdf` to the formats, or leave PDF/A off');
  bad({ out: 'in' }, `Expected \`out\` to be another folder than the watched one, got \`${path.resolve('in')}\``);
});

test('ocr-desk watch and search command lines, with the environment as fallback', () => {
  const cmd = parseCommandLine(['watch', 'in', '--out', 'o', '--originals', 'move', '--poll', '1500', '--exclude', 'a*,b*', '--once'], { OCR_DESK_STABLE_MS: '250', OCR_DESK_DATA_DIR: '/data' });
  assert.equal(cmd.kind, 'watch');
  if (cmd.kind !== 'watch') return;
  assert.equal(cmd.settings.originals, 'move');
  assert.equal(cmd.settings.pollMs, 1500);
  assert.equal(cmd.settings.stableMs, 250);
  assert.deepEqual(cmd.settings.exclude, ['a*', 'b*']);
  assert.equal(cmd.dataDir, path.resolve('/data'));
  assert.equal(cmd.once, true);
  assert.throws(() => parseCommandLine(['watch', 'in', '--out', 'o', '--stable-ms', '-5'], {}), InvalidOptionError);
  assert.throws(() => parseCommandLine(['watch', 'in'], {}), /No output folder/);
  assert.throws(() => parseCommandLine(['watch', 'in', '--out', 'o'], { OCR_DESK_STABLE_MS: 'soon' }), /Expected `OCR_DESK_STABLE_MS` to be an integer >= 0, got `soon`/);
  const search = parseCommandLine(['search', 'total', 'rm', '--limit', '5', '--data-dir', '/d'], {});
  assert.deepEqual(search, { kind: 'search', words: 'total rm', dataDir: path.resolve('/d'), limit: 5, json: false });
  assert.equal(parseCommandLine(['watch', '--help'], {}).kind, 'help');
});
