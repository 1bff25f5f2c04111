/**
 * The app end to end: real Chromium against a real `ocr-desk serve` child process, the real engine and the shared
 * scans. One service and one page, in the order a person would work: drop files and watch them finish, find a
 * word, open and export the document, pause and resume a job, see a damaged file's reason, watch a hot folder,
 * change a setting, delete a document, and use it all from the keyboard.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import type { ServiceEvent } from '../../app/common/api/events.ts';
import { phototest, receipts, sharedDir } from '../helpers.ts';
import { dropFiles, ensureUiBuilt, launchBrowser, openApp, openTab, recordTexts, seenTexts, startServe, waitForPref, type Served } from './harness.ts';

const receipt = receipts[0]!; // 000.jpg: "KF MODELLING CLAY KIDDY FISH", "TAN WOON YANN"
const scannedPdf = path.join(sharedDir, 'data', 'pdfs', 'scanned', '3small.pdf'); // 3 pages: "Bokale", "Tarnose"
const rotated = path.join(sharedDir, 'data', 'images', 'phototest-rotated-R.png'); // phototest turned 90°
const T = { timeout: 240_000 };

describe('OCR Desk in Chromium, against ocr-desk serve', { timeout: 900_000 }, () => {
  let served: Served;
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];
  const events: { at: number; event: ServiceEvent }[] = [];
  let stopEvents: (() => void) | undefined;
  let work: string;

  const doneAt = (name: string) => events.find((e) => e.event.type === 'document' && e.event.document.name === name && e.event.document.state === 'done');

  before(async () => {
    const built = ensureUiBuilt();
    if (built > 0) console.log(`# built the UI in ${built} ms`);
    work = await mkdtemp(path.join(tmpdir(), 'ocr-desk-ui-work-'));
    served = await startServe(['--workers', '1']);
    // The test's own view of the service's events, for timings: when a document's OCR was finished.
    stopEvents = served.client.subscribe((event) => events.push({ at: Date.now(), event }));
    browser = await launchBrowser();
    ({ page, errors } = await openApp(browser, served));
  });

  after(async () => {
    stopEvents?.();
    await browser?.close();
    await served?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  test('dropped files (a receipt, a 3-page scanned PDF, a rotated page) run to completion with progress, thumbnails and text', T, async () => {
    await recordTexts(page, '[data-testid=overall-figures], li.job .job-meta');
    await dropFiles(page, '[data-testid=drop-zone]', [receipt, scannedPdf, rotated]);
    const job = page.locator('li.job', { hasText: '3 uploaded files' });
    await job.waitFor();
    await page.locator('li.job[data-state=done]', { hasText: '3 uploaded files' }).waitFor({ timeout: 180_000 });

    assert.deepEqual(await job.locator('li.doc').evaluateAll((els) => els.map((e) => e.getAttribute('data-state'))), ['done', 'done', 'done']);
    assert.equal(await job.locator('.job-meta').innerText(), '5 of 5 pages');
    assert.equal(await job.getByRole('progressbar').getAttribute('aria-valuenow'), '5');
    const seen = (await seenTexts(page)).join('\n');
    assert.match(seen, /\d+ pages? left/, 'the overall figures counted the pages left');
    assert.match(seen, /[\d.]+ pages\/s/, 'a rate was shown while it ran');
    assert.match(seen, /about .+ left|estimating/, 'a time left was shown while it ran');
    assert.match(await page.getByTestId('overall-figures').innerText(), /Nothing to do/);

    // Thumbnails: one for each one-page document, three for the PDF, all decoded pictures.
    const pdfThumbs = job.locator('li.doc', { hasText: '3small.pdf' }).locator('img.thumb');
    await page.waitForFunction(() => [...document.querySelectorAll('li.doc img.thumb')].filter((i) => (i as HTMLImageElement).naturalWidth > 0).length >= 5);
    assert.equal(await pdfThumbs.count(), 3);

    // The rotated page was read upright.
    const rotatedText = job.locator('li.doc', { hasText: 'phototest-rotated-R.png' }).locator('.text-preview');
    await rotatedText.filter({ hasNotText: 'Loading…' }).waitFor();
    assert.match(await rotatedText.innerText(), /12 point text/);

    // The receipt's text is on screen within a second of its OCR finishing.
    const done = doneAt('000.jpg');
    assert.ok(done && done.event.type === 'document');
    const id = done.event.document.id;
    const preview = page.locator(`.text-preview[data-document-id="${id}"]`);
    await preview.getByText(/TAMAN DAYA/i).first().waitFor();
    const marks = await page.evaluate((id) => {
      const find = (name: string) => performance.getEntriesByName(name).find((m) => (m as PerformanceMark).detail?.documentId === id);
      const shown = find('ocr-desk:text-shown');
      const received = find('ocr-desk:document-done');
      return { shownEpoch: shown ? performance.timeOrigin + shown.startTime : null, received: received?.startTime ?? null, shown: shown?.startTime ?? null };
    }, id);
    assert.ok(marks.shownEpoch !== null && marks.shown !== null && marks.received !== null, 'the page marked the event and the text');
    const fromService = marks.shownEpoch - done.at;
    const inPage = marks.shown - marks.received;
    console.log(`# receipt text on screen ${fromService.toFixed(0)} ms after the service said its OCR was done (${inPage.toFixed(0)} ms after the page got the event)`);
    assert.ok(fromService < 1000, `text on screen ${fromService} ms after OCR finished`);
  });

  test('a word from the receipt is found in the library; the document opens with its page and text, and exports', T, async () => {
    await openTab(page, 'Library');
    await page.getByLabel('Search the text of every document').fill('kiddy');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const hit = page.locator('li.hit', { hasText: '000.jpg' });
    await hit.waitFor();
    assert.match(await hit.locator('mark').first().innerText(), /kiddy/i);
    await page.getByRole('group', { name: 'Recent searches' }).getByRole('button', { name: 'kiddy' }).waitFor();

    await hit.getByRole('link', { name: '000.jpg' }).click();
    await page.getByRole('heading', { name: '000.jpg' }).waitFor();
    assert.match(page.url(), /#\/library\/\d+\?q=kiddy$/);
    const picture = page.getByRole('img', { name: 'Page 1 of 000.jpg' });
    await picture.waitFor();
    await page.waitForFunction(() => ((document.querySelector('.page-figure img') as HTMLImageElement | null)?.naturalWidth ?? 0) > 0);
    const text = page.getByTestId('page-text');
    assert.match(await text.innerText(), /TAN WOON YANN/i);
    assert.match(await text.locator('mark').first().innerText(), /kiddy/i, 'the searched word is marked in the text');

    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export 000.jpg' });
    await dialog.waitFor();
    await dialog.getByLabel('Download to this computer').check();
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Export', exact: true }).click()]);
    assert.equal(download.suggestedFilename(), '000.txt');
    assert.match(await readFile((await download.path())!, 'utf8'), /KIDDY FISH/i);
    await dialog.waitFor({ state: 'detached' });

    // A selection, written into a folder on the service's machine.
    await page.getByRole('link', { name: '← Library' }).click();
    await page.getByRole('heading', { name: 'Documents' }).waitFor();
    await page.getByLabel('Select 000.jpg').check();
    await page.getByLabel('Select 3small.pdf').check();
    await page.getByRole('button', { name: 'Export 2 selected…' }).click();
    const many = page.getByRole('dialog', { name: 'Export 2 documents' });
    await many.getByLabel('Markdown').check();
    await many.getByLabel('A folder on the machine that runs OCR Desk').check();
    const exports = path.join(work, 'exports');
    await many.getByLabel('Folder', { exact: true }).fill(exports);
    await many.getByRole('button', { name: 'Export', exact: true }).click();
    await page.getByRole('status').getByText('Exported 4 files.').waitFor();
    assert.deepEqual((await readdir(exports)).sort(), ['000.md', '000.txt', '3small.md', '3small.txt']);
  });

  test('a running job pauses and resumes', T, async () => {
    await openTab(page, 'Queue');
    // Eight small pages: long enough to be caught running on a fast machine, short on a slow one.
    const eightPages = path.join(work, 'eight-pages.tif');
    await sharp(Array.from({ length: 8 }, () => phototest), { join: { animated: true } }).removeAlpha().tiff({ compression: 'lzw' }).toFile(eightPages);
    await page.getByTestId('file-input').setInputFiles(eightPages);
    const job = page.locator('li.job[aria-label="eight-pages.tif"]');
    await page.locator('li.job[aria-label="eight-pages.tif"][data-state=running]').waitFor({ timeout: 60_000 });
    await job.getByRole('button', { name: 'Pause eight-pages.tif' }).click();
    await page.locator('li.job[aria-label="eight-pages.tif"][data-state=paused]').waitFor();
    assert.equal(await job.locator('.pill').first().innerText(), 'Paused');
    const pausedAt = await job.locator('.job-meta').innerText();
    await page.waitForTimeout(3000);
    assert.equal(await job.locator('.job-meta').innerText(), pausedAt, 'no pages are done while paused');
    const jobId = Number(await job.getAttribute('data-job-id'));
    assert.equal((await served.client.getJob({ jobId })).state, 'paused');
    await job.getByRole('button', { name: 'Resume eight-pages.tif' }).click();
    await page.locator('li.job[aria-label="eight-pages.tif"][data-state=done]').waitFor({ timeout: 180_000 });
    assert.equal(await job.locator('.job-meta').innerText(), '8 of 8 pages');
  });

  test("a damaged file shows its reason and what to do; the other file of the drop completes", T, async () => {
    const broken = path.join(work, 'broken.png');
    await writeFile(broken, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(300, 7)]));
    const before = await page.locator('li.job').count();
    await page.getByTestId('file-input').setInputFiles([broken, receipts[1]!]);
    await page.waitForFunction((n) => document.querySelectorAll('li.job').length > n, before);
    const job = page.locator('li.job').first(); // newest first
    await page.waitForFunction(() => ['done', 'failed'].includes(document.querySelector('li.job')?.getAttribute('data-state') ?? ''), undefined, { timeout: 120_000 });
    const bad = job.locator('li.doc', { hasText: 'broken.png' });
    const good = job.locator('li.doc', { hasText: '001.jpg' });
    assert.equal(await bad.getAttribute('data-state'), 'failed');
    assert.equal(await good.getAttribute('data-state'), 'done');
    const note = await bad.getByRole('note').innerText();
    assert.match(note, /^Why: broken\.png /m, 'the reason names the file');
    assert.doesNotMatch(note, /uploads/, "OCR Desk's upload copy is not shown");
    assert.match(note, /What to do: Scan it again or get a fresh copy/);
    await good.locator('.text-preview p').first().waitFor();

    await page.getByRole('button', { name: /^Failed/ }).click();
    await page.getByRole('button', { name: /^Failed/, pressed: true }).waitFor();
    assert.ok((await page.locator('li.job', { has: page.locator('li.doc', { hasText: 'broken.png' }) }).count()) === 1);
    assert.equal(await page.locator('li.job[aria-label="eight-pages.tif"]').count(), 0, 'a finished job without failures is not under Failed');
    const retried = events.length;
    await page.locator('li.job').first().getByRole('button', { name: /^Retry/ }).click();
    await page.waitForFunction(() => document.querySelector('li.doc[data-state=failed]') !== null);
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(events.slice(retried).some((e) => e.event.type === 'document' && e.event.document.name === 'broken.png'), 'retry queued the file again');
    await page.getByRole('button', { name: /^All/ }).click();
  });

  test('a chosen folder (its images only) and an image pasted with Ctrl+V become jobs', T, async () => {
    const folder = path.join(work, 'scans');
    await mkdir(path.join(folder, 'sub'), { recursive: true });
    await copyFile(rotated, path.join(folder, 'sub', 'turned.png'));
    await writeFile(path.join(folder, 'notes.txt'), 'not a scan');
    await page.getByTestId('folder-input').setInputFiles(folder);
    await page.getByRole('status').getByText('1 file skipped: not images or PDFs.').waitFor();
    await page.locator('li.job[aria-label="turned.png"][data-state=done]').waitFor({ timeout: 120_000 });

    const png = (await readFile(path.join(sharedDir, 'data', 'images', 'phototest-rotated-180.png'))).toString('base64');
    await page.evaluate((base64) => {
      const dt = new DataTransfer();
      dt.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], 'image.png', { type: 'image/png' }));
      document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    }, png);
    const pasted = page.locator('li.job', { hasText: /^pasted image / }).first();
    await pasted.waitFor();
    await page.locator('li.job[data-state=done]', { hasText: /pasted image/ }).waitFor({ timeout: 120_000 });
    // The row is done before its first lines are fetched: wait for them, then look.
    await pasted.locator('.text-preview').filter({ hasNotText: 'Loading…' }).waitFor();
    assert.match(await pasted.locator('.text-preview').innerText(), /12 point text/, 'the upside-down page was read upright');
  });

  test('a hot folder is added, takes a file copied into it, and shows it done; then it pauses and is removed', T, async () => {
    const inbox = path.join(work, 'inbox');
    const out = path.join(work, 'out');
    await mkdir(inbox); // a folder to watch must exist (a mistyped path is refused)
    await openTab(page, 'Hot folders');
    await page.getByRole('button', { name: 'Add a hot folder…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a hot folder' });
    await dialog.getByLabel('Watched folder').fill(inbox);
    await dialog.getByLabel('Output folder').fill(out);
    await dialog.getByLabel('A file is complete when unchanged for (ms)').fill('300');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    const card = page.locator(`li.hot-folder[aria-label="${inbox}"]`);
    await card.locator('.pill', { hasText: 'Watching' }).waitFor({ timeout: 30_000 });

    await copyFile(phototest, path.join(inbox, 'phototest.tif'));
    await card.locator('[data-testid=count-done]', { hasText: '1' }).waitFor({ timeout: 120_000 });
    await card.locator('li.activity.act-done', { hasText: 'phototest.tif' }).waitFor();
    assert.match(await readFile(path.join(out, 'phototest.tif.txt'), 'utf8'), /12 point text/);

    await card.getByRole('button', { name: `Pause ${inbox}` }).click();
    await card.locator('.pill', { hasText: 'Paused' }).waitFor();
    await card.getByRole('button', { name: `Remove ${inbox}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
    await card.waitFor({ state: 'detached' });
    assert.equal((await served.client.listHotFolders()).hotFolders.length, 0);
  });

  test('settings show what the command line pinned, and save a change', T, async () => {
    await openTab(page, 'Settings');
    const workers = page.getByLabel('Worker processes');
    assert.ok(await workers.isDisabled(), 'workers were set with --workers');
    assert.match((await workers.getAttribute('aria-describedby')) ?? '', /pinned/);
    await page.getByText('Set on the command line: change it there.').first().waitFor();
    await page.getByText('No GPU in use: GPU is off in settings.').waitFor();
    await page.getByLabel('PDF resolution (dpi)').fill('200');
    await page.getByLabel('Use the GPU').check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').getByText('Settings saved').waitFor();
    assert.equal((await served.client.getSettings()).values.jobDefaults.pdfDpi, 200);
    // The new workers try the GPU; the screen shows the adapter, or why not (here: no WebGPU adapter).
    const { gpu } = await served.client.getDiagnostics();
    await page.getByText(gpu.available ? `Found: ${gpu.adapter}.` : `No GPU in use: ${gpu.reason}`).waitFor();
    assert.ok(gpu.available || /WebGPU adapter/.test(gpu.reason ?? ''), JSON.stringify(gpu));
    await page.getByLabel('Use the GPU').uncheck();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('No GPU in use: GPU is off in settings.').waitFor();

    await openTab(page, 'Diagnostics');
    const diagnostics = await served.client.getDiagnostics();
    for (const f of diagnostics.models.files) await page.getByRole('cell', { name: f.sha256 }).waitFor();
    await page.getByText('ONNX Runtime').waitFor();
  });

  test('API keys are made in Settings (shown once), listed and revoked', T, async () => {
    await openTab(page, 'Settings');
    const section = page.locator('section', { has: page.getByRole('heading', { name: 'API keys' }) });
    await section.getByLabel('Name').fill('scanner room');
    await section.getByRole('button', { name: 'Create key' }).click();
    const shown = await section.getByRole('status').locator('.mono').first().innerText();
    assert.match(shown, /^ocrd_[\w-]{40,}$/);
    const made = (await served.client.listApiKeys()).keys.find((k) => k.name === 'scanner room');
    assert.deepEqual(made?.scopes, ['read', 'submit']);
    assert.equal((await fetch(`${served.baseUrl}/v1/progress`, { headers: { authorization: `Bearer ${shown}` } })).status, 200, 'the key shown works');
    await section.getByRole('button', { name: 'Revoke the key scanner room' }).click();
    await section.getByText(/^revoked /).waitFor();
    assert.equal((await fetch(`${served.baseUrl}/v1/progress`, { headers: { authorization: `Bearer ${shown}` } })).status, 401, 'and is refused once revoked');
  });

  test('the network switch stores where ocr-desk serve listens and which folders clients may name', T, async () => {
    await openTab(page, 'Settings');
    const section = page.locator('form', { has: page.getByRole('heading', { name: 'Serving on the network' }) });
    await section.getByLabel('Serve the API and this app on the network').check();
    assert.equal(await section.getByLabel('Address').inputValue(), '0.0.0.0');
    await section.getByLabel('Folders network clients may name').fill('/srv/scans\n/srv/inbox');
    await section.getByRole('button', { name: 'Save network settings' }).click();
    await section.getByText('these apply the next time ocr-desk serve starts').waitFor();
    const stored = await served.client.getNodeSettings();
    assert.deepEqual([stored.values.listen, stored.values.allowedRoots, stored.lan, stored.restartNeeded], ['0.0.0.0', ['/srv/scans', '/srv/inbox'], true, true]);
    await section.getByLabel('Serve the API and this app on the network').uncheck();
    await section.getByRole('button', { name: 'Save network settings' }).click();
    await page.getByRole('status').getByText('Network settings saved').first().waitFor();
    assert.equal((await served.client.getNodeSettings()).values.listen, '127.0.0.1');
  });

  test('a document is deleted with everything derived from it, after a confirmation', T, async () => {
    await openTab(page, 'Library');
    await page.locator('li.hit', { hasText: '3small.pdf' }).getByRole('link').click();
    await page.getByRole('heading', { name: '3small.pdf' }).waitFor();
    const documentId = Number(page.url().match(/library\/(\d+)/)![1]);
    // As a person would: look at the pages first (a picture still being made when its document goes answers 404).
    await page.waitForFunction(() => document.querySelectorAll('.page-figure img').length > 0 && document.querySelectorAll('.page-image.placeholder[aria-busy=true]').length === 0);
    await page.getByRole('button', { name: 'Delete…' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete 3small.pdf?' });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    assert.equal((await served.client.getDocument({ documentId })).name, '3small.pdf', 'cancelled: still there');
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('dialog', { name: 'Delete 3small.pdf?' }).getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('status').getByText(/Deleted 3small\.pdf/).waitFor();
    assert.match(page.url(), /#\/library$/);
    await assert.rejects(served.client.getDocument({ documentId }), /no document/);
    assert.deepEqual((await served.client.search({ q: 'Bokale' })).hits, []);
    assert.equal(await page.locator('li.hit', { hasText: '3small.pdf' }).count(), 0);
  });

  test('the keyboard reaches every section; theme, language and last section are remembered', T, async () => {
    await openTab(page, 'Queue');
    await page.getByRole('tab', { name: /Queue/ }).focus();
    await page.keyboard.press('ArrowRight');
    await page.getByRole('tab', { name: 'Hot folders', selected: true }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Hot folders', 'focus moved with the selection');
    await page.keyboard.press('End');
    await page.getByRole('tab', { name: 'Diagnostics', selected: true }).waitFor();
    await page.getByRole('heading', { name: 'Diagnostics' }).waitFor();
    await page.keyboard.press('Home');
    await page.getByRole('tab', { name: /Queue/, selected: true }).waitFor();
    await page.keyboard.press('Tab'); // into the panel: the first control of the queue
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Choose files…');

    await page.getByLabel('Theme').selectOption('dark');
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    await page.getByLabel('Language', { exact: true }).selectOption('zh');
    await page.getByRole('tab', { name: '文档库' }).click();
    // Kept by Dexie in the page's IndexedDB: wait for the writes before leaving the page.
    await waitForPref(page, 'tab', 'library');
    await waitForPref(page, 'language', 'zh');
    await waitForPref(page, 'theme', 'dark');
    await page.goto(`${served.baseUrl}/`); // no section in the address: the last one is used
    await page.waitForSelector('.conn-live');
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    assert.equal(await page.getByRole('tab', { selected: true }).innerText(), '文档库');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
    await page.getByLabel('语言', { exact: true }).selectOption('en');
    await page.getByLabel('Theme').selectOption('system');
    assert.deepEqual(errors, [], 'no errors in the page');
  });
});
