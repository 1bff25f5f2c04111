/**
 * Freezes the OCR Desk code for a benchmark. Other people edit app/ while benchmarks run, and every CLI start
 * (and worker start) loads the working tree afresh, so runs could mix versions. The bench therefore copies app/,
 * bin/, models/ and package.json into its temporary folder (node_modules linked) and runs the CLI from that copy.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { assertCliExists, CLI_OVERRIDE, REPO_ROOT } from './ocr-desk.ts';

const FROZEN = ['app', 'bin', 'models', 'package.json'];

export interface FrozenCli {
  /** The CLI entry point to run. */
  cli: string;
  /** Which code it is, for the report. */
  description: string;
}

/** sha256 over the relative paths and contents of every file under dir, in path order. */
async function treeHash(dir: string, paths: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  const files: string[] = [];
  for (const p of paths) {
    const entries = await readdir(path.join(dir, p), { recursive: true, withFileTypes: true }).catch(() => null);
    if (entries === null) files.push(p);
    else for (const e of entries) if (e.isFile()) files.push(path.relative(dir, path.join(e.parentPath, e.name)));
  }
  for (const file of files.sort()) hash.update(`${file}\0`).update(await readFile(path.join(dir, file)));
  return hash.digest('hex').slice(0, 12);
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

export async function freezeCli(tmp: string): Promise<FrozenCli> {
  if (CLI_OVERRIDE) return { cli: CLI_OVERRIDE, description: `\`${CLI_OVERRIDE}\` (BENCH_CLI, run in place)` };
  const root = path.join(tmp, 'ocr-desk');
  const cli = path.join(root, 'bin/ocr-desk.mjs');
  for (const p of FROZEN) await cp(path.join(REPO_ROOT, p), path.join(root, p), { recursive: true });
  await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  const head = git(['rev-parse', '--short', 'HEAD']) || 'unknown commit';
  const dirty = git(['status', '--porcelain', '--', ...FROZEN]) ? ' plus uncommitted changes' : '';
  return { cli, description: `commit ${head}${dirty}; app/, bin/, models/ and package.json copied at the start (content hash ${await treeHash(root, FROZEN)})` };
}

/** Runs `body` with a frozen CLI inside a fresh temporary folder (named `prefix…`), which is removed afterwards. */
export async function withFrozenCli<T>(prefix: string, body: (tmp: string, code: FrozenCli) => Promise<T>): Promise<T> {
  assertCliExists();
  const tmp = await mkdtemp(path.join(os.tmpdir(), prefix));
  try {
    return await body(tmp, await freezeCli(tmp));
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
