/**
 * The shapes of the store's rows, as SQLite returns them (snake_case, integers for booleans), and of what callers
 * hand it to add. Re-exported by store.ts.
 */
import type { DocumentState, JobKind, JobState } from '../../common/api/resources.ts';

export interface JobRow {
  readonly id: number;
  readonly kind: JobKind;
  readonly priority: number;
  readonly state: JobState;
  /** JSON of the job's settings (see app/common/job-settings.ts). */
  readonly settings: string;
  readonly label: string;
  /** Folder results are written to; null when they are kept in the store only. */
  readonly output_dir: string | null;
  /** Inputs, output folder and settings hashed: an unfinished job with the same key is resumed, not added again. */
  readonly resume_key: string | null;
  readonly idempotency_key: string | null;
  /** 1: recognise every document again, even where an identical one has a stored result. */
  readonly force: number;
  readonly created_at: number;
  readonly updated_at: number;
}

export interface DocumentRow {
  readonly id: number;
  readonly job_id: number;
  readonly source_path: string;
  /** Output path without the format extension; null when no files are written for it. */
  readonly output_base: string | null;
  readonly state: DocumentState;
  readonly sha256: string | null;
  readonly bytes: number | null;
  readonly content_key: string | null;
  readonly page_count: number | null;
  /** The worker's probe (ProbeResult JSON), kept so pages are not probed twice. */
  readonly probe: string | null;
  /** Pages × pixels, from the probe: a job's largest documents run first. */
  readonly work: number;
  /** 1 when the source is OCR Desk's own copy (an upload), deleted with the document. */
  readonly owned_source: number;
  /** JSON of the page notes (app/common/page-notes.ts), once recognised; null when there are none. */
  readonly notes: string | null;
  readonly reused: number;
  readonly error_kind: string | null;
  readonly error_message: string | null;
  readonly created_at: number;
  readonly updated_at: number;
}

export interface JournalRow {
  readonly id: number;
  readonly watch_id: number;
  readonly path: string;
  readonly size: number;
  readonly mtime_ms: number;
  readonly sha256: string;
  readonly document_id: number | null;
  readonly outcome: 'done' | 'failed' | null;
  readonly settled: number;
}

export interface OutputRow {
  readonly format: string;
  readonly path: string;
  readonly sha256: string;
}

export interface SearchHit {
  readonly documentId: number;
  readonly path: string;
  readonly outputBase: string;
  /** Matching words in context, marked with [ and ]. */
  readonly snippet: string;
}

export interface NewDocument {
  readonly path: string;
  /** @default null (no output files) */
  readonly outputBase?: string | null;
  /** The source is OCR Desk's own copy (an upload). @default false */
  readonly ownedSource?: boolean;
}

export interface NewJobMeta {
  /** @default '' */
  readonly label?: string;
  readonly outputDir?: string | null;
  readonly resumeKey?: string | null;
  readonly idempotencyKey?: string | null;
  /** @default false */
  readonly force?: boolean;
}

export interface JournalEntry {
  readonly watchId: number;
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly sha256: string;
}
