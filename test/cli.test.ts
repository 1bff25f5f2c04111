/**
 * `ocr-desk` end to end, as a real process with real models, on a temporary folder of good and bad inputs.
 *
 * "Unreadable" input: tests run as root here, and root reads a chmod-000 file (or a file in a chmod-000 folder)
 * without trouble, so chmod cannot make a reliably unreadable file. The fixture uses a named pipe (FIFO) with an
 * image extension instead: it is unreadable for every user as an image (opening it would block until a writer
 * appears, so reading it naively would hang the batch). A chmod-000 file is added as well when not running as root.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chmod, copyFile, mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { documentSchema } from '../app/common/result.ts';
import { cliMain, receipts, repoRoot, runCli, tempDir, type CliRun, writeSolidPng, writeTwoPageTiff } from './helpers.ts';

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

describe('ocr-desk on a folder of good and bad files', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let input: string;
  let out: string;
  let run: CliRun;
  let summary: Record<string, unknown> & { failures: { path: string; kind: string; message: string }[] };
  const asRoot = process.getuid?.() === 0;

  before(async () => {
    ({ dir, cleanup } = await tempDir('cli'));
    input = path.join(dir, 'in');
    out = path.join(dir, 'out');
    await mkdir(path.join(input, 'receipts'), { recursive: true });
    await mkdir(path.join(input, 'scans'), { recursive: true });
    await mkdir(path.join(input, 'loop'), { recursive: true });
    await copyFile(receipts[0]!, path.join(input, 'receipts', 'r0.jpg'));
    await copyFile(receipts[1]!, path.join(input, 'receipts', 'R1.JPG'));
    await writeTwoPageTiff(path.join(input, 'scans', 'two-pages.tif'));
    await writeFile(path.join(input, 'empty.jpg'), '');
    const jpeg = await readFile(receipts[0]!);
    await writeFile(path.join(input, 'truncated.jpg'), jpeg.subarray(0, jpeg.length >> 1));
    await writeFile(path.join(input, 'text.png'), 'This is a text file, whatever its name says.\n');
    await writeSolidPng(path.join(input, 'huge.png'), 30000, 30000);
    execFileSync('mkfifo', [path.join(input, 'pipe.jpg')]);
    if (!asRoot) {
      await writeFile(path.join(input, 'locked.jpg'), jpeg);
      await chmod(path.join(input, 'locked.jpg'), 0);
    }
    await symlink('..', path.join(input, 'loop', 'back'));
    await writeFile(path.join(input, 'notes.txt'), 'not an image');
    run = await runCli([input, '--out', out, '--summary-json', path.join(dir, 'summary.json'), '--workers', '2', '--threads', '1']);
    summary = JSON.parse(await readFile(path.join(dir, 'summary.json'), 'utf8'));
  });
  after(() => cleanup());

  it('exits with 1 because some files failed', () => {
    assert.equal(run.code, 1, run.stderr);
  });

  it('writes the machine-readable summary with its fixed fields', () => {
    assert.deepEqual(Object.keys(summary), ['files', 'failures', 'pages', 'elapsedMs', 'pagesPerSecond', 'stageTotalsMs']);
    const failed = asRoot ? 6 : 7;
    assert.deepEqual(summary.files, { total: 3 + failed, ok: 3, failed, skipped: 1, reused: 0, unfinished: 0 });
    assert.equal(summary.pages, 4);
    assert.ok((summary.elapsedMs as number) > 0 && (summary.pagesPerSecond as number) > 0);
    const stages = summary.stageTotalsMs as Record<string, number>;
    assert.deepEqual(Object.keys(stages), ['decodeMs', 'detectMs', 'classifyMs', 'recogniseMs', 'layoutMs']);
    assert.ok(stages.decodeMs! > 0 && stages.detectMs! > 0 && stages.recogniseMs! > 0);
  });

  it('reports each bad file with its specific kind and message', () => {
    const byName = new Map(summary.failures.map((f) => [path.relative(input, f.path), f]));
    const expect: [string, string, RegExp][] = [
      ['empty.jpg', 'input-empty', /empty \(0 bytes\)/],
      ['truncated.jpg', 'corrupt-image', /damaged and cannot be decoded/],
      ['text.png', 'unsupported-format', /not an image OCR Desk can read \(it contains text/],
      ['huge.png', 'image-too-large', /30000×30000 pixels, over the limit of 100,000,000 pixels, so it was not decoded/],
      ['pipe.jpg', 'input-unreadable', /cannot be read \(it is a named pipe \(FIFO\), not a regular file\)/],
      ['loop/back', 'symlink-loop', /loops back into a folder already being read/],
    ];
    if (!asRoot) expect.push(['locked.jpg', 'input-unreadable', /EACCES/]);
    assert.deepEqual([...byName.keys()].sort(), expect.map((e) => e[0]).sort());
    for (const [name, kind, message] of expect) {
      assert.equal(byName.get(name)?.kind, kind, name);
      assert.match(byName.get(name)!.message, message, name);
      assert.ok(byName.get(name)!.message.includes(path.join(input, name)), `${name}: the message names the file`);
    }
  });

  it('writes JSON and text for the good files, mirroring the input tree, and nothing else', async () => {
    assert.deepEqual(await listFiles(out), [
      'receipts/R1.json',
      'receipts/R1.txt',
      'receipts/r0.json',
      'receipts/r0.txt',
      'scans/two-pages.json',
      'scans/two-pages.txt',
    ]);
    const doc = documentSchema.parse(JSON.parse(await readFile(path.join(out, 'receipts', 'r0.json'), 'utf8')));
    assert.equal(doc.source.path, path.join(input, 'receipts', 'r0.jpg'));
    assert.equal(doc.source.name, 'r0.jpg');
    assert.match(doc.source.sha256 ?? '', /^[0-9a-f]{64}$/);
    assert.equal(doc.engine.models, 'ppocr-v4-mobile');
    assert.equal(doc.pages.length, 1);
    assert.ok(doc.pages[0]!.lines.length > 10);
    assert.equal((doc.pages[0] as Record<string, unknown>).timings, undefined, 'timings stay out of the written document');
    assert.equal(doc.version, 2);
    assert.equal(doc.pages[0]!.lines[0]!.id, 'l1');
    const text = await readFile(path.join(out, 'receipts', 'r0.txt'), 'utf8');
    assert.ok(text.trim().split('\n').length > 10, 'the receipt text has many lines');

    const tiff = documentSchema.parse(JSON.parse(await readFile(path.join(out, 'scans', 'two-pages.json'), 'utf8')));
    assert.deepEqual(tiff.pages.map((p) => p.index), [0, 1]);
    const tiffText = await readFile(path.join(out, 'scans', 'two-pages.txt'), 'utf8');
    assert.equal(tiffText.split('\f').length, 2, 'pages separated by a form feed');
    assert.match(tiffText, /quick brown dog/);
  });

  it('prints one line per finished file when not on a terminal, and the summary with every failure', () => {
    // truncated.jpg has a readable header, so its page is counted, then fails to decode.
    assert.match(run.stderr, /^OCR of \d+ files, 5 pages$/m);
    assert.match(run.stderr, /\] ok {5}.*r0\.jpg \(1 page, /);
    assert.match(run.stderr, /\] ok {5}.*two-pages\.tif \(2 pages, /);
    assert.match(run.stderr, /\] FAILED .*huge\.png: image-too-large: /);
    // Files that fail while the batch is probed are counted against its total, which is printed first.
    const header = run.stderr.indexOf('OCR of ');
    const total = Number(/^OCR of (\d+) files/m.exec(run.stderr)![1]);
    const lines = [...run.stderr.matchAll(/^\[(\d+)\/(\d+)\] /gm)];
    assert.ok(lines.length > 0 && lines.every((m) => m.index > header && Number(m[2]) === total && Number(m[1]) <= total), run.stderr);
    assert.match(run.stdout, /^Files: 3 ok, \d failed, 1 skipped \(not images\)$/m);
    assert.match(run.stdout, /^Pages: 4 in [\d.]+ s \([\d.]+ pages\/s\)$/m);
    assert.match(run.stdout, /symlink-loop: .*loop\/back is a symbolic link/);
  });
});

describe('ocr-desk interrupted with Ctrl-C', () => {
  it('stops at once with one line, exits with 130, and the same command resumes the job', async () => {
    const { dir, cleanup } = await tempDir('interrupt');
    try {
      await mkdir(path.join(dir, 'in'));
      for (const i of [0, 1, 2, 3]) await copyFile(receipts[i % 2]!, path.join(dir, 'in', `r${i}.jpg`));
      // Two of the four are the same bytes as two others: reuse would hide the resume, so --force.
      const args = [cliMain, path.join(dir, 'in'), '--out', path.join(dir, 'out'), '--workers', '1', '--force', '--summary-json', path.join(dir, 's.json')];
      const base = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OCR_DESK_'))), OCR_DESK_DATA_DIR: path.join(dir, 'data') };
      const child = spawn(process.execPath, args, { env: base, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      let stdout = '';
      const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
      child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
      // As soon as the pages are counted (OCR has begun), interrupt.
      await new Promise<void>((resolve) =>
        child.stderr.setEncoding('utf8').on('data', (t: string) => {
          stderr += t;
          if (stderr.includes('OCR of 4 files')) resolve();
        }),
      );
      const t = performance.now();
      child.kill('SIGINT');
      assert.equal(await exit, 130);
      // Not a speed check: a generous bound that only a hang (waiting for every page) would exceed.
      assert.ok(performance.now() - t < 20_000, 'it stops without waiting for the remaining pages');
      const summary = JSON.parse(await readFile(path.join(dir, 's.json'), 'utf8'));
      assert.equal(summary.files.ok + summary.files.unfinished, 4);
      assert.ok(summary.files.unfinished >= 3, 'at most the page already running finishes');
      assert.deepEqual(summary.failures, [], 'unfinished files are not failures');
      assert.equal(stdout.match(/Interrupted/g)?.length, 1, `one line about the interruption:\n${stdout}`);
      assert.doesNotMatch(stderr, /cancelled/, 'no line per unfinished file');

      const again = await runCli(args.slice(1), { OCR_DESK_DATA_DIR: path.join(dir, 'data') });
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stderr, /Resuming: \d files? (was|were) done by an earlier run|OCR of 4 files/);
      const resumed = JSON.parse(await readFile(path.join(dir, 's.json'), 'utf8'));
      assert.deepEqual(resumed.files, { total: 4, ok: 4, failed: 0, skipped: 0, reused: 0, unfinished: 0 });
      assert.deepEqual((await readdir(path.join(dir, 'out'))).sort(), ['r0.json', 'r0.txt', 'r1.json', 'r1.txt', 'r2.json', 'r2.txt', 'r3.json', 'r3.txt']);
    } finally {
      await cleanup();
    }
  });
});

describe('ocr-desk on nothing to read', () => {
  it('a folder with no images ends at once with an empty summary, and a missing input is a failure', async () => {
    const { dir, cleanup } = await tempDir('empty');
    try {
      await mkdir(path.join(dir, 'in'));
      const empty = await runCli([path.join(dir, 'in'), '--out', path.join(dir, 'out')]);
      assert.equal(empty.code, 0, empty.stderr);
      assert.match(empty.stdout, /^Files: 0 ok, 0 failed, 0 skipped/m);
      const missing = await runCli([path.join(dir, 'nope'), '--out', path.join(dir, 'out')]);
      assert.equal(missing.code, 1);
      assert.match(missing.stdout, /input-not-found: .*nope does not exist/);
    } finally {
      await cleanup();
    }
  });
});

describe('ocr-desk usage and model errors', () => {
  it('exits with 2 and a clear message for a bad option', async () => {
    const r = await runCli(['somewhere', '--out', 'x', '--workers', '0']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Expected `--workers` to be an integer between 1 and 64, got `0`/);
    assert.match(r.stderr, /ocr-desk --help/);
    const env = await runCli(['somewhere', '--out', 'x'], { OCR_DESK_MAX_PIXELS: 'lots' });
    assert.equal(env.code, 2);
    assert.match(env.stderr, /Expected `OCR_DESK_MAX_PIXELS` to be an integer >= 1, got `lots`/);
  });

  it('verifies, imports, and refuses a corrupt model pack naming the file and its expected sha256', async () => {
    const { dir, cleanup } = await tempDir('models');
    try {
      const pack = path.join(repoRoot, 'models', 'ppocr-v4-mobile');
      const manifest = JSON.parse(await readFile(path.join(pack, 'manifest.json'), 'utf8'));
      // A copy whose dictionary is damaged (the models themselves are linked, not copied).
      const bad = path.join(dir, 'bad');
      await mkdir(bad);
      for (const f of await readdir(pack)) {
        if (f.endsWith('.onnx') || f === 'manifest.json') await symlink(path.join(pack, f), path.join(bad, f));
      }
      const dict = manifest.models.recognition.dictionary;
      await writeFile(path.join(bad, dict.file), 'not the dictionary\n');

      const ok = await runCli(['models', 'verify']);
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stdout, /ppocr-v4-mobile.*all 5 files match their sha256/);

      const verify = await runCli(['models', 'verify', bad]);
      assert.equal(verify.code, 1);
      assert.match(verify.stderr, new RegExp(`${path.join(bad, dict.file)} is corrupt: its sha256 is [0-9a-f]{64}, expected ${dict.sha256}`));

      const ocr = await runCli([dir, '--out', path.join(dir, 'out')], { OCR_DESK_MODELS: bad });
      assert.equal(ocr.code, 2);
      assert.match(ocr.stderr, new RegExp(`${path.join(bad, dict.file)} is corrupt.*expected ${dict.sha256}`));

      const dataDir = path.join(dir, 'data');
      const imported = await runCli(['models', 'import', pack], { OCR_DESK_DATA_DIR: dataDir });
      assert.equal(imported.code, 0, imported.stderr);
      const installed = path.join(dataDir, 'models', 'ppocr-v4-mobile');
      assert.match(imported.stdout, new RegExp(`into ${installed}`));
      assert.ok((await readdir(installed)).includes(dict.file));
    } finally {
      await cleanup();
    }
  });
});
