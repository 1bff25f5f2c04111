import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidTransitionError } from '../app/common/errors.ts';
import { jobSettingsSchema } from '../app/common/job-settings.ts';
import { engineTuning } from '../app/common/engine-tuning.ts';
import { contentKey } from '../app/main/pipeline/content-key.ts';
import { RateMeter } from '../app/main/queue/rate.ts';
import { nextDocumentState, nextJobState, settledJobEvent } from '../app/main/queue/states.ts';

test('job transitions: pause, resume, cancel, retry and finishing', () => {
  assert.equal(nextJobState(1, 'queued', 'start'), 'running');
  assert.equal(nextJobState(1, 'running', 'pause'), 'paused');
  assert.equal(nextJobState(1, 'paused', 'resume'), 'queued');
  assert.equal(nextJobState(1, 'paused', 'cancel'), 'cancelled');
  assert.equal(nextJobState(1, 'cancelled', 'retry'), 'queued');
  assert.equal(nextJobState(1, 'failed', 'retry'), 'queued');
  assert.equal(nextJobState(1, 'running', 'finish-ok'), 'done');
  assert.equal(nextJobState(1, 'running', 'finish-failed'), 'failed');
});

test('job commands that do not apply throw InvalidTransitionError naming the job and state', () => {
  assert.throws(() => nextJobState(7, 'done', 'pause'), (e: unknown) => e instanceof InvalidTransitionError && e.message === 'Job 7 is done, so it cannot be paused; only queued or running or paused jobs can.');
  assert.throws(() => nextJobState(7, 'done', 'retry'), InvalidTransitionError);
  assert.throws(() => nextJobState(7, 'done', 'cancel'), InvalidTransitionError);
  assert.throws(() => nextJobState(7, 'paused', 'start'), InvalidTransitionError);
});

test('document transitions', () => {
  assert.equal(nextDocumentState('queued', 'start'), 'running');
  assert.equal(nextDocumentState('running', 'write'), 'writing');
  assert.equal(nextDocumentState('writing', 'done'), 'done');
  assert.equal(nextDocumentState('running', 'requeue'), 'queued');
  assert.equal(nextDocumentState('failed', 'retry'), 'queued');
  assert.throws(() => nextDocumentState('done', 'start'), InvalidTransitionError);
  assert.throws(() => nextDocumentState('writing', 'cancel'), InvalidTransitionError, 'a document being written finishes');
});

test('a job settles when every document has ended', () => {
  const counts = { queued: 0, running: 0, writing: 0, done: 3, failed: 0, cancelled: 1 };
  assert.equal(settledJobEvent(counts), 'finish-ok');
  assert.equal(settledJobEvent({ ...counts, failed: 1 }), 'finish-failed');
  assert.equal(settledJobEvent({ ...counts, writing: 1 }), undefined);
});

test('content key: same content and settings match; any setting that changes the result does not', () => {
  const s = jobSettingsSchema.parse({ formats: ['json'], languages: ['en', 'zh'] });
  const engine = { models: 'pack-1', version: '1.0.0', modelFiles: ['a'.repeat(64), 'b'.repeat(64)], tuning: '' };
  const k = contentKey('abc', s, engine);
  assert.equal(contentKey('abc', { ...s, formats: ['txt'], languages: ['zh', 'en'], password: 'secret', pdfa: true }, engine), k, 'outputs and passwords do not change the text');
  assert.notEqual(contentKey('abd', s, engine), k);
  assert.notEqual(contentKey('abc', s, { ...engine, models: 'pack-2' }), k);
  assert.notEqual(contentKey('abc', s, { ...engine, version: '1.0.1' }), k, 'another engine version never reuses');
  assert.notEqual(contentKey('abc', s, { ...engine, modelFiles: ['a'.repeat(64), 'c'.repeat(64)] }), k, 'a pack of the same id with another model');
  assert.notEqual(contentKey('abc', s, { ...engine, tuning: engineTuning({ OCR_DESK_REC_INT8: '1' }) }), k, 'an engine tuned otherwise');
  assert.equal(engineTuning({ OCR_DESK_PDF_DPI: '200', OCR_DESK_REC_INT8: ' ', PATH: '/bin' }), '', 'only engine variables, and blank is unset');
  assert.equal(engineTuning({ OCR_DESK_WORD_THRESHOLD: '-0.5', OCR_DESK_DET_TEXT_HEIGHT: '22' }), 'OCR_DESK_DET_TEXT_HEIGHT=22\nOCR_DESK_WORD_THRESHOLD=-0.5');
  assert.notEqual(contentKey('abc', { ...s, languages: ['en'] }, engine), k);
  assert.notEqual(contentKey('abc', { ...s, pdfMode: 'force' }, engine), k);
  assert.notEqual(contentKey('abc', { ...s, pdfDpi: 200 }, engine), k);
  assert.notEqual(contentKey('abc', { ...s, autoRotate: false }, engine), k);
});

test('rate meter: pages per second over the window, and the ETA', () => {
  const m = new RateMeter({ windowMs: 10_000 });
  assert.equal(m.rate(0), 0);
  assert.equal(m.etaSeconds(0, 10), undefined);
  for (let t = 0; t <= 4000; t += 500) m.add(t);
  assert.equal(m.rate(4000), 9 / 4);
  assert.equal(m.etaSeconds(4000, 9), 4);
  assert.equal(m.rate(30_000), 0, 'old pages leave the window');
  assert.equal(m.etaSeconds(30_000, 0), 0);
});
