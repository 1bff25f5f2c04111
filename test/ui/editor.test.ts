/**
 * The result editor end to end: real Chromium against a real `ocr-desk serve` child process with the real engine.
 * A processed receipt is opened from its document page; the lowest-confidence word is corrected from the keyboard,
 * undone and redone; a drawn region is read again and its reading applied; the window is reloaded in the middle
 * of typing a correction and the draft comes back; the page is saved; the searchable PDF (pdftotext), hOCR, ALTO
 * and JSON exports carry the corrected word, with no OCR run again. The review queue orders the real documents by
 * their low-confidence words and leads from one to the next. Every state of the editor is checked with axe-core
 * and saved as a screenshot, in light and dark, at 100% and zoomed, and in Chinese. A 300 DPI A4 page is opened
 * and 50 words are stepped through, timed.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ServiceEvent } from '../../app/common/api/events.ts';
import { quadBounds, type OcrDocument } from '../../app/common/result.ts';
import { receipts, sharedDir } from '../helpers.ts';
import { axe, ensureUiBuilt, launchBrowser, openApp, screenshot, serious, startServe, type Served } from './harness.ts';

const run = promisify(execFile);
const T = { timeout: 300_000 };
const words = (doc: OcrDocument) => doc.pages.flatMap((p) => p.lines.flatMap((l) => l.words));

/** Percentiles of a list of numbers. */
function stats(values: readonly number[]): { median: number; p95: number; max: number; mean: number } {
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { median: at(0.5), p95: at(0.95), max: s[s.length - 1]!, mean: s.reduce((a, b) => a + b, 0) / s.length };
}

/** The result editor's drafts as kept in the page's IndexedDB (Dexie's `ocr-desk-ui`), read with the raw API. */
function storedDrafts(page: Page): Promise<{ documentId: number; page: number; done: unknown[]; typing: { text: string } | null }[]> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('ocr-desk-ui');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction('drafts').objectStore('drafts').getAll();
          all.onsuccess = () => {
            resolve(all.result);
            open.result.close();
          };
          all.onerror = () => reject(all.error);
        };
      }),
  );
}

describe('the result editor in Chromium, against ocr-desk serve', { timeout: 1_200_000 }, () => {
  let served: Served;
  let browser: Browser;
  let work: string;
  const ids = new Map<string, number>();
  const events: ServiceEvent[] = [];
  let stopEvents: (() => void) | undefined;
  const found: string[] = [];
  const axeSummary: Record<string, number> = {};
  let a4Page: string;

  /** axe-core on the page as it is: serious and critical violations are collected for the last test to assert. */
  const check = async (page: Page, screen: string) => {
    const violations = await axe(page);
    for (const v of violations) axeSummary[`${v.impact ?? 'none'} ${v.id}`] = (axeSummary[`${v.impact ?? 'none'} ${v.id}`] ?? 0) + 1;
    found.push(...serious(violations).map((s) => `${screen}: ${s}`));
    await screenshot(page, screen);
  };
  const painted = (page: Page, documentId: number) =>
    page.waitForFunction((id) => performance.getEntriesByName('ocr-desk:editor-painted').some((m) => (m as PerformanceMark).detail?.documentId === id), documentId, { timeout: 60_000 });
  const status = (page: Page) => page.getByTestId('editor-status').innerText();
  const pending = async (page: Page) => Number(await page.getByTestId('editor').getAttribute('data-pending'));
  /** The lines of the text beside the page, each its words joined by spaces. */
  const lineTexts = (page: Page) => page.locator('[data-testid=text-panel] li.ed-line').evaluateAll((lis) => lis.map((li) => [...li.querySelectorAll('.ed-word')].map((w) => w.textContent).join(' ')));

  before(async () => {
    ensureUiBuilt();
    work = await mkdtemp(path.join(tmpdir(), 'ocr-desk-ui-editor-'));
    // A 300 DPI A4 page (2480×3508), rendered from a born-digital A4 document as a scanner would deliver it.
    await run('pdftoppm', ['-r', '300', '-png', '-singlefile', '-f', '1', '-l', '1', path.join(sharedDir, 'data', 'pdfs', 'digital', 'issue-90-example.pdf'), path.join(work, 'a4-300dpi')]);
    a4Page = path.join(work, 'a4-300dpi.png');
    served = await startServe(['--workers', '1']);
    stopEvents = served.client.subscribe((e) => events.push(e));
    const read = async (f: string) => ({ name: path.basename(f), data: new Uint8Array(await readFile(f)) });
    const job = await served.client.uploadFiles({ files: [await read(receipts[0]!), await read(receipts[1]!), await read(path.join(sharedDir, 'eval', 'sroie-dev', 'images', '002.jpg')), await read(a4Page)] });
    for (let i = 0; ; i++) {
      const j = await served.client.getJob({ jobId: job.jobId });
      if (j.state === 'done') {
        for (const d of j.documentList) ids.set(d.name, d.id);
        break;
      }
      if (i > 2400) throw new Error(`the job did not finish: ${JSON.stringify(j)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    browser = await launchBrowser();
  });

  after(async () => {
    console.log(`# axe violations in the editor, by impact: ${JSON.stringify(axeSummary)}`);
    stopEvents?.();
    await browser?.close();
    await served?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  test('a 300 DPI A4 page opens and 50 words are stepped through smoothly (timed)', T, async () => {
    const id = ids.get('a4-300dpi.png')!;
    const doc = await served.client.getResult({ documentId: id });
    const a4 = doc.pages[0]!;
    assert.ok(Math.abs(a4.width - 2480) <= 8 && Math.abs(a4.height - 3508) <= 8, `A4 at 300 DPI: ${a4.width}×${a4.height}`);
    const count = words(doc).length;
    assert.ok(count >= 100, `the page has many words (${count})`);
    const { context, page, errors }: { context: BrowserContext; page: Page; errors: string[] } = await openApp(browser, served);
    try {
      const started = Date.now();
      await page.evaluate((h) => (location.hash = h), `#/library/${id}/edit`);
      await painted(page, id);
      const wall = Date.now() - started;
      const inPage = await page.evaluate((id) => {
        const open = performance.getEntriesByName('ocr-desk:editor-open').findLast((m) => (m as PerformanceMark).detail?.documentId === id)!;
        const done = performance.getEntriesByName('ocr-desk:editor-painted').findLast((m) => (m as PerformanceMark).detail?.documentId === id)!;
        return done.startTime - open.startTime;
      }, id);
      await page.getByTestId('editor-canvas').focus();
      await page.evaluate(() => performance.clearMarks('ocr-desk:editor-step'));
      const keyToFrame: number[] = [];
      for (let i = 0; i < 50; i++) {
        const before = Date.now();
        await page.keyboard.press('ArrowRight');
        await page.waitForFunction((n) => performance.getEntriesByName('ocr-desk:editor-step').length >= n, i + 1, { polling: 'raf' });
        keyToFrame.push(Date.now() - before);
      }
      const steps = await page.evaluate(() => performance.getEntriesByName('ocr-desk:editor-step').map((m) => (m as PerformanceMark).detail.ms as number));
      assert.equal(steps.length, 50);
      const inside = stats(steps);
      const outside = stats(keyToFrame);
      const selected = await page.locator('.ed-word.selected').innerText();
      assert.equal(selected, words(doc)[49]!.text, 'the 50th word is selected');
      await screenshot(page, 'editor-a4-300dpi');
      // Opened again (the service has the picture at hand now): the time a person waits the second time.
      await page.evaluate(() => (location.hash = '#/review'));
      await page.getByTestId('review-queue').waitFor();
      await page.evaluate((h) => (location.hash = h), `#/library/${id}/edit`);
      await page.waitForFunction((id) => performance.getEntriesByName('ocr-desk:editor-painted').filter((m) => (m as PerformanceMark).detail?.documentId === id).length >= 2, id);
      const again = await page.evaluate((id) => {
        const open = performance.getEntriesByName('ocr-desk:editor-open').findLast((m) => (m as PerformanceMark).detail?.documentId === id)!;
        const done = performance.getEntriesByName('ocr-desk:editor-painted').findLast((m) => (m as PerformanceMark).detail?.documentId === id)!;
        return done.startTime - open.startTime;
      }, id);
      console.log(
        `# 300 DPI A4 page (${a4.width}×${a4.height}, ${count} words): first paint ${inPage.toFixed(0)} ms in the page (${wall} ms from the address to the painted page; ${again.toFixed(0)} ms when opened again); ` +
          `50 steps, key to painted frame in the page: median ${inside.median.toFixed(1)} ms, p95 ${inside.p95.toFixed(1)} ms, max ${inside.max.toFixed(1)} ms, mean ${inside.mean.toFixed(1)} ms; ` +
          `as the test drives it (key press to the frame seen): median ${outside.median} ms, p95 ${outside.p95} ms`,
      );
      assert.ok(inPage < 5000, `first paint in ${inPage} ms`);
      assert.ok(inside.p95 < 100, `p95 of a step is ${inside.p95} ms (a frame is 16.7 ms; 100 ms is where it stops feeling instant)`);
      assert.deepEqual(errors, [], 'no errors in the page');
    } finally {
      await context.close();
    }
  });

  test('a receipt: lowest word corrected from the keyboard, undo and redo, a region read again, a reload mid-edit, saved, exported with the correction', T, async () => {
    const id = ids.get('000.jpg')!;
    const { context, page, errors } = await openApp(browser, served);
    try {
      const ocrPages = events.filter((e) => e.type === 'page').length;
      await page.evaluate((h) => (location.hash = h), `#/library/${id}`);
      await page.getByRole('link', { name: 'Proofread' }).click();
      await page.getByTestId('editor').waitFor();
      await painted(page, id);
      assert.match(page.url(), new RegExp(`#/library/${id}/edit$`));
      assert.equal(await page.getByTestId('editor-zoom').innerText(), '100%');
      await check(page, 'editor-receipt-light');

      // Jump to the lowest-confidence word (W), correct it in place (Enter, type, Enter).
      const result = await served.client.getResult({ documentId: id });
      const lowest = words(result).sort((a, b) => a.confidence - b.confidence)[0]!;
      await page.getByTestId('editor-canvas').focus();
      await page.keyboard.press('w');
      assert.match(await status(page), new RegExp(`“${lowest.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}”.*${Math.round(lowest.confidence * 100)}% confident`));
      assert.equal(await page.locator(`[data-word-id="${lowest.id}"]`).getAttribute('aria-pressed'), 'true', 'the same word is selected in the text');
      await page.keyboard.press('Enter');
      const input = page.getByTestId('editor-input');
      await input.waitFor();
      assert.equal(await input.inputValue(), lowest.text);
      await check(page, 'editor-typing-light');
      await page.keyboard.type('COME');
      await page.keyboard.press('Enter');
      await input.waitFor({ state: 'detached' });
      const word = page.locator(`[data-word-id="${lowest.id}"]`);
      assert.equal(await word.innerText(), 'COME');
      assert.equal(await pending(page), 1);
      assert.equal(await page.getByTestId('editor-version').innerText(), '1 unsaved change');

      // Undo and redo, by keyboard and by button.
      await page.keyboard.press('Control+z');
      assert.equal(await word.innerText(), lowest.text);
      assert.equal(await pending(page), 0);
      await page.keyboard.press('Control+Shift+z');
      assert.equal(await word.innerText(), 'COME');
      await page.getByRole('button', { name: 'Undo' }).click();
      assert.equal(await word.innerText(), lowest.text);
      await page.getByRole('button', { name: 'Redo' }).click();
      assert.equal(await word.innerText(), 'COME');

      // Draw a box around the receipt's first line and read it again.
      const first = result.pages[0]!.lines[0]!;
      await page.getByRole('button', { name: 'Fit page' }).click();
      await page.getByRole('button', { name: 'Draw box' }).click();
      const stage = (await page.getByTestId('editor-stage').boundingBox())!;
      const scale = Number(await page.getByTestId('editor-stage').getAttribute('data-scale'));
      const [x1, y1, x2, y2] = quadBounds(first.box);
      await page.mouse.move(stage.x + (x1 - 6) * scale, stage.y + (y1 - 6) * scale);
      await page.mouse.down();
      await page.mouse.move(stage.x + (x2 + 6) * scale, stage.y + (y2 + 6) * scale, { steps: 8 });
      await page.mouse.up();
      const panel = page.getByTestId('region-panel');
      await panel.waitFor();
      await panel.getByRole('button', { name: 'Read the text in the box' }).click();
      const proposal = page.getByTestId('region-proposal');
      await proposal.waitFor();
      assert.match((await proposal.innerText()).toUpperCase(), new RegExp(first.text.toUpperCase()));
      await check(page, 'editor-region-light');
      await panel.getByRole('button', { name: 'Use these lines' }).click();
      await panel.waitFor({ state: 'detached' });
      assert.equal(await pending(page), 2);
      assert.equal((await lineTexts(page))[0]!.toUpperCase(), first.text.toUpperCase());

      // In the middle of typing another correction, the window reloads: the draft (two changes and the text being
      // typed) is kept and offered back.
      await page.getByTestId('editor-canvas').focus();
      await page.keyboard.press('Shift+N'); // the low-confidence word before the corrected one
      const second = (await status(page)).match(/^“(.*)”/)![1]!;
      assert.notEqual(second, 'COME');
      await page.keyboard.press('Enter');
      await input.waitFor();
      await page.keyboard.type('PARTIAL');
      await page.waitForFunction(
        () =>
          new Promise<boolean>((resolve) => {
            const open = indexedDB.open('ocr-desk-ui');
            open.onsuccess = () => {
              const all = open.result.transaction('drafts').objectStore('drafts').getAll();
              all.onsuccess = () => {
                resolve((all.result as { typing: { text: string } | null }[]).some((d) => d.typing?.text === 'PARTIAL'));
                open.result.close();
              };
            };
          }),
      );
      await page.reload();
      await page.waitForSelector('.conn-live');
      const offer = page.getByTestId('draft-offer');
      await offer.waitFor();
      assert.match(await offer.innerText(), /2 change\(s\)|2 changes/);
      assert.match(await offer.innerText(), /You were typing “PARTIAL”/);
      await check(page, 'editor-draft-offer-light');
      await offer.getByRole('button', { name: 'Restore them' }).click();
      await input.waitFor();
      assert.equal(await input.inputValue(), 'PARTIAL');
      assert.equal(await pending(page), 2);
      assert.equal(await page.locator(`[data-word-id="${lowest.id}"]`).innerText(), 'COME', 'the correction made before the reload is back');
      await page.keyboard.press('End');
      await page.keyboard.press('Enter');
      await input.waitFor({ state: 'detached' });
      assert.equal(await pending(page), 3);

      // Split a line before a word (S), merge it back (M), move a line down its block (Alt+↓): each undone exactly.
      const before = await lineTexts(page);
      const kiddy = result.pages[0]!.lines.find((l) => /KIDDY/.test(l.text))!;
      const at = kiddy.words.findIndex((w) => w.text === 'KIDDY');
      await page.locator(`[data-word-id="${kiddy.words[at]!.id}"]`).click();
      await page.keyboard.press('s');
      const split = await lineTexts(page);
      const head = kiddy.words.slice(0, at).map((w) => w.text).join(' ');
      const tail = kiddy.words.slice(at).map((w) => w.text).join(' ');
      assert.equal(split.length, before.length + 1);
      assert.deepEqual(split.slice(split.indexOf(head), split.indexOf(head) + 2), [head, tail]);
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('m');
      assert.deepEqual(await lineTexts(page), before, 'merged back');
      await page.keyboard.press('Alt+ArrowDown');
      const moved = await lineTexts(page);
      assert.notDeepEqual(moved, before);
      assert.deepEqual([...moved].sort(), [...before].sort(), 'the same lines, in another order');
      await check(page, 'editor-line-moved-light');
      for (let i = 0; i < 3; i++) await page.keyboard.press('Control+z');
      assert.deepEqual(await lineTexts(page), before, 'undone');
      assert.equal(await pending(page), 3);

      // Find in the document: the corrected word is found, and selected.
      await page.getByLabel('Find in this document').fill('come');
      await page.getByLabel('Find in this document').press('Enter');
      assert.match(await status(page), /^“COME”/);
      assert.equal(await page.locator('.ed-find-count').innerText(), '1 of 1');
      await page.getByLabel('Find in this document').press('Escape');

      // Saved: version 1 on the service, the draft gone.
      await page.keyboard.press('Control+s');
      await page.waitForFunction(() => document.querySelector('[data-testid=editor]')?.getAttribute('data-pending') === '0');
      assert.equal(await page.getByTestId('editor-version').innerText(), 'Saved · version 1');
      assert.deepEqual(await storedDrafts(page), []);
      const versions = await served.client.getVersions({ documentId: id });
      assert.deepEqual(versions.pages[0]!.versions.map((v) => v.kind), ['ocr', 'edit']);
      await page.getByRole('button', { name: 'History…' }).click();
      const historyDialog = page.getByRole('dialog', { name: 'History of page 1' });
      await historyDialog.waitFor();
      assert.match(await historyDialog.innerText(), /Version 1\s*current\s*· Corrected by/);
      await check(page, 'editor-history-versions-light');
      await historyDialog.getByRole('button', { name: 'Close' }).click();
      await historyDialog.waitFor({ state: 'detached' });

      // Exported: the searchable PDF (downloaded from the export dialog) and the hOCR, ALTO and JSON carry it.
      await page.getByRole('button', { name: 'Export…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Export 000.jpg' });
      await dialog.waitFor();
      await dialog.getByLabel('Download to this computer').check();
      await dialog.getByRole('checkbox', { name: 'Plain text' }).uncheck();
      await dialog.getByRole('checkbox', { name: 'Searchable PDF' }).check();
      const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Export', exact: true }).click()]);
      assert.equal(download.suggestedFilename(), '000.pdf');
      const pdfText = (await run('pdftotext', ['-enc', 'UTF-8', (await download.path())!, '-'])).stdout;
      assert.match(pdfText, /COME/, 'pdftotext finds the corrected word in the searchable PDF');
      assert.match(pdfText, /PARTIAL/, 'and the one restored from the draft');
      for (const format of ['hocr', 'alto', 'json'] as const) {
        const text = new TextDecoder().decode((await served.client.exportDocument({ documentId: id, format })).data);
        assert.match(text, /COME/, format);
        assert.match(text, /PARTIAL/, format);
      }
      assert.equal(events.filter((e) => e.type === 'page').length, ocrPages, 'nothing was recognised again');
      assert.deepEqual(errors, [], 'no errors in the page');
    } finally {
      await context.close();
    }
  });

  test('a box adds text the detector missed and deletes a false detection; saved, the text export carries both', T, async () => {
    const id = ids.get('002.jpg')!;
    const { context, page, errors } = await openApp(browser, served);
    try {
      await page.evaluate((h) => (location.hash = h), `#/library/${id}/edit`);
      await painted(page, id);
      const result = await served.client.getResult({ documentId: id });
      const p = result.pages[0]!;
      await page.getByRole('button', { name: 'Fit page' }).click();
      const drawBox = async (x1: number, y1: number, x2: number, y2: number) => {
        await page.getByRole('button', { name: 'Draw box' }).click();
        const stage = (await page.getByTestId('editor-stage').boundingBox())!;
        const scale = Number(await page.getByTestId('editor-stage').getAttribute('data-scale'));
        await page.mouse.move(stage.x + x1 * scale, stage.y + y1 * scale);
        await page.mouse.down();
        await page.mouse.move(stage.x + x2 * scale, stage.y + y2 * scale, { steps: 6 });
        await page.mouse.up();
        await page.getByTestId('region-panel').waitFor();
      };
      // The widest gap between two lines, as a place where text was missed.
      const tops = p.lines.map((l) => quadBounds(l.box)).sort((a, b) => a[1] - b[1]);
      let gap = { y: 0, size: 0 };
      for (let i = 1; i < tops.length; i++) if (tops[i]![1] - tops[i - 1]![3] > gap.size) gap = { y: tops[i - 1]![3], size: tops[i]![1] - tops[i - 1]![3] };
      assert.ok(gap.size >= 12, `a gap between lines (${gap.size} px)`);
      await drawBox(40, gap.y + 2, 300, gap.y + Math.min(gap.size - 2, 40));
      await page.getByLabel('Or type the text in the box').fill('MISSED BY OCR');
      await page.getByRole('button', { name: 'Add as a line' }).click();
      await page.getByTestId('region-panel').waitFor({ state: 'detached' });
      assert.ok((await lineTexts(page)).includes('MISSED BY OCR'));
      // The last line taken for a false detection, and deleted with a box around it.
      const last = p.lines[p.lines.length - 1]!;
      const [x1, y1, x2, y2] = quadBounds(last.box);
      await drawBox(Math.max(0, x1 - 4), Math.max(0, y1 - 4), Math.min(p.width, x2 + 4), Math.min(p.height, y2 + 4));
      await page.getByRole('button', { name: /Delete the lines in the box \(1\)/ }).click();
      await page.getByTestId('region-panel').waitFor({ state: 'detached' });
      assert.ok(!(await lineTexts(page)).includes(last.text));
      assert.equal(await pending(page), 2);
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.waitForFunction(() => document.querySelector('[data-testid=editor]')?.getAttribute('data-pending') === '0');
      const txt = new TextDecoder().decode((await served.client.exportDocument({ documentId: id, format: 'txt' })).data);
      assert.match(txt, /MISSED BY OCR/);
      assert.ok(!txt.split('\n').includes(last.text), 'the deleted line is not exported');
      assert.deepEqual(errors, [], 'no errors in the page');
    } finally {
      await context.close();
    }
  });

  test('the review queue orders the real documents by their low-confidence words and leads from one to the next', T, async () => {
    const { context, page, errors } = await openApp(browser, served);
    try {
      const threshold = 0.85;
      const expected: { name: string; low: number; lowest: number; words: number }[] = [];
      for (const [name, id] of ids) {
        const all = words(await served.client.getResult({ documentId: id }));
        const ws = all.filter((w) => w.confidence < threshold);
        if (ws.length > 0) expected.push({ name, low: ws.length, lowest: Math.min(...ws.map((w) => w.confidence)), words: all.length });
      }
      expected.sort((a, b) => b.low - a.low || a.lowest - b.lowest);
      console.log(`# review queue expected: ${JSON.stringify(expected)}`);
      assert.ok(expected.length >= 3, 'several real documents have words under the threshold');
      await page.getByRole('tab', { name: 'Review' }).click();
      const table = page.getByTestId('review-queue');
      await table.waitFor();
      const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th')!.textContent, tr.querySelector('td')!.textContent]));
      assert.deepEqual(rows, expected.map((e) => [e.name, `${e.low} of ${e.words}`]));
      await check(page, 'review-light');

      // The worst opens at its lowest-confidence word; Shift+Page Down goes to the next one in the queue.
      await table.getByRole('link', { name: `Review ${expected[0]!.name}` }).click();
      await page.getByTestId('editor').waitFor();
      await painted(page, ids.get(expected[0]!.name)!);
      assert.match(await status(page), new RegExp(`${Math.round(expected[0]!.lowest * 100)}% confident`));
      await page.getByTestId('editor-canvas').focus();
      await page.keyboard.press('Shift+PageDown');
      await page.waitForFunction((id) => location.hash.startsWith(`#/library/${id}/edit`), ids.get(expected[1]!.name)!);
      await painted(page, ids.get(expected[1]!.name)!);
      assert.match(await status(page), new RegExp(`${Math.round(expected[1]!.lowest * 100)}% confident`));
      assert.deepEqual(errors, [], 'no errors in the page');
    } finally {
      await context.close();
    }
  });

  test('dark and Chinese: the editor at 100% and zoomed, its dialogs, all through axe-core', T, async () => {
    const id = ids.get('001.jpg')!;
    for (const variant of [
      { name: 'dark', colorScheme: 'dark', locale: 'en-GB' },
      { name: 'zh', colorScheme: 'light', locale: 'zh-CN' },
      { name: 'light', colorScheme: 'light', locale: 'en-US' },
    ] as const) {
      const { context, page, errors } = await openApp(browser, served, { colorScheme: variant.colorScheme, locale: variant.locale });
      try {
        await page.evaluate((h) => (location.hash = h), `#/library/${id}/edit?review=1`);
        await painted(page, id);
        await check(page, `editor-${variant.name}`);
        const zoom = page.getByTestId('editor-zoom');
        const zoomIn = page.getByRole('button', { name: variant.name === 'zh' ? '放大' : 'Zoom in' });
        for (const want of ['125%', '156%', '195%']) {
          await zoomIn.click();
          await page.waitForFunction((w) => document.querySelector('[data-testid=editor-zoom]')?.textContent === w, want);
        }
        assert.equal(await zoom.innerText(), '195%');
        // The larger picture arrives for the zoom: the page stays sharp.
        await page.waitForFunction(() => Number(document.querySelector('[data-testid=editor-stage]')?.getAttribute('data-picture')) >= 1004);
        await page.waitForTimeout(200);
        await check(page, `editor-zoomed-${variant.name}`);
        if (variant.name === 'zh') {
          assert.equal(await page.getByRole('button', { name: '保存' }).count(), 1);
          continue;
        }
        await page.keyboard.press('?');
        await page.getByRole('dialog').waitFor();
        await check(page, `editor-help-${variant.name}`);
        await page.keyboard.press('Escape');
        await page.getByRole('dialog').waitFor({ state: 'detached' });
        await page.getByRole('button', { name: 'History…' }).click();
        await page.getByRole('dialog').waitFor();
        await check(page, `editor-history-${variant.name}`);
        await page.keyboard.press('Escape');
        await page.getByRole('dialog').waitFor({ state: 'detached' });
        if (variant.name === 'dark') {
          await page.getByRole('tab', { name: 'Review' }).click();
          await page.getByTestId('review-queue').waitFor();
          await check(page, 'review-dark');
        }
        assert.deepEqual(errors, [], 'no errors in the page');
      } finally {
        await context.close();
      }
    }
  });

  test('axe-core finds no serious or critical violation in any state of the editor', () => {
    assert.deepEqual(found, []);
  });
});
