/** The service's document verbs: results, pages and their pictures, exports, deletion, search, and the editor's. */
import path from 'node:path';
import { NotFoundError } from '../../common/errors.ts';
import type { Verbs } from './context.ts';
import { deleteDocument, documentRow, exportMany, exportOne, pageImage, storedResult } from './documents.ts';
import { documentVersions, editPage, pageVersion, recogniseRegion, revertDocument, revertPage, reviewQueue, rewriteOutputs } from './editing.ts';
import { documentDetail, documentSummary, listDocuments } from './views.ts';

type DocumentVerb =
  | 'listDocuments'
  | 'getDocument'
  | 'getResult'
  | 'getPage'
  | 'getPageImage'
  | 'exportDocument'
  | 'exportDocuments'
  | 'deleteDocument'
  | 'search'
  | 'getVersions'
  | 'getPageVersion'
  | 'editPage'
  | 'revertPage'
  | 'revertDocument'
  | 'recogniseRegion'
  | 'rewriteOutputs'
  | 'reviewQueue';

/** The longer side of a page picture when none is asked for. */
const PICTURE_SIDE = 2048;

export const documentVerbs: Verbs<DocumentVerb> = {
  async listDocuments(ctx, input) {
    const { rows, total } = listDocuments(ctx.store, input);
    return { documents: rows.map((d) => documentSummary(ctx.store, d)), total };
  },

  async getDocument(ctx, { documentId }) {
    return documentDetail(ctx.store, documentRow(ctx.store, documentId));
  },

  async getResult(ctx, { documentId }) {
    return storedResult(ctx.store, documentId);
  },

  async getPage(ctx, { documentId, page }) {
    const result = storedResult(ctx.store, documentId);
    const found = result.pages.find((p) => p.index === page);
    if (!found) throw new NotFoundError(`Document ${documentId} has ${result.pages.length} page(s); there is no page ${page + 1}.`);
    return found;
  },

  async getPageImage(ctx, { documentId, page, maxSide }) {
    return pageImage(ctx.store, ctx.pool(), ctx.cacheDir(), documentId, page, maxSide ?? PICTURE_SIDE);
  },

  async exportDocument(ctx, { documentId, format }) {
    return exportOne(ctx.store, ctx.pool(), documentId, format);
  },

  async exportDocuments(ctx, input) {
    await ctx.network.checkPaths([input.folder]);
    const result = await exportMany(ctx.store, ctx.pool(), input.documentIds, input.formats, path.resolve(input.folder));
    ctx.store.audit('documents-exported', null, null, `${input.documentIds.length} document(s) to ${input.folder}`);
    return { files: result.files, failures: result.failures as Awaited<ReturnType<Verbs<'exportDocuments'>['exportDocuments']>>['failures'] };
  },

  async deleteDocument(ctx, { documentId }) {
    const jobId = documentRow(ctx.store, documentId).job_id;
    const deletedFiles = await deleteDocument(ctx.store, ctx.cacheDir(), documentId);
    ctx.events.emit({ type: 'document-deleted', documentId });
    if (ctx.store.job(jobId)) ctx.emitJob(jobId);
    else ctx.events.emit({ type: 'job-removed', jobId });
    return { deletedFiles };
  },

  async search(ctx, { q, limit }) {
    return { hits: ctx.store.search(q, limit ?? 20).map((h) => ({ documentId: h.documentId, path: h.path, name: path.basename(h.path), snippet: h.snippet })) };
  },

  // ---- the result editor ----

  async getVersions(ctx, { documentId }) {
    return documentVersions(ctx.store, documentId);
  },

  async getPageVersion(ctx, { documentId, page, version }) {
    return pageVersion(ctx.store, documentId, page, version);
  },

  async editPage(ctx, input) {
    const author = ctx.author(input.author);
    const saved = editPage(ctx.store, input, author);
    ctx.events.emit({ type: 'page-edited', documentId: input.documentId, page: input.page, version: saved.version, author });
    return { version: saved.version, page: saved.page };
  },

  async revertPage(ctx, input) {
    const author = ctx.author(input.author);
    const saved = revertPage(ctx.store, input.documentId, input.page, input.toVersion ?? 0, author);
    if (saved.changed) ctx.events.emit({ type: 'page-edited', documentId: input.documentId, page: input.page, version: saved.version, author });
    return { version: saved.version, page: saved.page };
  },

  async revertDocument(ctx, input) {
    const author = ctx.author(input.author);
    const { pages } = revertDocument(ctx.store, input.documentId, author);
    for (const p of pages) ctx.events.emit({ type: 'page-edited', documentId: input.documentId, page: p.page, version: p.version, author });
    return { pages };
  },

  async recogniseRegion(ctx, input) {
    return recogniseRegion(ctx.store, ctx.pool(), input);
  },

  async rewriteOutputs(ctx, input) {
    return rewriteOutputs(ctx.store, ctx.pool(), input.documentId, input.force ?? false, ctx.author(undefined));
  },

  async reviewQueue(ctx, input) {
    return reviewQueue(ctx.store, input);
  },
};
