/**
 * Stopping `ocr-desk` through its launcher, as a service manager or `kill` does, on a system Node too old to run
 * TypeScript (/usr/bin/node, Node 20 here): bin/ocr-desk.mjs then runs the CLI in a Node 24 child, and a SIGTERM to
 * the launcher alone must still stop the whole process tree cleanly and release the data folder's lock.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { LOCK_NAME } from '../app/main/store/lock.ts';
import { cliMain, processAlive, receipts, repoRoot, tempDir, waitFor } from './helpers.ts';

const SYSTEM_NODE = '/usr/bin/node';
const launcher = path.join(repoRoot, 'bin', 'ocr-desk.mjs');

/** Why these tests cannot run here, if they cannot: they need Linux's /proc and a Node that cannot strip types. */
function unavailable(): string | undefined {
  if (process.platform !== 'linux') return 'needs /proc';
  if (!existsSync(SYSTEM_NODE)) return `no ${SYSTEM_NODE}`;
  const strips = execFileSync(SYSTEM_NODE, ['-p', 'Boolean(process.features.typescript)'], { encoding: 'utf8' }).trim();
  return strips === 'true' ? `${SYSTEM_NODE} strips types itself, so the launcher starts no child` : undefined;
}
const skip = unavailable();

/** Every process descended from `root` (children, their children, …), from /proc. */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ")".
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const c of children.get(queue.shift()!) ?? []) {
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}

interface Started {
  readonly launcher: ChildProcess;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr: string;
  stdout: string;
}

/** `ocr-desk watch` on a folder holding four receipts, through the launcher on the system Node. */
async function startWatch(dir: string, options: { group?: boolean } = {}): Promise<Started> {
  const inDir = path.join(dir, 'in');
  await mkdir(inDir, { recursive: true });
  for (const i of [0, 1, 2, 3]) await copyFile(receipts[i % 2]!, path.join(inDir, `r${i}.jpg`));
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OCR_DESK_')));
  const child = spawn(SYSTEM_NODE, [launcher, 'watch', inDir, '--out', path.join(dir, 'out'), '--workers', '1', '--threads', '1', '--stable-ms', '50'], {
    env: { ...env, OCR_DESK_DATA_DIR: path.join(dir, 'data') },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so the test can signal the group as a terminal's Ctrl-C does.
    detached: options.group ?? false,
  });
  const started: Started = { launcher: child, exit: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal }))), stderr: '', stdout: '' };
  child.stderr!.setEncoding('utf8').on('data', (t: string) => (started.stderr += t));
  child.stdout!.setEncoding('utf8').on('data', (t: string) => (started.stdout += t));
  return started;
}

/**
 * Waits until the CLI (launcher → Node 24 CLI → worker) holds the lock and has finished its first file, so the
 * others are in flight or queued; returns the process tree.
 */
async function running(s: Started, dataDir: string): Promise<number[]> {
  const pid = s.launcher.pid!;
  return waitFor(
    () => {
      const tree = descendants(pid);
      return tree.length >= 2 && existsSync(path.join(dataDir, LOCK_NAME)) && s.stdout.includes('done ') ? tree : undefined;
    },
    90_000,
    'the CLI and its worker to start and read a first file',
  );
}

async function assertAllGone(pids: readonly number[], dataDir: string): Promise<void> {
  await waitFor(() => (pids.every((p) => !processAlive(p)) ? true : undefined), 10_000, `processes ${pids.filter(processAlive).join(', ')} to end`);
  assert.equal(existsSync(path.join(dataDir, LOCK_NAME)), false, 'the data folder lock is released');
}

describe('ocr-desk launcher on an old system Node, stopped by a signal', { skip }, () => {
  it('SIGTERM to the launcher alone stops the CLI and its workers cleanly, releases the lock and exits 143', async () => {
    const { dir, cleanup } = await tempDir('launcher-term');
    let tree: number[] = [];
    const s = await startWatch(dir);
    try {
      tree = await running(s, path.join(dir, 'data'));
      process.kill(s.launcher.pid!, 'SIGTERM');
      assert.deepEqual(await s.exit, { code: 143, signal: null }, `the CLI's output:\n${s.stderr}`);
      await assertAllGone(tree, path.join(dir, 'data'));
      assert.match(s.stderr, /SIGTERM: stopping/);
    } finally {
      for (const p of [s.launcher.pid!, ...tree]) if (processAlive(p)) process.kill(p, 'SIGKILL');
      await cleanup();
    }
  });

  it('Ctrl-C (SIGINT to the whole process group) is one clean stop, not two: lock released, exit 130', async () => {
    const { dir, cleanup } = await tempDir('launcher-int');
    let tree: number[] = [];
    const s = await startWatch(dir, { group: true });
    try {
      tree = await running(s, path.join(dir, 'data'));
      // The launcher passes its copy on as well: the CLI sees two SIGINTs, which must not count as "quit at once".
      process.kill(-s.launcher.pid!, 'SIGINT');
      assert.deepEqual(await s.exit, { code: 130, signal: null }, `the CLI's output:\n${s.stderr}`);
      await assertAllGone(tree, path.join(dir, 'data'));
    } finally {
      for (const p of [s.launcher.pid!, ...tree]) if (processAlive(p)) process.kill(p, 'SIGKILL');
      await cleanup();
    }
  });
});

describe('ocr-desk batch stopped by SIGTERM', () => {
  it('stops like a first Ctrl-C: summary printed, the job left to resume, exit 143', async () => {
    const { dir, cleanup } = await tempDir('batch-term');
    try {
      await mkdir(path.join(dir, 'in'));
      for (const i of [0, 1, 2, 3]) await copyFile(receipts[i % 2]!, path.join(dir, 'in', `r${i}.jpg`));
      const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OCR_DESK_'))), OCR_DESK_DATA_DIR: path.join(dir, 'data') };
      const child = spawn(process.execPath, [cliMain, path.join(dir, 'in'), '--out', path.join(dir, 'out'), '--workers', '1', '--force'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
      let stderr = '';
      const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
      await new Promise<void>((resolve) => child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t).includes('OCR of 4 files') && resolve()));
      child.kill('SIGTERM');
      assert.equal(await exit, 143, `the CLI's output:\n${stderr}`);
      assert.match(stdout, /^Files: \d ok, \d failed/m);
      assert.match(stdout, /^Interrupted: \d file\(s\) not finished\. Run the same command again to resume\.$/m);
    } finally {
      await cleanup();
    }
  });
});
