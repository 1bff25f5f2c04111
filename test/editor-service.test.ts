/**
 * The result editor's service side with the real engine: receipts and a page scanned on its side OCRed into an
 * output folder; a correction saved as a page version (the OCR's kept as version 0, who and when audited) and
 * carried by every export, the searchable PDF's text layer (pdftotext) and search, with no OCR; stale and bad
 * edits refused with their own errors and nothing lost; a region read again, also turned; the recorded output
 * files written again (a file changed by someone is left alone); reverts; identical content reusing the OCR's
 * reading, not the corrections; and the review queue ordering real documents by their low-confidence words.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { ServiceEvent } from '../app/common/api/events.ts';
import { openApiDocument } from '../app/common/api/openapi.ts';
import { quadBounds, type OcrDocument, type Quad } from '../app/common/result.ts';
import { OcrService } from '../app/main/service/ocr-service.ts';
import { receipts, sharedDir, tempDir } from './helpers.ts';

const run = promisify(execFile);
const pdftotext = async (pdf: string) => (await run('pdftotext', ['-enc', 'UTF-8', pdf, '-'])).stdout;
const text = (data: Uint8Array) => new TextDecoder().decode(data);
const words = (doc: OcrDocument) => doc.pages.flatMap((p) => p.lines.flatMap((l) => l.words));
/** The axis-aligned box a person would draw around a quad, grown by `pad`. */
const drawn = (q: Quad, pad = 4): Quad => {
  const [x1, y1, x2, y2] = quadBounds(q);
  return [[x1 - pad, y1 - pad], [x2 + pad, y1 - pad], [x2 + pad, y2 + pad], [x1 - pad, y2 + pad]];
};

describe('the result editor in the service', { timeout: 600_000 }, () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let service: OcrService;
  const events: ServiceEvent[] = [];
  const ids = new Map<string, number>();
  let out: string;
  const CORRECTED = 'CORRECTEDWORD';

  before(async () => {
    ({ dir, cleanup } = await tempDir('editor-service'));
    service = await OcrService.open({ dataDir: path.join(dir, 'data'), commandLine: { workers: 1 }, env: {} });
    service.subscribe((e) => events.push(e));
    const input = path.join(dir, 'in');
    await mkdir(input);
    for (const f of [receipts[0]!, receipts[1]!, path.join(sharedDir, 'eval', 'sroie-dev', 'images', '002.jpg'), path.join(sharedDir, 'data', 'images', 'phototest-rotated-R.png')]) await copyFile(f, path.join(input, path.basename(f)));
    await writeFile(path.join(input, 'broken.png'), Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]));
    out = path.join(dir, 'out');
    const job = await service.addJob({ inputs: [input], outputDir: out, settings: { formats: ['txt', 'json', 'hocr', 'alto', 'pdf'] } });
    await service.idle();
    for (const d of (await service.getJob({ jobId: job.jobId })).documentList) ids.set(d.name, d.id);
  });
  after(async () => {
    await service.close();
    await cleanup();
  });

  it('a correction is saved as version 1, the OCR kept as version 0, audited with who and when, and announced', async () => {
    const id = ids.get('000.jpg')!;
    const before = await service.getResult({ documentId: id });
    const lowest = words(before).sort((a, b) => a.confidence - b.confidence)[0]!;
    const saved = await service.editPage({ documentId: id, page: 0, baseVersion: 0, edits: [{ op: 'set-word-text', word: lowest.id, text: CORRECTED }], author: 'alice' });
    assert.equal(saved.version, 1);
    assert.equal(words({ ...before, pages: [saved.page] }).find((w) => w.id === lowest.id)?.text, CORRECTED);
    const versions = await service.getVersions({ documentId: id });
    assert.equal(versions.edited, true);
    assert.deepEqual(versions.pages[0]!.versions.map((v) => [v.version, v.kind, v.author]), [[0, 'ocr', null], [1, 'edit', 'alice']]);
    assert.match(versions.pages[0]!.versions[1]!.changes[0]!, new RegExp(`${lowest.id} → "${CORRECTED}"`));
    assert.equal(words({ ...before, pages: [await service.getPageVersion({ documentId: id, page: 0, version: 0 })] }).find((w) => w.id === lowest.id)?.text, lowest.text, 'version 0 is the OCR');
    const audit = service.store.sql("SELECT at, detail FROM audit WHERE event = 'page-edited' AND document_id = ?").all(id) as { at: number; detail: string }[];
    assert.equal(audit.length, 1);
    assert.match(audit[0]!.detail, /page 1 → version 1 by alice/);
    assert.ok(Date.now() - audit[0]!.at < 60_000);
    assert.ok(events.some((e) => e.type === 'page-edited' && e.documentId === id && e.version === 1 && e.author === 'alice'));
    // Without an author, the service's OS user.
    const other = words(before).find((w) => w.id !== lowest.id)!;
    const again = await service.editPage({ documentId: id, page: 0, baseVersion: 1, edits: [{ op: 'accept-word', word: other.id }] });
    assert.equal(again.version, 2);
    assert.ok((await service.getVersions({ documentId: id })).pages[0]!.versions[2]!.author);
  });

  it('every export, the searchable PDF text layer and search carry the correction, with no OCR', async () => {
    const id = ids.get('000.jpg')!;
    const pagesBefore = events.filter((e) => e.type === 'page').length;
    for (const format of ['txt', 'json', 'hocr', 'alto', 'md', 'csv'] as const) {
      assert.match(text((await service.exportDocument({ documentId: id, format })).data), new RegExp(CORRECTED), format);
    }
    const pdf = path.join(dir, 'edited.pdf');
    await writeFile(pdf, (await service.exportDocument({ documentId: id, format: 'pdf' })).data);
    assert.match(await pdftotext(pdf), new RegExp(CORRECTED), 'pdftotext finds the corrected word in the text layer');
    assert.equal(events.filter((e) => e.type === 'page').length, pagesBefore, 'no page was recognised again');
    assert.deepEqual((await service.search({ q: CORRECTED.toLowerCase() })).hits.map((h) => h.documentId), [id]);
  });

  it('a stale version, an unknown id, a box off the page and a document not done are refused with their own errors; nothing is lost', async () => {
    const id = ids.get('000.jpg')!;
    const word = words(await service.getResult({ documentId: id }))[0]!;
    await assert.rejects(service.editPage({ documentId: id, page: 0, baseVersion: 1, edits: [{ op: 'accept-word', word: word.id }] }), (e: Error & { kind: string }) => e.kind === 'edit-conflict' && /is at version 2, but these edits were made on version 1/.test(e.message));
    await assert.rejects(
      service.editPage({ documentId: id, page: 0, baseVersion: 2, edits: [{ op: 'set-word-text', word: word.id, text: 'LOST' }, { op: 'delete-word', word: 'w999' }] }),
      (e: Error & { kind: string }) => e.kind === 'invalid-edit' && /Edit 2 of 2 \(delete-word\): Page 1 has no word w999/.test(e.message),
    );
    await assert.rejects(
      service.editPage({ documentId: id, page: 0, baseVersion: 2, edits: [{ op: 'add-line', box: [[400, 10], [900, 10], [900, 40], [400, 40]], text: 'x' }] }),
      (e: Error & { kind: string }) => e.kind === 'invalid-edit' && /reaches outside page 1 \(463×1013 pixels\)/.test(e.message),
    );
    await assert.rejects(service.editPage({ documentId: id, page: 0, baseVersion: 2, edits: [{ op: 'set-word-text', word: 'l1', text: 'x' }] } as never), (e: Error & { kind: string }) => e.kind === 'invalid-option');
    await assert.rejects(service.editPage({ documentId: id, page: 7, baseVersion: 0, edits: [{ op: 'accept-word', word: 'w1' }] }), (e: Error & { kind: string }) => e.kind === 'not-found');
    await assert.rejects(service.editPage({ documentId: ids.get('broken.png')!, page: 0, baseVersion: 0, edits: [{ op: 'accept-word', word: 'w1' }] }), (e: Error & { kind: string }) => e.kind === 'invalid-transition' && /is failed/.test(e.message));
    const versions = await service.getVersions({ documentId: id });
    assert.equal(versions.pages[0]!.version, 2, 'nothing was saved');
    assert.doesNotMatch(text((await service.exportDocument({ documentId: id, format: 'txt' })).data), /LOST/);
  });

  it('a region is read again: a line as drawn, and text turned on its side with the rotation given', async () => {
    const id = ids.get('000.jpg')!;
    const page = (await service.getResult({ documentId: id })).pages[0]!;
    const line = page.lines.find((l) => /TAN WOON YANN/i.test(l.text))!;
    const proposal = await service.recogniseRegion({ documentId: id, page: 0, quad: drawn(line.box) });
    assert.deepEqual(proposal.lines.map((l) => l.text.toUpperCase()), ['TAN WOON YANN']);
    const [x1, y1, x2, y2] = quadBounds(proposal.lines[0]!.box);
    const [lx1, ly1, lx2, ly2] = quadBounds(line.box);
    assert.ok(Math.abs(x1 - lx1) < 12 && Math.abs(y1 - ly1) < 12 && Math.abs(x2 - lx2) < 12 && Math.abs(y2 - ly2) < 12, 'in page coordinates');
    // Two lines in one region come back as two lines, in reading order.
    const [a, b] = [page.lines[0]!, page.lines[1]!];
    const [ax1, ay1, ax2] = quadBounds(a.box);
    const [bx1, , bx2, by2] = quadBounds(b.box);
    const both: Quad = [[Math.min(ax1, bx1) - 4, ay1 - 4], [Math.max(ax2, bx2) + 4, ay1 - 4], [Math.max(ax2, bx2) + 4, by2 + 4], [Math.min(ax1, bx1) - 4, by2 + 4]];
    assert.equal((await service.recogniseRegion({ documentId: id, page: 0, quad: both })).lines.length, 2);

    const rotated = ids.get('phototest-rotated-R.png')!;
    const turned = (await service.getResult({ documentId: rotated })).pages[0]!;
    assert.equal(turned.orientation, 270, 'the page was scanned turned 90° clockwise');
    const first = turned.lines[0]!;
    const upright = await service.recogniseRegion({ documentId: rotated, page: 0, quad: drawn(first.box, 3), rotation: 270 });
    assert.deepEqual(upright.lines.map((l) => l.text), [first.text]);
    const wrong = await service.recogniseRegion({ documentId: rotated, page: 0, quad: drawn(first.box, 3), rotation: 90 });
    assert.notDeepEqual(wrong.lines.map((l) => l.text), [first.text], 'read upside down it is not the text');

    // Applied with replace-region, the proposal becomes the page's lines (and is not stored before).
    const v = (await service.getVersions({ documentId: id })).pages[0]!.version;
    const saved = await service.editPage({ documentId: id, page: 0, baseVersion: v, edits: [{ op: 'replace-region', region: drawn(line.box), lines: proposal.lines }] });
    assert.equal(saved.page.lines.filter((l) => /TAN WOON YANN/i.test(l.text)).length, 1);
    assert.notEqual(saved.page.lines.find((l) => /TAN WOON YANN/i.test(l.text))!.id, line.id, 'the new line has a new id');
  });

  it('regions off the page, and on a document whose source file is gone, are refused with what to do', async () => {
    const id = ids.get('001.jpg')!;
    await assert.rejects(service.recogniseRegion({ documentId: id, page: 0, quad: [[0, 0], [5000, 0], [5000, 50], [0, 50]] }), (e: Error & { kind: string }) => e.kind === 'invalid-edit' && /outside page 1/.test(e.message));
    const moved = path.join(dir, 'in', '002.jpg');
    await rm(moved);
    await assert.rejects(service.recogniseRegion({ documentId: ids.get('002.jpg')!, page: 0, quad: [[10, 10], [100, 10], [100, 50], [10, 50]] }), (e: Error & { kind: string }) => e.kind === 'not-found' && /source file is no longer at .*002\.jpg.*corrected by hand/.test(e.message));
    // Its text can still be corrected, and exported in the text formats.
    const w = words(await service.getResult({ documentId: ids.get('002.jpg')! }))[0]!;
    await service.editPage({ documentId: ids.get('002.jpg')!, page: 0, baseVersion: 0, edits: [{ op: 'set-word-text', word: w.id, text: 'BYHAND' }] });
    assert.match(text((await service.exportDocument({ documentId: ids.get('002.jpg')!, format: 'txt' })).data), /BYHAND/);
  });

  it("the recorded output files are written again from the edited result; a file someone changed is left alone unless forced", async () => {
    const id = ids.get('000.jpg')!;
    const base = path.join(out, '000');
    assert.doesNotMatch(await readFile(`${base}.txt`, 'utf8'), new RegExp(CORRECTED), 'outputs are not rewritten by an edit');
    await writeFile(`${base}.hocr`, 'changed by a person');
    const shaBefore = service.store.outputs(id);
    const result = await service.rewriteOutputs({ documentId: id });
    assert.deepEqual(result.written.map((o) => o.format).sort(), ['alto', 'json', 'pdf', 'txt']);
    assert.deepEqual(result.skipped.map((o) => o.format), ['hocr']);
    assert.match(result.skipped[0]!.reason, /changed since/);
    for (const ext of ['txt', 'json', 'alto.xml']) assert.match(await readFile(`${base}.${ext}`, 'utf8'), new RegExp(CORRECTED), ext);
    assert.match(await pdftotext(`${base}.pdf`), new RegExp(CORRECTED));
    const shaAfter = service.store.outputs(id);
    assert.notEqual(shaAfter.find((o) => o.format === 'txt')!.sha256, shaBefore.find((o) => o.format === 'txt')!.sha256, 'the new sha256 is recorded');
    const again = await service.rewriteOutputs({ documentId: id, force: true });
    assert.deepEqual(again.written.map((o) => o.format), ['hocr']);
    assert.equal(again.unchanged.length, 4);
    assert.match(await readFile(`${base}.hocr`, 'utf8'), new RegExp(CORRECTED));
    // Deleting the document removes the rewritten files: they are recorded as its own.
    assert.ok(service.store.sql("SELECT 1 FROM audit WHERE event = 'outputs-rewritten' AND document_id = ?").get(id));
  });

  it('identical content is reused as OCR read it, not with another document’s corrections', async () => {
    const copy = path.join(dir, 'again');
    await mkdir(copy);
    await copyFile(receipts[0]!, path.join(copy, '000.jpg'));
    const pagesBefore = events.filter((e) => e.type === 'page').length;
    const job = await service.addJob({ inputs: [copy] });
    await service.idle();
    const doc = (await service.getJob({ jobId: job.jobId })).documentList[0]!;
    assert.equal(doc.reused, true);
    assert.equal(events.filter((e) => e.type === 'page').length, pagesBefore, 'no OCR');
    const reused = await service.getResult({ documentId: doc.id });
    assert.doesNotMatch(JSON.stringify(reused), new RegExp(CORRECTED));
    assert.deepEqual(reused.pages[0], await service.getPageVersion({ documentId: ids.get('000.jpg')!, page: 0, version: 0 }));
  });

  it('a page, then a whole document, is reverted to the OCR as new versions; the history stays', async () => {
    const id = ids.get('000.jpg')!;
    const original = await service.getPageVersion({ documentId: id, page: 0, version: 0 });
    const reverted = await service.revertPage({ documentId: id, page: 0, toVersion: 1, author: 'bob' });
    assert.equal(reverted.version, 4);
    assert.match(text((await service.exportDocument({ documentId: id, format: 'txt' })).data), new RegExp(CORRECTED));
    const doc = await service.revertDocument({ documentId: id, author: 'bob' });
    assert.deepEqual(doc.pages, [{ page: 0, version: 5 }]);
    assert.deepEqual((await service.getResult({ documentId: id })).pages[0], original);
    assert.doesNotMatch(text((await service.exportDocument({ documentId: id, format: 'txt' })).data), new RegExp(CORRECTED));
    const versions = await service.getVersions({ documentId: id });
    assert.equal(versions.edited, false);
    assert.deepEqual(versions.pages[0]!.versions.map((v) => v.kind), ['ocr', 'edit', 'edit', 'edit', 'revert', 'revert']);
    assert.deepEqual(versions.pages[0]!.versions.at(-1)!.changes, ['reverted to version 0']);
    assert.deepEqual(await service.revertDocument({ documentId: id }), { pages: [] }, 'nothing left to revert');
    assert.deepEqual((await service.search({ q: CORRECTED.toLowerCase() })).hits, []);
  });

  it('the review queue orders real documents by their words under the threshold, worst first', async () => {
    const threshold = 0.9;
    const queue = await service.reviewQueue({ threshold });
    const expected: { documentId: number; low: number; lowest: number }[] = [];
    for (const [name, id] of ids) {
      if (name === 'broken.png') continue;
      const ws = words(await service.getResult({ documentId: id }));
      const low = ws.filter((w) => w.confidence < threshold);
      if (low.length > 0) expected.push({ documentId: id, low: low.length, lowest: Math.min(...low.map((w) => w.confidence)) });
    }
    expected.sort((a, b) => b.low - a.low || a.lowest - b.lowest);
    assert.ok(expected.length >= 2, 'several receipts have words under 0.9');
    const mine = queue.documents.filter((d) => expected.some((e) => e.documentId === d.documentId));
    assert.deepEqual(mine.map((d) => [d.documentId, d.lowWords, d.lowestConfidence]), expected.map((e) => [e.documentId, e.low, e.lowest]));
    assert.ok(queue.documents.every((d, i) => i === 0 || d.lowWords <= queue.documents[i - 1]!.lowWords), 'worst first');
    // Accepting a document's low words takes it off the queue.
    const worst = queue.documents[0]!;
    const doc = await service.getResult({ documentId: worst.documentId });
    const low = words(doc).filter((w) => w.confidence < threshold);
    const base = (await service.getVersions({ documentId: worst.documentId })).pages[0]!.version;
    await service.editPage({ documentId: worst.documentId, page: 0, baseVersion: base, edits: low.map((w) => ({ op: 'accept-word' as const, word: w.id })) });
    const after = await service.reviewQueue({ threshold });
    assert.ok(!after.documents.some((d) => d.documentId === worst.documentId));
    assert.equal(after.total, queue.total - 1);
  });

  it('deleting an edited document deletes its page versions too', async () => {
    const id = ids.get('002.jpg')!;
    assert.ok((await service.getVersions({ documentId: id })).edited);
    const count = () => (service.store.sql('SELECT count(*) AS n FROM page_versions WHERE document_id = ?').get(id) as { n: number }).n;
    assert.ok(count() >= 2);
    await service.deleteDocument({ documentId: id });
    assert.equal(count(), 0);
    await assert.rejects(service.getVersions({ documentId: id }), (e: Error & { kind: string }) => e.kind === 'document-not-found');
  });

  it('the OpenAPI document has the edit operations', () => {
    const doc = openApiDocument({ version: 'test', cookieName: 'x' }) as { paths: Record<string, Record<string, { operationId: string }>> };
    for (const [p, m, op] of [
      ['/v1/documents/{documentId}/pages/{page}/edits', 'post', 'editPage'],
      ['/v1/documents/{documentId}/versions', 'get', 'getVersions'],
      ['/v1/documents/{documentId}/pages/{page}/versions/{version}', 'get', 'getPageVersion'],
      ['/v1/documents/{documentId}/pages/{page}/revert', 'post', 'revertPage'],
      ['/v1/documents/{documentId}/revert', 'post', 'revertDocument'],
      ['/v1/documents/{documentId}/pages/{page}/region', 'post', 'recogniseRegion'],
      ['/v1/documents/{documentId}/outputs/rewrite', 'post', 'rewriteOutputs'],
      ['/v1/review', 'get', 'reviewQueue'],
    ] as const) {
      assert.equal(doc.paths[p]?.[m]?.operationId, op, `${m} ${p}`);
    }
  });
});
