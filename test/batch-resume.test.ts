/**
 * A batch is a job in the store: killed with SIGKILL (the CLI and its workers) in the middle, the same command
 * resumes it at page granularity and every output is produced exactly once; its documents are found by `search`,
 * from the command line and through the HTTP API of a service on the same data folder; and a second batch run while
 * a service holds the data folder is handed to that service rather than failing on the lock.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { createHttpClient } from '../app/common/api/http-client.ts';
import { documentSchema, documentText } from '../app/common/result.ts';
import { Store } from '../app/main/store/store.ts';
import { cliMain, repoRoot, tempDir } from './helpers.ts';
import { cropSet, sha256 } from './hotfolder-fixtures.ts';
import { serve } from './serve-fixture.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function cli(args: readonly string[], dataDir: string): { exit: Promise<number | null>; pid: number; output: () => string } {
  const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OCR_DESK_'))), OCR_DESK_DATA_DIR: dataDir };
  const child = spawn(process.execPath, [cliMain, ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let text = '';
  child.stdout!.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (text += d.toString()));
  return { exit: new Promise((resolve) => child.on('exit', (code) => resolve(code))), pid: child.pid!, output: () => text };
}

test('a batch killed with SIGKILL mid-run resumes at page granularity; every output exactly once; found by search', { timeout: 300_000 }, async () => {
  const { dir, cleanup } = await tempDir('batch-resume');
  try {
    const inDir = path.join(dir, 'in');
    const outDir = path.join(dir, 'out');
    const dataDir = path.join(dir, 'data');
    await mkdir(inDir);
    const files = await cropSet(24, 1);
    for (const f of files) await writeFile(path.join(inDir, f.name), f.data);
    const args = [inDir, '--out', outDir, '--workers', '1', '--summary-json', path.join(dir, 'summary.json')];

    const first = cli(args, dataDir);
    const outputs = async () => (await readdir(outDir).catch(() => [] as string[])).filter((n) => n.endsWith('.json'));
    const until = Date.now() + 120_000;
    while ((await outputs()).length < 6 && Date.now() < until) await sleep(20);
    process.kill(-first.pid, 'SIGKILL'); // the whole group: the CLI and its OCR workers
    await first.exit;
    const before = new Map<string, { ino: number; mtimeMs: number }>();
    for (const name of await readdir(outDir)) {
      const s = await stat(path.join(outDir, name));
      before.set(name, { ino: s.ino, mtimeMs: s.mtimeMs });
    }
    const doneBefore = (await outputs()).length;
    assert.ok(doneBefore >= 6 && doneBefore < files.length, `killed in the middle (${doneBefore} of ${files.length} done)`);
    let store = Store.inDir(dataDir);
    const pagesBefore = (store.db.prepare('SELECT count(*) AS n FROM pages').get() as { n: number }).n;
    store.close();

    const second = cli(args, dataDir);
    assert.equal(await second.exit, 0, second.output());
    const summary = JSON.parse(await readFile(path.join(dir, 'summary.json'), 'utf8'));
    assert.deepEqual(summary.files, { total: files.length, ok: files.length, failed: 0, skipped: 0, reused: 0, unfinished: 0 });
    assert.match(second.output(), /Resuming: \d+ files were done by an earlier run/);

    // Every output exactly once: one .json and one .txt per input, nothing else; those written before the kill untouched.
    assert.deepEqual((await readdir(outDir)).sort(), files.flatMap((f) => [`${f.name.replace(/\.png$/, '')}.json`, `${f.name.replace(/\.png$/, '')}.txt`]).sort());
    for (const [name, s] of before) {
      const now = await stat(path.join(outDir, name));
      assert.deepEqual({ ino: now.ino, mtimeMs: now.mtimeMs }, s, `${name} was written once`);
    }
    for (const f of files) {
      const base = path.join(outDir, f.name.replace(/\.png$/, ''));
      const doc = documentSchema.parse(JSON.parse(await readFile(`${base}.json`, 'utf8')));
      assert.equal(doc.source.sha256, sha256(f.data));
      assert.equal(await readFile(`${base}.txt`, 'utf8'), documentText(doc));
    }
    // Page granularity: no page recognised twice (the store holds one row per page; pages stored before the kill were kept).
    store = Store.inDir(dataDir);
    try {
      const pages = (store.db.prepare('SELECT count(*) AS n FROM pages').get() as { n: number }).n;
      assert.equal(pages, files.length, 'one stored page per file');
      assert.ok(pagesBefore >= doneBefore);
      const done = store.db.prepare("SELECT document_id, count(*) AS n FROM audit WHERE event = 'document-done' GROUP BY document_id").all() as { n: number }[];
      assert.equal(done.length, files.length);
      assert.ok(done.every((d) => d.n === 1), 'each document finished once');
      assert.equal(store.jobs().length, 1, 'the second run resumed the job rather than adding one');
    } finally {
      store.close();
    }

    // Found by search: from the command line, and through the HTTP API of a service on the same data folder.
    const text = await readFile(path.join(outDir, `${files[0]!.name.replace(/\.png$/, '')}.txt`), 'utf8');
    const word = text.match(/[A-Za-z]{5,}/)?.[0];
    assert.ok(word, text);
    const search = cli(['search', word, '--json'], dataDir);
    assert.equal(await search.exit, 0, search.output());
    assert.ok(search.output().split('\n').some((l) => l.includes(files[0]!.name)), search.output());
    const server = await serve(dataDir);
    try {
      const client = createHttpClient({ baseUrl: server.url, token: server.token });
      const { hits } = await client.search({ q: word });
      assert.ok(hits.some((h) => h.path === path.join(inDir, files[0]!.name)), JSON.stringify(hits));

      // A batch while the service holds the data folder is handed to it (and search through the CLI asks it too).
      await mkdir(path.join(dir, 'more'));
      await writeFile(path.join(dir, 'more', 'extra.png'), (await cropSet(30, 1))[29]!.data);
      const handed = cli([path.join(dir, 'more'), '--out', path.join(dir, 'more-out')], dataDir);
      assert.equal(await handed.exit, 0, handed.output());
      assert.match(handed.output(), new RegExp(`Handing this batch to the OCR Desk running at ${server.url.replace(/\./g, '\\.')}`));
      assert.deepEqual((await readdir(path.join(dir, 'more-out'))).sort(), ['extra.json', 'extra.txt']);
      assert.ok((await client.listJobs()).jobs.length === 2, 'the handed-over batch is a job of the running service');
    } finally {
      server.child.kill('SIGTERM');
      await new Promise((r) => server.child.once('exit', r));
    }
  } finally {
    await cleanup();
  }
});
