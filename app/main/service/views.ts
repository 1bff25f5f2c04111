/**
 * Store rows as the API's resources (app/common/api/resources.ts): jobs with their counts and page totals,
 * documents with their progress. Read-only queries; every time is an ISO string.
 */
import path from 'node:path';
import { z } from 'zod';
import type { DocumentDetail, DocumentSummary, JobSummary } from '../../common/api/resources.ts';
import { redactSettings } from '../../common/job-settings.ts';
import { pageNoteSchema } from '../../common/page-notes.ts';
import { jobContext } from '../queue/queue.ts';
import type { DocumentRow, JobRow, Store } from '../store/store.ts';

const iso = (ms: number): string => new Date(ms).toISOString();

interface JobPages {
  readonly total: number;
  readonly done: number;
  readonly unprobed: number;
}

function jobPages(store: Store, jobId: number): JobPages {
  return store
    .sql(
      `SELECT coalesce(sum(CASE WHEN d.state IN ('failed', 'cancelled') AND d.page_count IS NULL THEN 0 ELSE coalesce(d.page_count, 1) END), 0) AS total,
              coalesce(sum(CASE WHEN d.state = 'done' THEN coalesce(d.page_count, 0)
                                ELSE (SELECT count(*) FROM pages p WHERE p.document_id = d.id) END), 0) AS done,
              coalesce(sum(d.probe IS NULL AND d.state IN ('queued', 'running')), 0) AS unprobed
       FROM documents d WHERE d.job_id = ?`,
    )
    .get(jobId) as unknown as JobPages;
}

export function jobSummary(store: Store, job: JobRow): JobSummary {
  const pages = jobPages(store, job.id);
  let settings: JobSummary['settings'];
  try {
    settings = redactSettings(jobContext(job).settings);
  } catch {
    // Settings stored by a build whose vocabulary this one cannot read: shown as the defaults.
    settings = redactSettings(jobContext({ settings: '{}', force: 0 }).settings);
  }
  return {
    id: job.id,
    kind: job.kind,
    state: job.state,
    priority: job.priority,
    label: job.label || `Job ${job.id}`,
    createdAt: iso(job.created_at),
    updatedAt: iso(job.updated_at),
    settings,
    outputDir: job.output_dir,
    documents: store.documentCounts(job.id),
    pages: { total: pages.total, done: Math.min(pages.done, pages.total) },
    probed: pages.unprobed === 0,
  };
}

function pagesDone(store: Store, doc: DocumentRow): number {
  if (doc.state === 'done') return doc.page_count ?? 0;
  return (store.sql('SELECT count(*) AS n FROM pages WHERE document_id = ?').get(doc.id) as { n: number }).n;
}

export function documentSummary(store: Store, doc: DocumentRow): DocumentSummary {
  return {
    id: doc.id,
    jobId: doc.job_id,
    path: doc.source_path,
    name: path.basename(doc.source_path),
    state: doc.state,
    pageCount: doc.page_count,
    pagesDone: pagesDone(store, doc),
    error: doc.error_kind === null ? null : { kind: doc.error_kind as NonNullable<DocumentSummary['error']>['kind'], message: doc.error_message ?? '' },
    reused: doc.reused === 1,
    notes: doc.notes === null ? [] : z.array(pageNoteSchema).parse(JSON.parse(doc.notes)),
    updatedAt: iso(doc.updated_at),
  };
}

export function documentDetail(store: Store, doc: DocumentRow): DocumentDetail {
  return {
    ...documentSummary(store, doc),
    sha256: doc.sha256,
    bytes: doc.bytes,
    outputs: store.outputs(doc.id).map((o) => ({ format: o.format as DocumentDetail['outputs'][number]['format'], path: o.path })),
  };
}

export interface DocumentFilter {
  readonly jobId?: number | undefined;
  readonly state?: string | undefined;
  readonly limit?: number | undefined;
  readonly offset?: number | undefined;
}

/** Documents, newest first, with the total that match. */
export function listDocuments(store: Store, f: DocumentFilter): { rows: DocumentRow[]; total: number } {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (f.jobId !== undefined) {
    where.push('job_id = ?');
    args.push(f.jobId);
  }
  if (f.state !== undefined) {
    where.push('state = ?');
    args.push(f.state);
  }
  const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const total = (store.db.prepare(`SELECT count(*) AS n FROM documents ${clause}`).get(...args) as { n: number }).n;
  const rows = store.db.prepare(`SELECT * FROM documents ${clause} ORDER BY id DESC LIMIT ? OFFSET ?`).all(...args, f.limit ?? 100, f.offset ?? 0) as unknown as DocumentRow[];
  return { rows, total };
}

/** Jobs, newest first; `active` means queued, running or paused. Returns a page of them and how many match. */
export function listJobs(store: Store, state: string | undefined, limit: number, offset = 0): { rows: JobRow[]; total: number } {
  const where = state === undefined ? '' : state === 'active' ? "WHERE state IN ('queued', 'running', 'paused')" : 'WHERE state = ?';
  const args = state === undefined || state === 'active' ? [] : [state];
  const total = (store.db.prepare(`SELECT count(*) AS n FROM jobs ${where}`).get(...args) as { n: number }).n;
  const rows = store.db.prepare(`SELECT * FROM jobs ${where} ORDER BY id DESC LIMIT ? OFFSET ?`).all(...args, limit, offset) as unknown as JobRow[];
  return { rows, total };
}
