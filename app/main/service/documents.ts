/**
 * What the service does with a recognised document besides OCR: exports made from the stored result (no OCR),
 * page pictures for the UI (rendered once, then cached), and deleting a document with everything derived from it.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { BinaryResponse } from '../../common/api/operations.ts';
import { DocumentNotFoundError, InvalidTransitionError, NotFoundError, OcrDeskError } from '../../common/errors.ts';
import { FORMAT_EXTENSIONS, FORMAT_MEDIA_TYPES, type OutputFormat } from '../../common/job-settings.ts';
import { parseDocument, type OcrDocument } from '../../common/result.ts';
import { writeFileAtomic } from '../../node/atomic-write.ts';
import { fileSha256, renderFormat } from '../pipeline/outputs.ts';
import { poolPageRenderer } from '../pipeline/pdf-pages.ts';
import type { PageRecogniser } from '../pool/worker-pool.ts';
import { jobContext } from '../queue/queue.ts';
import type { DocumentRow, Store } from '../store/store.ts';

/** The document row, or {@link DocumentNotFoundError}. */
export function documentRow(store: Store, id: number): DocumentRow {
  const doc = store.document(id);
  if (!doc) throw new DocumentNotFoundError(id);
  return doc;
}

/** The stored result of a document, or a clear error when it has none yet. */
export function storedResult(store: Store, id: number): OcrDocument {
  const doc = documentRow(store, id);
  const json = store.result(id);
  if (json === undefined) {
    throw new InvalidTransitionError(`Document ${id} (${path.basename(doc.source_path)}) has no result yet: it is ${doc.state}.${doc.state === 'failed' ? ` ${doc.error_message ?? ''}` : ''}`.trim());
  }
  return parseDocument(json);
}

/** One format of a document, made from its stored result. */
export async function exportOne(store: Store, recogniser: PageRecogniser, id: number, format: OutputFormat): Promise<BinaryResponse> {
  const doc = documentRow(store, id);
  const result = storedResult(store, id);
  const { settings } = jobContext(store.job(doc.job_id)!);
  let data: string | Uint8Array;
  try {
    data = await renderFormat(result, format, { source: doc.source_path, pdfMode: settings.pdfMode, pdfa: settings.pdfa, renderPage: poolPageRenderer(recogniser, doc.source_path, settings.password) });
  } catch (error) {
    if (format === 'pdf' && (error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new OcrDeskError(`The searchable PDF of ${result.source.name} is made from its source file, which is no longer at ${doc.source_path}. Put it back there, or export a text format.`);
    }
    throw error;
  }
  const stem = result.source.name.replace(/\.[^.]+$/, '') || `document-${id}`;
  return { data: typeof data === 'string' ? new TextEncoder().encode(data) : data, mediaType: FORMAT_MEDIA_TYPES[format], fileName: `${stem}.${FORMAT_EXTENSIONS[format]}` };
}

/** Where a document's page pictures are cached (removed with the document). */
const pictureDir = (cacheDir: string, id: number) => path.join(cacheDir, 'pages', String(id));

/** A page picture (JPEG) for the UI; cached per document by page, size and source content. */
export async function pageImage(store: Store, recogniser: PageRecogniser, cacheDir: string, id: number, page: number, maxSide: number): Promise<BinaryResponse> {
  const doc = documentRow(store, id);
  if (doc.page_count !== null && page >= doc.page_count) throw new NotFoundError(`Document ${id} has ${doc.page_count} page(s); there is no page ${page + 1}.`);
  const { settings } = jobContext(store.job(doc.job_id)!);
  const version = createHash('sha256').update(JSON.stringify([doc.sha256 ?? doc.source_path, settings.pdfDpi])).digest('hex').slice(0, 12);
  const file = path.join(pictureDir(cacheDir, id), `${page}-${maxSide}-${version}.jpg`);
  const fileName = `${path.basename(doc.source_path).replace(/\.[^.]+$/, '')}-page-${page + 1}.jpg`;
  try {
    return { data: new Uint8Array(await readFile(file)), mediaType: 'image/jpeg', fileName };
  } catch {
    // not cached yet
  }
  const image = await recogniser.renderPage(doc.source_path, page, { maxSide, password: settings.password, maxPixels: settings.maxPixels, dpi: settings.pdfDpi });
  await mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, image.data);
  return { data: image.data, mediaType: 'image/jpeg', fileName };
}

/** Writes documents in the given formats into `folder`, one file per document and format. */
export async function exportMany(store: Store, recogniser: PageRecogniser, ids: readonly number[], formats: readonly OutputFormat[], folder: string): Promise<{ files: string[]; failures: { documentId: number; kind: string; message: string }[] }> {
  const files: string[] = [];
  const failures: { documentId: number; kind: string; message: string }[] = [];
  await mkdir(folder, { recursive: true });
  const taken = new Set<string>();
  for (const id of ids) {
    for (const format of formats) {
      try {
        const out = await exportOne(store, recogniser, id, format);
        let name = out.fileName;
        for (let i = 2; taken.has(name.toLowerCase()); i++) name = out.fileName.replace(/(\.[^.]+(\.xml)?)$/, `~${i}$1`);
        taken.add(name.toLowerCase());
        const target = path.join(folder, name);
        await writeFileAtomic(target, out.data);
        files.push(target);
      } catch (error) {
        const e = error instanceof OcrDeskError ? error : new OcrDeskError((error as Error).message);
        failures.push({ documentId: id, kind: e.kind, message: e.message });
      }
    }
  }
  return { files, failures };
}

/**
 * Deletes a document and everything derived from it: its pages, result, search entries and edits (page versions); the output
 * files OCR Desk wrote for it (those still holding what was written; a file changed since is left alone); its
 * uploaded copy; cached page pictures. The audit trail keeps a record of the deletion. Returns the files removed.
 */
export async function deleteDocument(store: Store, cacheDir: string, id: number): Promise<string[]> {
  const doc = documentRow(store, id);
  if (doc.state === 'running' || doc.state === 'writing') {
    throw new InvalidTransitionError(`Document ${id} is being recognised right now; pause or cancel its job first, then delete it.`);
  }
  const removed: string[] = [];
  for (const o of store.outputs(id)) {
    if ((await fileSha256(o.path)) === o.sha256) {
      await rm(o.path, { force: true });
      removed.push(o.path);
    }
  }
  if (doc.owned_source === 1) {
    await rm(doc.source_path, { force: true });
    removed.push(doc.source_path);
    await rm(path.dirname(doc.source_path), { recursive: false }).catch(() => undefined); // the upload folder, once empty
  }
  await rm(pictureDir(cacheDir, id), { recursive: true, force: true });
  store.transaction(() => {
    for (const table of ['pages', 'results', 'outputs', 'edits', 'page_versions']) store.db.prepare(`DELETE FROM ${table} WHERE document_id = ?`).run(id);
    store.sql('DELETE FROM documents_fts WHERE rowid = ?').run(id);
    // The journal keeps the file as taken (a hot folder must not take it again), without its document.
    store.sql('UPDATE journal SET document_id = NULL WHERE document_id = ?').run(id);
    store.sql('DELETE FROM documents WHERE id = ?').run(id);
    store.audit('document-deleted', doc.job_id, id, `${doc.source_path}; ${removed.length} file(s) removed`);
    if (store.documents(doc.job_id).length === 0) store.sql('DELETE FROM jobs WHERE id = ?').run(doc.job_id);
  });
  return removed;
}
