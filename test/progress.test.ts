import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createProgress } from '../app/main/cli/progress.ts';
import { formatSummary, summaryJson, type BatchSummary } from '../app/main/cli/summary.ts';

function stream(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, isTTY, columns: 100, write: (t: string) => chunks.push(t) };
}

describe('progress', () => {
  it('redraws one bar in place on a terminal, with rate and ETA, and prints failures above it', () => {
    const out = stream(true);
    let now = 0;
    const p = createProgress(out, () => now);
    p.start(3, 4);
    now = 1000;
    p.page();
    now = 2000;
    p.page();
    p.file({ path: '/in/bad.jpg', ok: false, kind: 'corrupt-image', message: '/in/bad.jpg is damaged' });
    p.drop(1);
    now = 3000;
    p.page();
    p.finish();
    const text = out.chunks.join('').replaceAll('\x1b', '<ESC>');
    assert.match(text, /\r<ESC>\[2K\[#+\.*\] 2\/4 pages {2}1\.00 pages\/s {2}ETA 2\.0 s/);
    assert.match(text, /\r<ESC>\[2KFAILED \/in\/bad\.jpg: \/in\/bad\.jpg is damaged\n/);
    assert.match(text, /3\/3 pages {2}1\.00 pages\/s {2}ETA 0\.0 s {2}1 failed/);
    assert.ok(text.endsWith('\r<ESC>[2K'), 'finish clears the bar');
  });

  it('prints one line per file elsewhere', () => {
    const out = stream(false);
    const p = createProgress(out);
    p.start(2, 3);
    p.page();
    p.file({ path: 'a.jpg', ok: true, pages: 1, ms: 1234 });
    p.file({ path: 'b.tif', ok: false, kind: 'worker-timeout', message: 'took too long' });
    assert.deepEqual(out.chunks, ['OCR of 2 files, 3 pages\n', '[1/2] ok     a.jpg (1 page, 1.2 s)\n', '[2/2] FAILED b.tif: worker-timeout: took too long\n']);
  });
});

describe('summary', () => {
  const summary: BatchSummary = {
    files: { reused: 0, unfinished: 0, total: 3, ok: 2, failed: 1, skipped: 4 },
    failures: [{ path: '/in/x.png', kind: 'unsupported-format', message: '/in/x.png is not an image' }],
    pages: 5,
    elapsedMs: 2500.123,
    pagesPerSecond: 2,
    stageTotalsMs: { decodeMs: 1.04, detectMs: 2, classifyMs: 3, recogniseMs: 4, layoutMs: 5 },
  };
  it('formats the text summary', () => {
    assert.equal(
      formatSummary(summary),
      'Files: 2 ok, 1 failed, 4 skipped (not images)\nPages: 5 in 2.5 s (2.00 pages/s)\n\nFailed (1):\n  /in/x.png\n    unsupported-format: /in/x.png is not an image\n',
    );
  });
  it('writes exactly the summary JSON fields', () => {
    const json = JSON.parse(summaryJson(summary));
    assert.deepEqual(Object.keys(json), ['files', 'failures', 'pages', 'elapsedMs', 'pagesPerSecond', 'stageTotalsMs']);
    assert.equal(json.elapsedMs, 2500.1);
    assert.equal(json.stageTotalsMs.decodeMs, 1);
  });
});
