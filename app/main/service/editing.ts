/**
 * The result editor's commands and queries, as the service runs them: page versions (version 0 is the OCR's,
 * kept for good; each save or revert adds one), edits applied all-or-none against the version they were made on,
 * the document's result and search entries kept current (so every export made afterwards carries the edits, with
 * no OCR), reverts, one region of a page read again by a worker, a document's recorded output files written again
 * from its edited result, and the review queue.
 *
 * Who and when: every saved version records its author (the API caller's `author`, else the service's OS user) and
 * time, and the audit trail gets one row per save, revert and rewrite.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_REVIEW_THRESHOLD, type DocumentVersions, type PageHistory, type PageVersion, type RegionProposal, type ReviewQueue, type RewrittenOutputs, type SavedPage } from '../../common/api/editing.ts';
import type { OperationInput } from '../../common/api/operations.ts';
import { applyEdits, describeEdit, type Edit } from '../../common/edits.ts';
import { EditConflictError, InvalidEditError, InvalidTransitionError, NotFoundError } from '../../common/errors.ts';
import type { OutputFormat } from '../../common/job-settings.ts';
import { documentText, pageSchema, parsePage, type OcrDocument, type OcrPage, type Quad } from '../../common/result.ts';
import { fileSha256, renderFormat, sha256Of, writeOutputs, type RenderedOutput } from '../pipeline/outputs.ts';
import { poolPageRenderer } from '../pipeline/pdf-pages.ts';
import type { WorkerPool } from '../pool/worker-pool.ts';
import { jobContext } from '../queue/queue.ts';
import { addPageVersion, currentVersion, editedPages, pageVersions, replaceResult, reviewRows, setOutputSha, versionResult, type PageVersionRow } from '../store/page-versions.ts';
import type { DocumentRow, Store } from '../store/store.ts';
import { documentRow, storedResult } from './documents.ts';

const iso = (ms: number) => new Date(ms).toISOString();

/** A done document (edits apply to finished results only) with its result. */
function editable(store: Store, documentId: number): { doc: DocumentRow; result: OcrDocument } {
  const doc = documentRow(store, documentId);
  if (doc.state !== 'done') {
    throw new InvalidTransitionError(`Document ${documentId} (${path.basename(doc.source_path)}) is ${doc.state}: it can be edited once it is done.`);
  }
  return { doc, result: storedResult(store, documentId) };
}

function pageOf(result: OcrDocument, documentId: number, page: number): { index: number; page: OcrPage } {
  const index = result.pages.findIndex((p) => p.index === page);
  if (index < 0) throw new NotFoundError(`Document ${documentId} has ${result.pages.length} page(s); there is no page ${page + 1}.`);
  return { index, page: result.pages[index]! };
}

function describeRow(row: PageVersionRow): PageVersion {
  let changes: string[] = [];
  if (row.kind === 'edit' && row.edits) changes = (JSON.parse(row.edits) as Edit[]).map(describeEdit);
  if (row.kind === 'revert' && row.edits) changes = [`reverted to version ${(JSON.parse(row.edits) as { to: number }).to}`];
  return { version: row.version, kind: row.kind, author: row.author, createdAt: iso(row.created_at), changes };
}

export function documentVersions(store: Store, documentId: number): DocumentVersions {
  const result = storedResult(store, documentId);
  const rows = pageVersions(store, documentId);
  const pages: PageHistory[] = result.pages.map((p) => {
    const mine = rows.filter((r) => r.page === p.index);
    return { page: p.index, version: mine.at(-1)?.version ?? 0, versions: mine.map(describeRow) };
  });
  return { documentId, edited: editedPages(store, documentId) > 0, pages };
}

export function pageVersion(store: Store, documentId: number, page: number, version: number): OcrPage {
  const result = storedResult(store, documentId);
  const current = pageOf(result, documentId, page).page;
  const stored = versionResult(store, documentId, page, version);
  if (stored !== undefined) return parsePage(stored);
  if (version === 0 && currentVersion(store, documentId, page) === 0) return current;
  throw new NotFoundError(`Page ${page + 1} of document ${documentId} has no version ${version}; it is at version ${currentVersion(store, documentId, page)}.`);
}

/** Stores `next` as the page's next version and makes it current in the document's result, in one transaction. */
function commit(store: Store, doc: DocumentRow, result: OcrDocument, at: number, next: OcrPage, kind: 'edit' | 'revert', edits: string, author: string, now: number): number {
  const page = result.pages[at]!;
  const current = currentVersion(store, doc.id, page.index);
  if (current === 0) {
    // The OCR's reading, kept as version 0 the first time the page changes.
    const created = Date.parse(result.engine.createdAt);
    addPageVersion(store, { documentId: doc.id, page: page.index, version: 0, kind: 'ocr', result: JSON.stringify(page), edits: null, author: null, createdAt: Number.isFinite(created) ? created : now });
  }
  const version = current + 1;
  addPageVersion(store, { documentId: doc.id, page: page.index, version, kind, result: JSON.stringify(next), edits, author, createdAt: now });
  const updated: OcrDocument = { ...result, pages: result.pages.map((p, i) => (i === at ? next : p)) };
  replaceResult(store, doc.id, JSON.stringify(updated), documentText(updated));
  return version;
}

export interface EditOutcome extends SavedPage {
  readonly jobId: number;
}

/** Applies a batch of edits to a page, all or none, as its next version. */
export function editPage(store: Store, input: { documentId: number; page: number; baseVersion: number; edits: readonly Edit[] }, author: string, now = Date.now()): EditOutcome {
  return store.transaction(() => {
    const { doc, result } = editable(store, input.documentId);
    const { index, page } = pageOf(result, input.documentId, input.page);
    const current = currentVersion(store, doc.id, page.index);
    if (input.baseVersion !== current) {
      throw new EditConflictError(
        `Page ${page.index + 1} of ${path.basename(doc.source_path)} is at version ${current}, but these edits were made on version ${input.baseVersion}: ` +
          'it was saved or reverted since. Reload the page and make them again on the current version.',
      );
    }
    const next = applyEdits(page, input.edits);
    const checked = pageSchema.safeParse(next);
    if (!checked.success) throw new InvalidEditError(`These edits would leave page ${page.index + 1} invalid (${checked.error.issues[0]?.message ?? 'unknown shape'}); nothing was saved.`);
    const version = commit(store, doc, result, index, next, 'edit', JSON.stringify(input.edits), author, now);
    const summary = input.edits.map(describeEdit).join('; ');
    store.audit('page-edited', doc.job_id, doc.id, `page ${page.index + 1} → version ${version} by ${author}: ${summary.length > 1500 ? `${summary.slice(0, 1500)}…` : summary}`);
    return { version, page: next, jobId: doc.job_id };
  });
}

/** Makes an earlier version of a page (default: the OCR's) its next version; nothing happens to a page never edited. */
export function revertPage(store: Store, documentId: number, pageIndex: number, toVersion: number, author: string, now = Date.now()): EditOutcome & { changed: boolean } {
  return store.transaction(() => {
    const { doc, result } = editable(store, documentId);
    const { index, page } = pageOf(result, documentId, pageIndex);
    const current = currentVersion(store, doc.id, pageIndex);
    if (toVersion > current) throw new NotFoundError(`Page ${pageIndex + 1} of document ${documentId} has no version ${toVersion}; it is at version ${current}.`);
    if (current === 0 || toVersion === current) return { version: current, page, jobId: doc.job_id, changed: false };
    const target = versionResult(store, doc.id, pageIndex, toVersion)!;
    const next = parsePage(target);
    const version = commit(store, doc, result, index, next, 'revert', JSON.stringify({ to: toVersion }), author, now);
    store.audit('page-reverted', doc.job_id, doc.id, `page ${pageIndex + 1} → version ${version} (version ${toVersion} restored) by ${author}`);
    return { version, page: next, jobId: doc.job_id, changed: true };
  });
}

/** Reverts every page whose current version differs from the OCR's. */
export function revertDocument(store: Store, documentId: number, author: string, now = Date.now()): { pages: { page: number; version: number }[]; jobId: number } {
  return store.transaction(() => {
    const { doc } = editable(store, documentId);
    const pages: { page: number; version: number }[] = [];
    const rows = pageVersions(store, documentId);
    for (const p of new Set(rows.map((r) => r.page))) {
      const mine = rows.filter((r) => r.page === p);
      if (mine.at(-1)!.result === mine[0]!.result) continue;
      const reverted = revertPage(store, documentId, p, 0, author, now);
      pages.push({ page: p, version: reverted.version });
    }
    store.audit('document-reverted', doc.job_id, doc.id, `${pages.length} page(s) back to the OCR's reading by ${author}`);
    return { pages, jobId: doc.job_id };
  });
}

/** Reads one region of a stored page again with a worker; nothing is stored. */
export async function recogniseRegion(store: Store, pool: WorkerPool, input: OperationInput<'recogniseRegion'>): Promise<RegionProposal> {
  const doc = documentRow(store, input.documentId);
  const result = storedResult(store, input.documentId);
  const { page } = pageOf(result, input.documentId, input.page);
  const quad = input.quad as Quad;
  for (const [x, y] of quad) {
    if (x < -2 || y < -2 || x > page.width + 2 || y > page.height + 2) {
      throw new InvalidEditError(`The region reaches outside page ${page.index + 1} (${page.width}×${page.height} pixels): its corner (${x}, ${y}) is off the page.`);
    }
  }
  try {
    await access(doc.source_path);
  } catch {
    throw new NotFoundError(
      `Page ${page.index + 1} of ${path.basename(doc.source_path)} cannot be read again: its source file is no longer at ${doc.source_path}. ` +
        'Put it back there to read regions again; the text can still be corrected by hand.',
    );
  }
  const { settings } = jobContext(store.job(doc.job_id)!);
  const pdf = page.pdf || page.dpi !== undefined ? { pdf: { dpi: page.dpi ?? settings.pdfDpi, ...(settings.password === undefined ? {} : { password: settings.password }) } } : {};
  const clamp = (v: number, max: number) => Math.min(max, Math.max(0, v));
  return pool.recogniseRegion(doc.source_path, page.index, {
    quad: quad.map(([x, y]) => [clamp(x, page.width), clamp(y, page.height)] as const) as unknown as Quad,
    rotation: input.rotation ?? 0,
    languages: input.languages ?? settings.languages,
    pageWidth: page.width,
    pageHeight: page.height,
    maxPixels: settings.maxPixels,
    ...pdf,
  });
}

/**
 * Writes a document's recorded output files again from its current result, as a set (atomically), and records
 * their new sha256. A file someone changed since OCR Desk wrote it is left alone unless `force`.
 */
export async function rewriteOutputs(store: Store, pool: WorkerPool, documentId: number, force: boolean, author: string): Promise<RewrittenOutputs> {
  const { doc, result } = editable(store, documentId);
  const { settings } = jobContext(store.job(doc.job_id)!);
  const context = { source: doc.source_path, pdfMode: settings.pdfMode, pdfa: settings.pdfa, renderPage: poolPageRenderer(pool, doc.source_path, settings.password) };
  const out: RewrittenOutputs = { written: [], unchanged: [], skipped: [] };
  const todo: RenderedOutput[] = [];
  for (const o of store.outputs(documentId)) {
    const format = o.format as OutputFormat;
    const file = { format, path: o.path };
    let data: string | Uint8Array;
    try {
      data = await renderFormat(result, format, context);
    } catch (error) {
      const gone = (error as NodeJS.ErrnoException).code === 'ENOENT';
      out.skipped.push({ ...file, reason: gone ? `its source file is no longer at ${doc.source_path}` : (error as Error).message });
      continue;
    }
    const sha256 = sha256Of(data);
    const onDisk = await fileSha256(o.path);
    if (onDisk === sha256) {
      out.unchanged.push(file);
      if (o.sha256 !== sha256) setOutputSha(store, documentId, format, sha256);
    } else if (onDisk === undefined || onDisk === o.sha256 || force) {
      todo.push({ format, path: o.path, data, sha256 });
    } else {
      out.skipped.push({ ...file, reason: 'it was changed since OCR Desk wrote it (pass force to overwrite it)' });
    }
  }
  // Written as a set first, then recorded: a crash in between leaves files that already hold what a retry writes.
  await writeOutputs(todo);
  store.transaction(() => {
    for (const o of todo) setOutputSha(store, documentId, o.format, o.sha256);
    store.audit('outputs-rewritten', doc.job_id, doc.id, `${todo.length} file(s) written from the edited result by ${author}${out.skipped.length > 0 ? `; ${out.skipped.length} left alone` : ''}`);
  });
  out.written.push(...todo.map((o) => ({ format: o.format, path: o.path })));
  return out;
}

export function reviewQueue(store: Store, input: OperationInput<'reviewQueue'>): ReviewQueue {
  const threshold = input.threshold ?? DEFAULT_REVIEW_THRESHOLD;
  const rows = reviewRows(store, threshold, input.jobId);
  const documents = rows.slice(0, input.limit ?? 100).map((r) => ({
    documentId: r.id,
    jobId: r.job_id,
    name: path.basename(r.source_path),
    path: r.source_path,
    pages: r.pages,
    words: r.words,
    lowWords: r.low,
    lowestConfidence: r.lowest,
    editedPages: editedPages(store, r.id),
  }));
  return { threshold, documents, total: rows.length };
}
