/**
 * What the service API returns: jobs, documents, hot folders, settings, progress and diagnostics, as zod schemas
 * with derived types. Times are ISO 8601 strings; ids are positive integers.
 */
import { z } from 'zod';
import { errorKindSchema } from '../errors.ts';
import { hotFolderShape } from '../hot-folder-settings.ts';
import { jobSettingsShape, outputFormatSchema } from '../job-settings.ts';
import { pageNoteSchema } from '../page-notes.ts';

export const idSchema = z.number().int().positive();
const isoTime = z.string();

export const JOB_STATES = ['queued', 'running', 'paused', 'done', 'failed', 'cancelled'] as const;
export const DOCUMENT_STATES = ['queued', 'running', 'writing', 'done', 'failed', 'cancelled'] as const;
export const jobStateSchema = z.enum(JOB_STATES);
export const documentStateSchema = z.enum(DOCUMENT_STATES);
export const jobKindSchema = z.enum(['interactive', 'hotfolder']);

/** Job settings as shown: everything but the password, which is only said to be set. */
export const shownJobSettingsSchema = jobSettingsShape.omit({ password: true }).extend({ passwordSet: z.boolean() });

export const failureSchema = z.object({ kind: errorKindSchema, message: z.string() });

export const jobSummarySchema = z.object({
  id: idSchema,
  kind: jobKindSchema,
  state: jobStateSchema,
  /** Higher runs first. */
  priority: z.number().int(),
  /** What the job is, in a few words ("12 files from scans/", "receipt.jpg"). */
  label: z.string(),
  createdAt: isoTime,
  updatedAt: isoTime,
  settings: shownJobSettingsSchema,
  /** Folder the results are written to; null when they are kept in the store only (downloads and exports). */
  outputDir: z.string().nullable(),
  /** Documents by state. */
  documents: z.record(documentStateSchema, z.number().int().min(0)),
  pages: z.object({
    /** Pages known so far (a document not yet probed counts as one). */
    total: z.number().int().min(0),
    /** Pages recognised (or reused) and stored. */
    done: z.number().int().min(0),
  }),
  /** Whether every document's page count is known (or it failed before). */
  probed: z.boolean(),
});

export const documentSummarySchema = z.object({
  id: idSchema,
  jobId: idSchema,
  /** The source file's path on the service's machine. */
  path: z.string(),
  name: z.string(),
  state: documentStateSchema,
  pageCount: z.number().int().min(0).nullable(),
  pagesDone: z.number().int().min(0),
  /** Why it failed (or was cancelled), for people. */
  error: failureSchema.nullable(),
  /** Its result came from an earlier identical document, without OCR. */
  reused: z.boolean(),
  /** What a person should know about some of its pages (an unusable text layer, a language hint). */
  notes: z.array(pageNoteSchema),
  updatedAt: isoTime,
});

export const outputFileSchema = z.object({ format: outputFormatSchema, path: z.string() });

export const documentDetailSchema = documentSummarySchema.extend({
  sha256: z.string().nullable(),
  bytes: z.number().int().min(0).nullable(),
  /** Files written for it (hot folders, batches with an output folder). */
  outputs: z.array(outputFileSchema),
});

export const searchHitSchema = z.object({
  documentId: idSchema,
  path: z.string(),
  name: z.string(),
  /** The matching words in context, marked with [ and ]. */
  snippet: z.string(),
});

export const hotFolderActivitySchema = z.object({
  at: isoTime,
  kind: z.enum(['taken', 'done', 'failed', 'error', 'waiting']),
  path: z.string().nullable(),
  message: z.string().nullable(),
  documentId: idSchema.nullable(),
});

export const hotFolderSchema = z.object({
  id: idSchema,
  settings: hotFolderShape.omit({ password: true }).extend({ passwordSet: z.boolean() }),
  /** `watching`; `paused` by a person; `error` when the folder cannot be watched (see `problem`). */
  state: z.enum(['watching', 'paused', 'error', 'stopped']),
  problem: z.string().nullable(),
  /** Files taken, done, failed, being recognised (or waiting for a writable output folder), and arriving (seen, not yet complete). */
  counts: z.object({ taken: z.number().int(), done: z.number().int(), failed: z.number().int(), waiting: z.number().int(), arriving: z.number().int() }),
  recent: z.array(hotFolderActivitySchema),
});

export const progressSchema = z.object({
  /** Pages left in runnable jobs (documents not yet probed count as one). */
  remainingPages: z.number().int().min(0),
  pagesPerSecond: z.number().min(0),
  /** Seconds left at the current rate; null until a rate is known. */
  etaSeconds: z.number().min(0).nullable(),
  /** Documents being worked on. */
  inFlight: z.number().int().min(0),
  paused: z.boolean(),
});

export const settingSourceSchema = z.enum(['default', 'stored', 'environment', 'command-line']);

/** The service's own settings (the worker pool, the defaults of new jobs). */
export const serviceSettingsSchema = z.object({
  /** OCR worker processes; null: as many as fit the CPU cores. */
  workers: z.number().int().min(1).max(64).nullable(),
  /** ONNX Runtime threads per worker; null: the cores divided among the workers. */
  threads: z.number().int().min(1).max(256).nullable(),
  /** A page running longer is stopped and retried once. */
  pageTimeoutMs: z.number().int().min(1000),
  /** Run the models on the GPU where one is usable. */
  gpu: z.boolean(),
  /** Folder of the model pack in use. */
  modelDir: z.string().min(1),
  /** Settings new jobs start from. */
  jobDefaults: jobSettingsShape.omit({ password: true }),
});

export const settingsViewSchema = z.object({
  values: serviceSettingsSchema,
  /** Where each value comes from: a value set by the environment or the command line cannot be changed here. */
  sources: z.record(z.string(), settingSourceSchema),
  /** The data folder (store, caches, uploads); fixed while the service runs. */
  dataDir: z.string(),
});

export const recentErrorSchema = z.object({
  at: isoTime,
  kind: z.string(),
  message: z.string(),
  documentId: idSchema.nullable(),
  path: z.string().nullable(),
});

export const diagnosticsSchema = z.object({
  version: z.string(),
  apiVersion: z.number().int(),
  runtime: z.object({ node: z.string(), platform: z.string(), arch: z.string(), onnxruntime: z.string(), electron: z.string().nullable() }),
  dataDir: z.string(),
  storeFile: z.string(),
  logFile: z.string().nullable(),
  models: z.object({
    id: z.string(),
    name: z.string(),
    dir: z.string(),
    languages: z.array(z.string()),
    files: z.array(z.object({ name: z.string(), sha256: z.string() })),
  }),
  gpu: z.object({ enabled: z.boolean(), available: z.boolean(), adapter: z.string().nullable(), reason: z.string().nullable() }),
  workers: z.array(z.object({ id: z.number().int(), pid: z.number().int().nullable(), state: z.string(), pagesDone: z.number().int(), rssBytes: z.number() })),
  recentErrors: z.array(recentErrorSchema),
});

export type JobSummary = z.infer<typeof jobSummarySchema>;
export type DocumentSummary = z.infer<typeof documentSummarySchema>;
export type DocumentDetail = z.infer<typeof documentDetailSchema>;
export type SearchHit = z.infer<typeof searchHitSchema>;
export type HotFolderActivity = z.infer<typeof hotFolderActivitySchema>;
export type HotFolderInfo = z.infer<typeof hotFolderSchema>;
export type Progress = z.infer<typeof progressSchema>;
export type ServiceSettings = z.infer<typeof serviceSettingsSchema>;
export type SettingsView = z.infer<typeof settingsViewSchema>;
export type Diagnostics = z.infer<typeof diagnosticsSchema>;
export type JobState = z.infer<typeof jobStateSchema>;
export type DocumentState = z.infer<typeof documentStateSchema>;
export type JobKind = z.infer<typeof jobKindSchema>;
