/**
 * The renderer's pure parts, without a browser: the service-state reducer, rates, snippets, failure advice,
 * translation, routes and the settings and hot-folder patches.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DocumentSummary, JobSummary, SettingsView } from '../../app/common/api/resources.ts';
import { en } from '../../app/renderer/i18n/messages-en.ts';
import { zh } from '../../app/renderer/i18n/messages-zh.ts';
import { formatDuration, resolveLanguage, translator } from '../../app/renderer/i18n/i18n.ts';
import { adviceFor, failureText } from '../../app/renderer/lib/failure.ts';
import { parseRoute, routeHash } from '../../app/renderer/lib/route.ts';
import { parseSnippet } from '../../app/renderer/lib/snippet.ts';
import { emptyState, fromSnapshot, jobMatches, jobRate, reduce, documentsOf } from '../../app/renderer/state/service-state.ts';
import { changedPatch, draftOf, fullPatch, newDraft } from '../../app/renderer/views/hot-folders/hot-folder-draft.ts';
import { changedSettings } from '../../app/renderer/views/settings/settings-diff.ts';

const job = (id: number, over: Partial<JobSummary> = {}): JobSummary => ({
  id,
  kind: 'interactive',
  state: 'running',
  priority: 10,
  label: 'x',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  settings: { formats: ['txt'], languages: ['en'], autoRotate: true, pdfMode: 'skip', pdfDpi: 300, pdfa: false, maxPixels: 1e8, passwordSet: false },
  outputDir: null,
  documents: { queued: 0, running: 1, writing: 0, done: 0, failed: 0, cancelled: 0 },
  pages: { total: 10, done: 0 },
  probed: true,
  ...over,
});

const doc = (id: number, jobId: number, over: Partial<DocumentSummary> = {}): DocumentSummary => ({
  id,
  jobId,
  path: `/data/uploads/abc/${id}.jpg`,
  name: `${id}.jpg`,
  state: 'queued',
  notes: [],
  pageCount: 3,
  pagesDone: 0,
  error: null,
  reused: false,
  updatedAt: '2026-01-01T00:00:00Z',
  ...over,
});

const settings: SettingsView = {
  values: { workers: null, threads: null, pageTimeoutMs: 120000, gpu: false, modelDir: '/m', jobDefaults: { formats: ['json', 'txt'], languages: ['en'], autoRotate: true, pdfMode: 'skip', pdfDpi: 300, pdfa: false, maxPixels: 1e8 } },
  sources: {},
  dataDir: '/d',
};

describe('service state', () => {
  test('a snapshot, then events: jobs, documents, pages and deletions', () => {
    let s = fromSnapshot(emptyState, { jobs: [job(1)], documents: [doc(1, 1), doc(2, 1)], progress: { remainingPages: 6, pagesPerSecond: 0, etaSeconds: null, inFlight: 1, paused: false }, hotFolders: [], settings });
    assert.equal(s.generation, 1);
    s = reduce(s, { type: 'page', seq: 1, jobId: 1, documentId: 1, page: 0, pageCount: 3, timings: {} as never }, 1000);
    s = reduce(s, { type: 'page', seq: 2, jobId: 1, documentId: 1, page: 2, pageCount: 3, timings: {} as never }, 2000);
    assert.deepEqual([...s.pagesSeen.get(1)!], [0, 2]);
    assert.equal(s.documents.get(1)!.pagesDone, 2);
    s = reduce(s, { type: 'document', seq: 3, document: doc(2, 1, { state: 'failed', error: { kind: 'corrupt-image', message: 'bad' } }) }, 2000);
    assert.equal(s.documents.get(2)!.state, 'failed');
    s = reduce(s, { type: 'document-deleted', seq: 4, documentId: 1 }, 2000);
    assert.deepEqual(documentsOf(s, 1).map((d) => d.id), [2]);
    s = reduce(s, { type: 'job-removed', seq: 5, jobId: 1 }, 2000);
    assert.equal(s.jobs.size, 0);
    assert.equal(s.documents.size, 0);
  });

  test("a job's own rate and time left come from its recent pages", () => {
    let s = fromSnapshot(emptyState, { jobs: [job(1, { pages: { total: 10, done: 4 } })], documents: [], progress: { remainingPages: 6, pagesPerSecond: 0, etaSeconds: null, inFlight: 1, paused: false }, hotFolders: [], settings });
    for (const t of [0, 1000, 2000, 3000]) s = reduce(s, { type: 'page', seq: t, jobId: 1, documentId: 9, page: t / 1000, pageCount: 10, timings: {} as never }, t);
    const rate = jobRate(s, s.jobs.get(1)!, 4000);
    assert.equal(rate.pagesPerSecond, 3 / 4);
    assert.equal(rate.etaSeconds, 6 / 0.75);
    assert.deepEqual(jobRate(s, s.jobs.get(1)!, 200_000), { pagesPerSecond: 0, etaSeconds: null }, 'pages older than a minute no longer count');
  });

  test('filters: running is anything unfinished; failed includes jobs with a failed document', () => {
    assert.ok(jobMatches(job(1, { state: 'paused' }), 'active'));
    assert.ok(!jobMatches(job(1, { state: 'done' }), 'active'));
    assert.ok(jobMatches(job(1, { state: 'done', documents: { queued: 0, running: 0, writing: 0, done: 1, failed: 1, cancelled: 0 } }), 'failed'));
    assert.ok(!jobMatches(job(1, { state: 'failed' }), 'done'));
  });
});

describe('words on screen', () => {
  test('search snippets: [marked] words become highlighted parts', () => {
    assert.deepEqual(parseSnippet('…Round d [Total] (RM): [9.00]'), [
      { text: '…Round d ', hit: false },
      { text: 'Total', hit: true },
      { text: ' (RM): ', hit: false },
      { text: '9.00', hit: true },
    ]);
    assert.deepEqual(parseSnippet('no marks'), [{ text: 'no marks', hit: false }]);
  });

  test("a failure names the file, not OCR Desk's upload copy, and says what to do in the window", () => {
    const d = doc(3, 1, { path: '/data/uploads/x1/bad.jpg', name: 'bad.jpg', error: { kind: 'unsupported-format', message: '/data/uploads/x1/bad.jpg is not an image OCR Desk can read.' } });
    assert.equal(failureText(d), 'bad.jpg is not an image OCR Desk can read.');
    assert.equal(adviceFor('pdf-password'), 'advice_pdfPassword');
    assert.equal(adviceFor('internal'), 'advice_other');
  });

  test('English plurals, numbers and the language chosen or followed', () => {
    const t = translator('en');
    assert.equal(t('uploaded', { count: 1 }), 'Added 1 file to the queue.');
    assert.equal(t('uploaded', { count: 1200 }), 'Added 1,200 files to the queue.');
    assert.equal(translator('zh')('uploaded', { count: 2 }), '已将 2 个文件加入队列。');
    assert.equal(resolveLanguage('system', ['zh-CN', 'en']), 'zh');
    assert.equal(resolveLanguage('system', ['de-DE', 'en-GB']), 'en');
    assert.equal(resolveLanguage('en', ['zh-CN']), 'en');
    assert.equal(formatDuration(80, 'en'), '1 min 20 s');
    assert.equal(formatDuration(3700, 'zh'), '1 小时 1 分');
  });

  test('the Chinese dictionary says every text, with the same placeholders', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      assert.ok(zh[key], `zh lacks ${key}`);
      const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      assert.deepEqual(names(zh[key]), names(en[key]), `placeholders of ${key}`);
    }
  });
});

describe('routes and patches', () => {
  test('routes round-trip through the address hash', () => {
    assert.deepEqual(parseRoute('#/library/12?q=total%20due'), { tab: 'library', documentId: 12, query: 'total due' });
    assert.equal(routeHash({ tab: 'library', documentId: 12, query: 'total due' }), '#/library/12?q=total%20due');
    assert.deepEqual(parseRoute('#/settings'), { tab: 'settings' });
    assert.equal(parseRoute('#/nowhere'), null);
  });

  test('settings: only what changed is sent', () => {
    assert.equal(changedSettings(settings.values, settings.values), null);
    const after = { ...settings.values, workers: 2, jobDefaults: { ...settings.values.jobDefaults, pdfDpi: 200 } };
    assert.deepEqual(changedSettings(settings.values, after), { workers: 2, jobDefaults: { pdfDpi: 200 } });
  });

  test('hot folders: globs from comma lists; an edit sends only its changes and a password only when typed', () => {
    const d = { ...newDraft(settings.values.jobDefaults), folder: ' /in ', out: '/out', include: '*.tif, inbox/**/*.png,', password: '' };
    const full = fullPatch(d);
    assert.equal(full.folder, '/in');
    assert.deepEqual(full.include, ['*.tif', 'inbox/**/*.png']);
    assert.ok(!('password' in full));
    const info = { id: 1, settings: { ...full, formats: ['json', 'txt'] as const, languages: ['en'] as const, include: ['*.tif'], exclude: [], passwordSet: true }, state: 'watching' as const, problem: null, counts: { taken: 0, done: 0, failed: 0, waiting: 0, arriving: 0 }, recent: [] };
    const before = draftOf(info as never);
    assert.equal(changedPatch(before, before), null);
    assert.deepEqual(changedPatch(before, { ...before, stableMs: 500, password: 'secret' }), { stableMs: 500, password: 'secret' });
  });
});
