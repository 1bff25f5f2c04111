/**
 * Every screen of the app (queue, hot folders and their form, library, a document, the export and delete dialogs,
 * settings, diagnostics) in light, dark and Chinese, following the system's colour scheme and language as a
 * browser reports them: axe-core finds no serious or critical violation on any, and each is saved as a
 * screenshot under test-results/screenshots/ for people to look at.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { phototest, receipts, sharedDir } from '../helpers.ts';
import { axe, ensureUiBuilt, launchBrowser, openApp, screenshot, serious, startServe, type AxeViolation, type Served } from './harness.ts';

const VARIANTS = [
  { name: 'light', colorScheme: 'light', locale: 'en-US' },
  { name: 'dark', colorScheme: 'dark', locale: 'en-GB' },
  { name: 'zh', colorScheme: 'light', locale: 'zh-CN' },
] as const;

/** Waits until every picture on the page has been decoded (or the page has none). */
async function picturesLoaded(page: Page): Promise<void> {
  await page.waitForFunction(() => [...document.images].every((i) => i.complete && i.naturalWidth > 0) && document.querySelectorAll('.page-image.placeholder[aria-busy=true]').length === 0);
}

describe('every screen: axe-core and screenshots in light, dark and Chinese', { timeout: 600_000 }, () => {
  let served: Served;
  let browser: Browser;
  let work: string;
  let receiptId: number;
  const summary: Record<string, number> = {};

  before(async () => {
    ensureUiBuilt();
    work = await mkdtemp(path.join(tmpdir(), 'ocr-desk-ui-screens-'));
    served = await startServe(['--workers', '1']);
    const c = served.client;
    const read = async (f: string) => ({ name: path.basename(f), data: new Uint8Array(await readFile(f)) });
    await writeFile(path.join(work, 'scan-0042.png'), Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]));
    await c.uploadFiles({ files: [await read(receipts[0]!), await read(path.join(sharedDir, 'data', 'pdfs', 'scanned', '3small.pdf'))] });
    await c.uploadFiles({ files: [await read(path.join(work, 'scan-0042.png')), await read(receipts[1]!)] });
    const inbox = path.join(work, 'inbox');
    await mkdir(inbox);
    await c.addHotFolder({ settings: { folder: inbox, out: path.join(work, 'out'), stableMs: 200, include: ['*.tif', '*.png'] } });
    await copyFile(phototest, path.join(inbox, 'phototest.tif'));
    for (let i = 0; ; i++) {
      const jobs = (await c.listJobs()).jobs;
      if (jobs.length === 3 && jobs.every((j) => j.state === 'done' || j.state === 'failed')) break;
      if (i > 1200) throw new Error(`jobs did not finish: ${JSON.stringify(jobs.map((j) => [j.label, j.state]))}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    receiptId = (await c.listDocuments({})).documents.find((d) => d.name === '000.jpg')!.id;
    browser = await launchBrowser();
  });

  after(async () => {
    console.log(`# axe violations on all screens, by impact: ${JSON.stringify(summary)}`);
    await browser?.close();
    await served?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  for (const variant of VARIANTS) {
    test(`${variant.name}: every screen passes axe-core and is saved as a screenshot`, { timeout: 300_000 }, async () => {
      const { context, page, errors } = await openApp(browser, served, { colorScheme: variant.colorScheme, locale: variant.locale });
      const found: string[] = [];
      const check = async (screen: string, ready: () => Promise<unknown>, fullPage = false) => {
        await ready();
        await picturesLoaded(page);
        const violations: AxeViolation[] = await axe(page);
        for (const v of violations) summary[`${v.impact ?? 'none'} ${v.id}`] = (summary[`${v.impact ?? 'none'} ${v.id}`] ?? 0) + 1;
        found.push(...serious(violations).map((s) => `${screen}: ${s}`));
        await screenshot(page, `${screen}-${variant.name}`, fullPage);
      };
      const go = (hash: string) => page.evaluate((h) => (location.hash = h), hash);
      try {
        const expectedTheme = variant.colorScheme;
        assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), expectedTheme, 'the theme follows the system');
        assert.equal(await page.evaluate(() => document.documentElement.lang), variant.locale === 'zh-CN' ? 'zh-CN' : 'en', 'the language follows the system');

        await go('#/queue');
        await check('queue', () => page.locator('.text-preview p').first().waitFor());
        await screenshot(page, `queue-full-${variant.name}`, true);
        await go('#/hot-folders');
        await check('hot-folders', () => page.locator('li.activity').first().waitFor());
        await page.locator('.page-head .button.primary').click();
        await check('hot-folder-form', () => page.getByRole('dialog').waitFor());
        await page.keyboard.press('Escape');
        await page.getByRole('dialog').waitFor({ state: 'detached' });
        await go('#/library?q=total');
        await check('library', () => page.locator('li.hit mark').first().waitFor());
        await go(`#/library/${receiptId}?q=total`);
        await check('document', () => page.locator('.page-figure img').waitFor());
        await page.locator('.doc-toolbar .button').first().click();
        await check('export-dialog', () => page.getByRole('dialog').waitFor());
        await page.keyboard.press('Escape');
        await page.locator('.doc-toolbar .button.danger').click();
        await check('delete-dialog', () => page.getByRole('dialog').waitFor());
        await page.keyboard.press('Escape');
        await page.getByRole('dialog').waitFor({ state: 'detached' });
        await go('#/settings');
        await check('settings', () => page.locator('form.settings .card').first().waitFor());
        await go('#/diagnostics');
        await check('diagnostics', () => page.locator('.diagnostics table').first().waitFor());

        if (variant.name === 'zh') assert.equal(await page.getByRole('tab', { selected: true }).innerText(), '诊断');
        assert.deepEqual(found, [], 'no serious or critical accessibility violations');
        assert.deepEqual(errors, [], 'no errors in the page');
      } finally {
        await context.close();
      }
    });
  }
});
