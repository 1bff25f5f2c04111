/**
 * What the UI's end-to-end tests stand on: the built UI (rebuilt when its sources are newer), a real
 * `ocr-desk serve` child process on a temporary data folder, real Chromium (the system's, driven by
 * playwright-core), axe-core injected into the page, and screenshots under test-results/screenshots/.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { OcrClient } from '../../app/common/api/client.ts';
import { createHttpClient } from '../../app/common/api/http-client.ts';
import { cliMain, repoRoot } from '../helpers.ts';

export const CHROMIUM = process.env.OCR_DESK_CHROMIUM ?? '/usr/bin/chromium';
export const screenshotDir = path.join(repoRoot, 'test-results', 'screenshots');
const uiDir = path.join(repoRoot, 'dist', 'renderer');

function newestMtime(target: string): number {
  const info = statSync(target);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

/** Builds the UI (`vite build`) unless dist/renderer is newer than everything it is made from. Returns the ms it took. */
export function ensureUiBuilt(): number {
  const index = path.join(uiDir, 'index.html');
  const sources = ['app/renderer', 'app/common', 'vite.config.ts', 'package-lock.json'].map((p) => path.join(repoRoot, p));
  if (existsSync(index) && statSync(index).mtimeMs >= Math.max(...sources.map(newestMtime))) return 0;
  const started = Date.now();
  const vite = path.join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js');
  const run = spawnSync(process.execPath, [vite, 'build', '--config', 'vite.config.ts'], { cwd: repoRoot, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`npm run build:ui failed:\n${run.stdout}\n${run.stderr}`);
  return Date.now() - started;
}

export interface Served {
  /** The address a person opens: it sets the cookie and redirects to the app. */
  readonly openUrl: string;
  readonly baseUrl: string;
  readonly token: string;
  readonly dataDir: string;
  /** The same service, for the test's own checks and its event timings. */
  readonly client: OcrClient;
  stop(): Promise<void>;
}

/** Starts `ocr-desk serve --port 0` on a fresh data folder and waits for the address it prints. */
export async function startServe(args: readonly string[] = ['--workers', '1']): Promise<Served> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ocr-desk-ui-'));
  // Worker processes may still be writing their compile cache as the service exits: retry the removal.
  const cleanup = () => rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  const child: ChildProcess = spawn(process.execPath, [cliMain, 'serve', '--port', '0', ...args], {
    env: { ...process.env, OCR_DESK_DATA_DIR: path.join(dir, 'data') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    await cleanup();
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    const openUrl = out.match(/Open the app: (\S+)/)?.[1];
    const token = out.match(/Authorization: Bearer (\S+)/)?.[1];
    if (openUrl && token) {
      const baseUrl = new URL(openUrl).origin;
      return { openUrl, baseUrl, token, dataDir: path.join(dir, 'data'), client: createHttpClient({ baseUrl, token }), stop };
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`ocr-desk serve did not print its address (exit ${child.exitCode}).\nstdout: ${out}\nstderr: ${err}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: run scripts/install-system-packages.sh (Debian package \`chromium\`), or set OCR_DESK_CHROMIUM.`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

export interface OpenOptions {
  readonly colorScheme?: 'light' | 'dark';
  readonly locale?: string;
  readonly viewport?: { width: number; height: number };
}

/** A fresh browser context (its own cookie jar and IndexedDB) with the app open through the printed address. */
export async function openApp(browser: Browser, served: Served, o: OpenOptions = {}): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({
    colorScheme: o.colorScheme ?? 'light',
    locale: o.locale ?? 'en-US',
    viewport: o.viewport ?? { width: 1280, height: 860 },
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // Failed requests are reported with their address below; the console's copy does not say which.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) {
      errors.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
      // Said on stderr too, with the answer's body, so that a failure of this check shows why the service refused.
      void r.text().then((body) => process.stderr.write(`${r.status()} ${r.url()}: ${body}\n`), () => undefined);
    }
  });
  await page.goto(served.openUrl);
  await page.waitForSelector('.conn-live');
  return { context, page, errors };
}

const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { target: readonly string[]; failureSummary?: string }[];
}

/** Runs axe-core (WCAG 2.1 A and AA rules and best practices) on the page as it is now. */
export async function axe(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol: the page's CSP (script-src 'self') stays on, and does not apply to it.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(await axeSource);
  return page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: AxeViolation[] }> } }).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  });
}

/** The serious and critical violations, in words for a failing assertion. */
export function serious(violations: readonly AxeViolation[]): string[] {
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => `${n.target.join(' ')} (${n.failureSummary ?? ''})`).join('; ')}`);
}

export async function screenshot(page: Page, name: string, fullPage = false): Promise<string> {
  await mkdir(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  return file;
}

/** Switches section by clicking its tab (as a person would) and waits for its panel. */
export async function openTab(page: Page, name: RegExp | string): Promise<void> {
  await page.getByRole('tab', { name }).click();
  await page.waitForSelector('[role=tabpanel]');
}

/**
 * Drops files on an element as a person dragging them from a file manager would: a DataTransfer holding them,
 * then dragenter, dragover and drop events.
 */
export async function dropFiles(page: Page, selector: string, files: readonly string[]): Promise<void> {
  const payload = await Promise.all(files.map(async (f) => ({ name: path.basename(f), base64: (await readFile(f)).toString('base64') })));
  await page.evaluate(
    ({ selector, payload }) => {
      const target = document.querySelector(selector);
      if (!target) throw new Error(`nothing matches ${selector}`);
      const dt = new DataTransfer();
      for (const f of payload) {
        const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
        dt.items.add(new File([bytes], f.name));
      }
      for (const type of ['dragenter', 'dragover', 'drop']) target.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    { selector, payload },
  );
}

/** Collects, every 50 ms, the texts of the elements matching `selector` into `window.__seen` (read with {@link seenTexts}). */
export async function recordTexts(page: Page, selector: string): Promise<void> {
  await page.evaluate((selector) => {
    const w = window as unknown as { __seen: Set<string> };
    w.__seen = new Set();
    setInterval(() => document.querySelectorAll(selector).forEach((e) => w.__seen.add((e as HTMLElement).innerText)), 50);
  }, selector);
}

export async function seenTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => [...(window as unknown as { __seen: Set<string> }).__seen]);
}

/** A UI preference as stored in the page's IndexedDB (Dexie's `ocr-desk-ui` database), read with the raw API. */
export function storedPref(page: Page, key: string): Promise<unknown> {
  return page.evaluate(
    (key) =>
      new Promise<unknown>((resolve, reject) => {
        const open = indexedDB.open('ocr-desk-ui');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('prefs').objectStore('prefs').get(key);
          get.onsuccess = () => {
            resolve((get.result as { value?: unknown } | undefined)?.value);
            open.result.close();
          };
          get.onerror = () => reject(get.error);
        };
      }),
    key,
  );
}

/** Waits until a preference is stored with the given value. */
export async function waitForPref(page: Page, key: string, value: unknown, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while ((await storedPref(page, key)) !== value) {
    if (Date.now() > until) throw new Error(`the preference ${key} was not stored as ${String(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
