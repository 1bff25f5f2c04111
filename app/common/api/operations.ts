/**
 * The service API: every command and query, with its input and output schema and its HTTP route. This table is
 * the one contract: the HTTP adapter builds its routes from it, the OpenAPI document is generated from it, the
 * Electron preload exposes one verb per entry, and the client types below are derived from it.
 *
 * Conventions: path parameters (`{jobId}`) are input fields of the same name; a GET takes the other fields from the
 * query string; other methods take them as a JSON body. `response: 'binary'` answers with the bytes themselves
 * (a download or a picture); `request: 'multipart'` takes the files as a streamed multipart upload.
 */
import { z } from 'zod';
import {
  apiKeySchema,
  auditEntrySchema,
  auditInputSchema,
  createApiKeyInputSchema,
  createdApiKeySchema,
  deleteEverythingInputSchema,
  nodeSettingsValuesSchema,
  nodeSettingsViewSchema,
  purgeInputSchema,
  purgeOutputSchema,
  webhookUrlSchema,
  type Scope,
} from './access.ts';
import { failureSchema } from './resources.ts';
import {
  documentVersionsSchema,
  editPageInputSchema,
  recogniseRegionInputSchema,
  regionProposalSchema,
  reviewQueueSchema,
  rewrittenOutputsSchema,
  savedPageSchema,
} from './editing.ts';
import { hotFolderPatchSchema } from '../hot-folder-settings.ts';
import { jobSettingsPatchSchema, outputFormatSchema } from '../job-settings.ts';
import { documentSchema, pageSchema } from '../result.ts';
import {
  diagnosticsSchema,
  documentDetailSchema,
  documentStateSchema,
  documentSummarySchema,
  hotFolderSchema,
  idSchema,
  jobStateSchema,
  jobSummarySchema,
  progressSchema,
  searchHitSchema,
  serviceSettingsSchema,
  settingsViewSchema,
} from './resources.ts';

export const API_VERSION = 1;

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface OperationSpec<I extends z.ZodObject = z.ZodObject, O extends z.ZodType = z.ZodType> {
  readonly kind: 'command' | 'query';
  /**
   * What a caller must hold to call it (access.ts): `read`, `submit` or `admin`. The HTTP adapter checks it, the
   * OpenAPI document states it, and the local admin (the token, the CLI, the app) holds every scope.
   */
  readonly scope: Scope;
  /** One line for people (OpenAPI summary, preload docs). */
  readonly summary: string;
  readonly method: HttpMethod;
  readonly path: string;
  readonly input: I;
  readonly output: O;
  /** @default 'json' */
  readonly request?: 'json' | 'multipart';
  /** @default 'json' */
  readonly response?: 'json' | 'binary';
}

const op = <I extends z.ZodObject, O extends z.ZodType>(spec: OperationSpec<I, O>): OperationSpec<I, O> => spec;

/** Bytes with their media type: exports and page pictures. */
export const binarySchema = z.object({
  data: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'bytes (a Uint8Array)'),
  mediaType: z.string(),
  /** Suggested file name for a download. */
  fileName: z.string(),
});

const ok = z.object({ ok: z.literal(true) });
const page = z.number().int().min(0).max(1_000_000);
const limit = z.number().int().min(1).max(1000);

export const addJobInputSchema = z.object({
  /** Files and folders on the service's machine; folders are read recursively. */
  inputs: z.array(z.string().min(1)).min(1).max(100_000),
  /** Relative inputs and `outputDir` are resolved against this folder (the client's working folder). */
  baseDir: z.string().min(1).optional(),
  /** Results are written here, mirroring the input tree; without it they are kept in the store only. */
  outputDir: z.string().min(1).optional(),
  /** Settings for this job; those left out come from the service's job defaults. */
  settings: jobSettingsPatchSchema.optional(),
  /** Higher runs first. @default 10 */
  priority: z.number().int().min(-1000).max(1000).optional(),
  /** Recognise again even where an identical document was recognised before with the same settings. @default false */
  force: z.boolean().optional(),
  /** Resume an unfinished job with the same inputs, output folder and settings instead of adding one. @default false */
  resume: z.boolean().optional(),
  label: z.string().min(1).max(200).optional(),
  /** Posted to (signed, retried with back-off) when the job ends; its origin must be allowed (--webhook-allow). */
  webhookUrl: webhookUrlSchema.optional(),
});

export const addJobOutputSchema = z.object({
  jobId: idSchema,
  /** The job existed, unfinished, and was taken up again. */
  resumed: z.boolean(),
  documents: z.number().int().min(0),
  /** Files inside folders that are not images or PDFs. */
  skipped: z.array(z.string()),
  /** Entries that could not be read while listing the inputs (they are not part of the job). */
  failures: z.array(failureSchema.extend({ path: z.string() })),
});

export const uploadInputSchema = z.object({
  files: z.array(z.object({ name: z.string().min(1).max(255), data: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'bytes (a Uint8Array)') })).min(1),
  settings: jobSettingsPatchSchema.optional(),
  priority: z.number().int().min(-1000).max(1000).optional(),
  /** A retried upload with the same key returns the first upload's job instead of adding another. */
  idempotencyKey: z.string().min(8).max(200).optional(),
  /** What the job is, in a few words (a dropped folder's name). @default the file name, or "N uploaded files" */
  label: z.string().min(1).max(200).optional(),
  /** As for addJob. */
  webhookUrl: webhookUrlSchema.optional(),
});

const jobId = z.object({ jobId: idSchema });
const documentId = z.object({ documentId: idSchema });
const hotFolderId = z.object({ hotFolderId: idSchema });

export const OPERATIONS = {
  // ---- jobs ----
  addJob: op({ kind: 'command', scope: 'submit', summary: 'Add files and folders as a job', method: 'POST', path: '/v1/jobs', input: addJobInputSchema, output: addJobOutputSchema }),
  uploadFiles: op({
    kind: 'command', scope: 'submit',
    summary: 'Upload files as a job (multipart: a `settings` JSON field, then one or more `file` parts)',
    method: 'POST',
    path: '/v1/uploads',
    request: 'multipart',
    input: uploadInputSchema,
    output: addJobOutputSchema,
  }),
  listJobs: op({
    kind: 'query', scope: 'read',
    summary: 'List jobs, newest first',
    method: 'GET',
    path: '/v1/jobs',
    input: z.object({ state: z.enum([...jobStateSchema.options, 'active']).optional(), limit: limit.optional(), offset: z.number().int().min(0).optional() }),
    output: z.object({ jobs: z.array(jobSummarySchema), total: z.number().int().min(0) }),
  }),
  getJob: op({ kind: 'query', scope: 'read', summary: 'A job with its documents', method: 'GET', path: '/v1/jobs/{jobId}', input: jobId, output: jobSummarySchema.extend({ documentList: z.array(documentSummarySchema) }) }),
  pauseJob: op({ kind: 'command', scope: 'submit', summary: 'Pause a job (pages in flight stop; stored pages are kept)', method: 'POST', path: '/v1/jobs/{jobId}/pause', input: jobId, output: jobSummarySchema }),
  resumeJob: op({ kind: 'command', scope: 'submit', summary: 'Resume a paused job', method: 'POST', path: '/v1/jobs/{jobId}/resume', input: jobId, output: jobSummarySchema }),
  cancelJob: op({ kind: 'command', scope: 'submit', summary: 'Cancel a job', method: 'POST', path: '/v1/jobs/{jobId}/cancel', input: jobId, output: jobSummarySchema }),
  retryJob: op({ kind: 'command', scope: 'submit', summary: 'Queue the failed and cancelled documents of a job again', method: 'POST', path: '/v1/jobs/{jobId}/retry', input: jobId, output: jobSummarySchema }),
  setJobPriority: op({
    kind: 'command', scope: 'submit',
    summary: 'Change the priority of a job (higher runs first)',
    method: 'POST',
    path: '/v1/jobs/{jobId}/priority',
    input: jobId.extend({ priority: z.number().int().min(-1000).max(1000) }),
    output: jobSummarySchema,
  }),
  retryFailed: op({ kind: 'command', scope: 'admin', summary: 'Queue every failed document again', method: 'POST', path: '/v1/retry-failed', input: z.object({}), output: z.object({ documents: z.number().int().min(0) }) }),
  pauseQueue: op({ kind: 'command', scope: 'admin', summary: 'Pause the whole queue', method: 'POST', path: '/v1/queue/pause', input: z.object({}), output: progressSchema }),
  resumeQueue: op({ kind: 'command', scope: 'admin', summary: 'Resume the whole queue', method: 'POST', path: '/v1/queue/resume', input: z.object({}), output: progressSchema }),
  getProgress: op({ kind: 'query', scope: 'read', summary: 'Queue-wide progress: pages left, pages/s, ETA', method: 'GET', path: '/v1/progress', input: z.object({}), output: progressSchema }),

  // ---- documents ----
  listDocuments: op({
    kind: 'query', scope: 'read',
    summary: 'List documents, newest first',
    method: 'GET',
    path: '/v1/documents',
    input: z.object({ jobId: idSchema.optional(), state: documentStateSchema.optional(), limit: limit.optional(), offset: z.number().int().min(0).optional() }),
    output: z.object({ documents: z.array(documentSummarySchema), total: z.number().int().min(0) }),
  }),
  getDocument: op({ kind: 'query', scope: 'read', summary: 'A document', method: 'GET', path: '/v1/documents/{documentId}', input: documentId, output: documentDetailSchema }),
  getResult: op({ kind: 'query', scope: 'read', summary: 'The recognised document (the JSON result model)', method: 'GET', path: '/v1/documents/{documentId}/result', input: documentId, output: documentSchema }),
  getPage: op({ kind: 'query', scope: 'read', summary: 'One recognised page', method: 'GET', path: '/v1/documents/{documentId}/pages/{page}', input: documentId.extend({ page }), output: pageSchema }),
  getPageImage: op({
    kind: 'query', scope: 'read',
    summary: 'A picture (JPEG) of a page as OCR saw it, its longer side at most maxSide',
    method: 'GET',
    path: '/v1/documents/{documentId}/pages/{page}/image',
    input: documentId.extend({ page, maxSide: z.number().int().min(16).max(8192).optional() }),
    output: binarySchema,
    response: 'binary',
  }),
  exportDocument: op({
    kind: 'query', scope: 'read',
    summary: 'The document in one format (made from the stored result: no OCR)',
    method: 'GET',
    path: '/v1/documents/{documentId}/export/{format}',
    input: documentId.extend({ format: outputFormatSchema }),
    output: binarySchema,
    response: 'binary',
  }),
  exportDocuments: op({
    kind: 'command', scope: 'submit',
    summary: 'Write documents in the given formats into a folder on the service machine',
    method: 'POST',
    path: '/v1/exports',
    input: z.object({ documentIds: z.array(idSchema).min(1).max(10_000), formats: z.array(outputFormatSchema).min(1), folder: z.string().min(1) }),
    output: z.object({ files: z.array(z.string()), failures: z.array(failureSchema.extend({ documentId: idSchema })) }),
  }),
  deleteDocument: op({
    kind: 'command', scope: 'submit',
    summary: 'Delete a document and everything derived from it (result, search entry, output files, uploaded copy)',
    method: 'DELETE',
    path: '/v1/documents/{documentId}',
    input: documentId,
    output: z.object({ deletedFiles: z.array(z.string()) }),
  }),
  search: op({
    kind: 'query', scope: 'read',
    summary: 'Full-text search over every processed document',
    method: 'GET',
    path: '/v1/search',
    input: z.object({ q: z.string().min(1).max(1000), limit: limit.optional() }),
    output: z.object({ hits: z.array(searchHitSchema) }),
  }),

  // ---- the result editor ----
  getVersions: op({
    kind: 'query', scope: 'read',
    summary: "Every page's current version and its history (version 0 is the OCR's, kept for good)",
    method: 'GET',
    path: '/v1/documents/{documentId}/versions',
    input: documentId,
    output: documentVersionsSchema,
  }),
  getPageVersion: op({
    kind: 'query', scope: 'read',
    summary: 'One version of a page (0: as OCR read it)',
    method: 'GET',
    path: '/v1/documents/{documentId}/pages/{page}/versions/{version}',
    input: documentId.extend({ page, version: z.number().int().min(0).max(1_000_000) }),
    output: pageSchema,
  }),
  editPage: op({
    kind: 'command', scope: 'submit',
    summary: 'Save edits to a page as its next version (all or none; 409 edit-conflict when made on an older version); every export made after carries them',
    method: 'POST',
    path: '/v1/documents/{documentId}/pages/{page}/edits',
    input: editPageInputSchema,
    output: savedPageSchema,
  }),
  revertPage: op({
    kind: 'command', scope: 'submit',
    summary: 'Make an earlier version of a page (default: the OCR original) its next version',
    method: 'POST',
    path: '/v1/documents/{documentId}/pages/{page}/revert',
    input: documentId.extend({ page, toVersion: z.number().int().min(0).max(1_000_000).optional(), author: z.string().trim().min(1).max(200).optional() }),
    output: savedPageSchema,
  }),
  revertDocument: op({
    kind: 'command', scope: 'submit',
    summary: 'Revert every edited page of a document to the OCR original (each as a new version; the history stays)',
    method: 'POST',
    path: '/v1/documents/{documentId}/revert',
    input: documentId.extend({ author: z.string().trim().min(1).max(200).optional() }),
    output: z.object({ pages: z.array(z.object({ page, version: z.number().int().min(0) })) }),
  }),
  recogniseRegion: op({
    kind: 'query', scope: 'submit',
    summary: 'Read one region of a page again (optionally turned 90/180/270°): proposed lines, stored only when an edit applies them',
    method: 'POST',
    path: '/v1/documents/{documentId}/pages/{page}/region',
    input: recogniseRegionInputSchema,
    output: regionProposalSchema,
  }),
  rewriteOutputs: op({
    kind: 'command', scope: 'submit',
    summary: "Write a document's recorded output files (hot folder, batch) again from its current, edited result; no OCR",
    method: 'POST',
    path: '/v1/documents/{documentId}/outputs/rewrite',
    input: documentId.extend({ force: z.boolean().optional() }),
    output: rewrittenOutputsSchema,
  }),
  reviewQueue: op({
    kind: 'query', scope: 'read',
    summary: 'Documents with words under a confidence threshold, worst first',
    method: 'GET',
    path: '/v1/review',
    input: z.object({ threshold: z.number().min(0).max(1).optional(), jobId: idSchema.optional(), limit: limit.optional() }),
    output: reviewQueueSchema,
  }),

  // ---- hot folders ----
  listHotFolders: op({ kind: 'query', scope: 'read', summary: 'Watched folders with what each did lately', method: 'GET', path: '/v1/hot-folders', input: z.object({}), output: z.object({ hotFolders: z.array(hotFolderSchema) }) }),
  addHotFolder: op({
    kind: 'command', scope: 'admin',
    summary: 'Watch a folder (a folder already watched takes the new settings)',
    method: 'POST',
    path: '/v1/hot-folders',
    input: z.object({ settings: hotFolderPatchSchema.required({ folder: true, out: true }) }),
    output: hotFolderSchema,
  }),
  updateHotFolder: op({ kind: 'command', scope: 'admin', summary: "Change a hot folder's settings", method: 'PATCH', path: '/v1/hot-folders/{hotFolderId}', input: hotFolderId.extend({ settings: hotFolderPatchSchema }), output: hotFolderSchema }),
  pauseHotFolder: op({ kind: 'command', scope: 'admin', summary: 'Stop taking new files from a folder', method: 'POST', path: '/v1/hot-folders/{hotFolderId}/pause', input: hotFolderId, output: hotFolderSchema }),
  resumeHotFolder: op({ kind: 'command', scope: 'admin', summary: 'Take new files from a paused folder again', method: 'POST', path: '/v1/hot-folders/{hotFolderId}/resume', input: hotFolderId, output: hotFolderSchema }),
  removeHotFolder: op({ kind: 'command', scope: 'admin', summary: 'Stop watching a folder (its results stay)', method: 'DELETE', path: '/v1/hot-folders/{hotFolderId}', input: hotFolderId, output: ok }),
  retryHotFolder: op({ kind: 'command', scope: 'admin', summary: "Take a hot folder's failed files again", method: 'POST', path: '/v1/hot-folders/{hotFolderId}/retry', input: hotFolderId, output: z.object({ files: z.number().int().min(0) }) }),

  // ---- settings and diagnostics ----
  getSettings: op({ kind: 'query', scope: 'read', summary: 'The service settings and where each comes from', method: 'GET', path: '/v1/settings', input: z.object({}), output: settingsViewSchema }),
  updateSettings: op({
    kind: 'command', scope: 'admin',
    summary: 'Change service settings (workers restart when idle)',
    method: 'PATCH',
    path: '/v1/settings',
    input: serviceSettingsSchema.omit({ jobDefaults: true }).partial().extend({ jobDefaults: jobSettingsPatchSchema.omit({ password: true }).optional() }),
    output: settingsViewSchema,
  }),
  getDiagnostics: op({ kind: 'query', scope: 'admin', summary: 'Versions, model checksums, workers, recent errors', method: 'GET', path: '/v1/diagnostics', input: z.object({}), output: diagnosticsSchema }),

  // ---- access, audit and retention (the LAN node) ----
  createApiKey: op({ kind: 'command', scope: 'admin', summary: 'Create an API key (shown once; only its hash is kept)', method: 'POST', path: '/v1/keys', input: createApiKeyInputSchema, output: createdApiKeySchema }),
  listApiKeys: op({ kind: 'query', scope: 'admin', summary: 'API keys: id, name, scopes, created, last used, revoked', method: 'GET', path: '/v1/keys', input: z.object({}), output: z.object({ keys: z.array(apiKeySchema) }) }),
  revokeApiKey: op({ kind: 'command', scope: 'admin', summary: 'Revoke an API key (it fails from the next request on)', method: 'DELETE', path: '/v1/keys/{keyId}', input: z.object({ keyId: z.string().min(1).max(64) }), output: apiKeySchema }),
  getAuditLog: op({ kind: 'query', scope: 'admin', summary: 'The audit log, newest first: who (key, address) did what to which document, when', method: 'GET', path: '/v1/audit', input: auditInputSchema, output: z.object({ entries: z.array(auditEntrySchema) }) }),
  purgeDocuments: op({ kind: 'command', scope: 'admin', summary: 'Delete documents finished more than N days ago, with everything derived from them', method: 'POST', path: '/v1/retention/purge', input: purgeInputSchema, output: purgeOutputSchema }),
  deleteEverything: op({ kind: 'command', scope: 'admin', summary: 'Delete every job and document with everything derived from them (send confirm: "delete everything")', method: 'POST', path: '/v1/delete-everything', input: deleteEverythingInputSchema, output: purgeOutputSchema }),
  getNodeSettings: op({ kind: 'query', scope: 'admin', summary: 'Serving on the network: address, port, allowed folders, retention, and where each comes from', method: 'GET', path: '/v1/node-settings', input: z.object({}), output: nodeSettingsViewSchema }),
  updateNodeSettings: op({
    kind: 'command',
    scope: 'admin',
    summary: 'Change how `ocr-desk serve` serves the network (the local admin only; applies at its next start)',
    method: 'PATCH',
    path: '/v1/node-settings',
    input: nodeSettingsValuesSchema.partial(),
    output: nodeSettingsViewSchema,
  }),
} as const;

export type Operations = typeof OPERATIONS;
export type OperationName = keyof Operations;
export type OperationInput<N extends OperationName> = z.input<Operations[N]['input']>;
export type OperationOutput<N extends OperationName> = z.output<Operations[N]['output']>;
export type BinaryResponse = z.infer<typeof binarySchema>;

/** Arguments of a verb: optional when every input field is. */
type Args<N extends OperationName> = Record<never, never> extends OperationInput<N> ? [input?: OperationInput<N>] : [input: OperationInput<N>];

/** One method per operation: what every transport (in-process, IPC, HTTP) offers the UI and the CLI. */
export type OcrApi = { readonly [N in OperationName]: (...args: Args<N>) => Promise<OperationOutput<N>> };

export const OPERATION_NAMES = Object.keys(OPERATIONS) as OperationName[];
