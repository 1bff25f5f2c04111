/**
 * Crash test: the real `ocr-desk watch` over a 200-file hot folder is killed with SIGKILL (its whole process group,
 * workers included) at random moments, 5 times, and restarted each time; a last run finishes. Then every one of the
 * 200 outputs must be complete and correct (the same pages as a reference OCR of the same pixels), each file must be
 * processed exactly once (one journal row, one `document-done`, one stored page per file; one output per format),
 * and no partial or temporary file may exist.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { documentText, type OcrDocument, type OcrPage } from '../app/common/result.ts';
import { WorkerPool } from '../app/main/pool/worker-pool.ts';
import { Store } from '../app/main/store/store.ts';
import { cropSet, sha256 } from './hotfolder-fixtures.ts';
import { cliMain, repoRoot, tempDir } from './helpers.ts';

const CROPS = 40;
const PER_CROP = 5; // 200 files
const KILLS = 5;
const PAGE_OPTIONS = { autoRotate: true, languages: ['en'] } as const;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const random = (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo + 1));

function start(args: readonly string[]): { child: ChildProcess; exit: Promise<number | null>; output: () => string } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OCR_DESK_')));
  const child = spawn(process.execPath, [cliMain, ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let text = '';
  child.stdout!.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (text += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exit, output: () => text };
}

const jsonCount = async (dir: string) => (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.json')).length;

test('kill -9 at random moments, 5 times: all 200 outputs complete and correct, each file processed exactly once', { timeout: 300_000 }, async (t) => {
  const { dir, cleanup } = await tempDir('crash');
  try {
    const inDir = path.join(dir, 'in');
    const outDir = path.join(dir, 'out');
    const dataDir = path.join(dir, 'data');
    await mkdir(inDir);
    const files = await cropSet(CROPS, PER_CROP);
    // 150 files are there at the first start; 50 arrive while the app is down after the first kill.
    const early = files.slice(0, 150);
    const late = files.slice(150);
    for (const f of early) await writeFile(path.join(inDir, f.name), f.data);

    // Reference OCR of each crop's pixels, once.
    const reference = new Map<number, OcrPage>();
    const pool = new WorkerPool({ workers: 2, threads: 1 });
    try {
      await Promise.all(
        files
          .filter((f) => f.name.endsWith('-e0.png'))
          .map(async (f) => {
            const file = path.join(dir, `ref-${f.name}`);
            await writeFile(file, f.data);
            const { page } = await pool.recognisePage(file, 0, PAGE_OPTIONS);
            reference.set(f.crop, JSON.parse(JSON.stringify(page)) as OcrPage); // as it travels through JSON
          }),
      );
    } finally {
      await pool.close();
    }

    const args = ['watch', inDir, '--out', outDir, '--data-dir', dataDir, '--stable-ms', '100', '--workers', '2', '--threads', '1', '--once'];
    const killedAt: number[] = [];
    for (let k = 0; k < KILLS; k++) {
      const before = await jsonCount(outDir);
      const run = start(args);
      // Kill at a random moment: the first time during start-up, afterwards after a random number of new outputs.
      const target = k === 0 ? 0 : random(3, 25);
      const deadline = Date.now() + (k === 0 ? random(300, 1500) : 60_000);
      let exited = false;
      void run.exit.then(() => (exited = true));
      while (!exited && Date.now() < deadline && (target === 0 || (await jsonCount(outDir)) < before + target)) await sleep(20);
      if (k > 0) await sleep(random(0, 250));
      assert.ok(!exited, `run ${k} ended before it was killed:\n${run.output()}`);
      try {
        process.kill(-run.child.pid!, 'SIGKILL'); // the whole group: the app and its OCR workers
      } catch {
        // it exited in the meantime; the assertion below reports it
      }
      await run.exit;
      assert.ok(!exited || run.child.signalCode === 'SIGKILL', `run ${k} ended before it was killed:\n${run.output()}`);
      killedAt.push(await jsonCount(outDir));
      if (k === 0) for (const f of late) await writeFile(path.join(inDir, f.name), f.data);
    }
    t.diagnostic(`.json outputs present at each SIGKILL: ${killedAt.join(', ')} of ${files.length}`);
    const last = start(args);
    const code = await last.exit;
    assert.equal(code, 0, last.output());
    assert.ok(killedAt[KILLS - 1]! < files.length, `the last kill came before the end (outputs at each kill: ${killedAt.join(', ')})`);

    // Outputs: exactly one .json and one .txt per input, nothing else, each complete and correct.
    const names = (await readdir(outDir)).sort();
    assert.deepEqual(names, files.flatMap((f) => [`${f.name}.json`, `${f.name}.txt`]).sort(), 'no missing, extra, partial or temporary files');
    for (const f of files) {
      const doc = JSON.parse(await readFile(path.join(outDir, `${f.name}.json`), 'utf8')) as OcrDocument;
      assert.equal(doc.source.sha256, sha256(f.data), f.name);
      assert.deepEqual(doc.pages, [reference.get(f.crop)], `${f.name}: same pages as the reference OCR of its pixels`);
      assert.equal(await readFile(path.join(outDir, `${f.name}.txt`), 'utf8'), documentText(doc));
    }

    // Exactly once, by the journal and the store.
    const store = Store.inDir(dataDir);
    try {
      const journal = store.db.prepare('SELECT path, outcome, settled FROM journal').all() as { path: string; outcome: string; settled: number }[];
      assert.equal(journal.length, files.length, 'one journal row per file');
      assert.equal(new Set(journal.map((j) => j.path)).size, files.length);
      const unsettled = journal.filter((j) => j.outcome !== 'done' || j.settled !== 1);
      assert.deepEqual(unsettled, [], 'every original done and settled');
      const done = store.db.prepare("SELECT document_id, count(*) AS n FROM audit WHERE event = 'document-done' GROUP BY document_id").all() as { n: number }[];
      assert.equal(done.length, files.length);
      assert.ok(done.every((d) => d.n === 1), 'each document was finished exactly once');
      assert.equal((store.db.prepare('SELECT count(*) AS n FROM pages').get() as { n: number }).n, files.length, 'each page stored once');
      assert.equal((store.db.prepare("SELECT count(*) AS n FROM documents WHERE state = 'done'").get() as { n: number }).n, files.length);
    } finally {
      store.close();
    }
    // The originals are kept, untouched.
    assert.equal((await readdir(inDir)).length, files.length);
  } finally {
    await cleanup();
  }
});
