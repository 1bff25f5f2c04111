/**
 * Shared test fixtures: where the repository and the shared read-only data are, temporary folders, and image files
 * made at test time (never committed).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const sharedDir = path.resolve(repoRoot, '..', 'shared');
export const sharedPdfs = path.join(sharedDir, 'data', 'pdfs');
/** Whether qpdf is installed (it encrypts PDFs for the password tests; scripts/install-system-packages.sh installs it). */
export const hasQpdf = (() => {
  try {
    execFileSync('qpdf', ['--version']);
    return true;
  } catch {
    return false;
  }
})();
export const receipts = [0, 1].map((i) => path.join(sharedDir, 'eval', 'sroie-dev', 'images', `00${i}.jpg`));
/** A small, fast page (640×480 typewritten text). */
export const phototest = path.join(sharedDir, 'data', 'images', 'phototest.tif');
export const cliMain = path.join(repoRoot, 'app', 'main', 'cli', 'main.ts');

/** A fresh temporary folder, removed by the returned function. */
export async function tempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), `ocr-desk-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A valid, all-black 1-bit greyscale PNG of `width`×`height` pixels, written directly (a 30000×30000 one is about
 * 110 KB and takes a second; having sharp encode it takes minutes).
 */
export async function writeSolidPng(file: string, width: number, height: number): Promise<void> {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 1; // bit depth
  header[9] = 0; // greyscale
  const rows = Buffer.alloc((1 + Math.ceil(width / 8)) * height); // filter byte 0 + zero bits per row
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(rows, { level: 1 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
  await writeFile(file, png);
}

/** A two-page TIFF made of the same page twice. */
export async function writeTwoPageTiff(file: string, page: string = phototest): Promise<void> {
  await sharp([page, page], { join: { animated: true } }).removeAlpha().tiff({ compression: 'lzw' }).toFile(file);
}

/** Polls `check` every 10 ms until it returns a value, or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Whether a process id is still alive. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI with a clean OCR_DESK_* environment plus `env`, and a data folder of its own unless `env` names one. */
export async function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OCR_DESK_')));
  if (!env.OCR_DESK_DATA_DIR) base.OCR_DESK_DATA_DIR = await mkdtemp(path.join(tmpdir(), 'ocr-desk-cli-data-'));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliMain, ...args], { cwd: repoRoot, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
