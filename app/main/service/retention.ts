/**
 * Retention: documents that ended (done, failed, cancelled) more than N days ago are deleted with everything
 * derived from them (results, search entries, edits, the output files OCR Desk wrote, uploaded copies, cached
 * pictures), as `deleteDocument` does one by one; and "delete everything". Both leave one audit row saying what
 * they did, besides the per-document rows.
 */
import type { Store } from '../store/store.ts';
import { deleteDocument } from './documents.ts';

export const DAY_MS = 24 * 60 * 60 * 1000;

export interface PurgeResult {
  readonly documents: number;
  readonly deletedFiles: number;
  /** Ids of the deleted documents (for events). */
  readonly ids: number[];
}

async function purgeRows(store: Store, cacheDir: string, ids: readonly number[]): Promise<PurgeResult> {
  let deletedFiles = 0;
  const done: number[] = [];
  for (const id of ids) {
    if (!store.document(id)) continue;
    deletedFiles += (await deleteDocument(store, cacheDir, id)).length;
    done.push(id);
  }
  // Webhooks of jobs that are gone have nothing left to report.
  store.sql('DELETE FROM webhooks WHERE job_id NOT IN (SELECT id FROM jobs)').run();
  return { documents: done.length, deletedFiles, ids: done };
}

/** Deletes the documents that ended before `now - days`. */
export async function purgeOlderThan(store: Store, cacheDir: string, days: number, now = Date.now()): Promise<PurgeResult> {
  const cutoff = now - days * DAY_MS;
  const rows = store.sql("SELECT id FROM documents WHERE state IN ('done', 'failed', 'cancelled') AND updated_at < ? ORDER BY id").all(cutoff) as unknown as { id: number }[];
  const result = await purgeRows(store, cacheDir, rows.map((r) => r.id));
  store.audit('retention-purge', null, null, `older than ${days} day(s): ${result.documents} document(s), ${result.deletedFiles} file(s)`);
  return result;
}

/** Deletes every document (the caller has stopped the queue first). */
export async function purgeEverything(store: Store, cacheDir: string): Promise<PurgeResult> {
  const rows = store.sql("SELECT id FROM documents WHERE state NOT IN ('running', 'writing') ORDER BY id").all() as unknown as { id: number }[];
  const result = await purgeRows(store, cacheDir, rows.map((r) => r.id));
  store.sql('DELETE FROM jobs WHERE id NOT IN (SELECT job_id FROM documents)').run();
  store.audit('delete-everything', null, null, `${result.documents} document(s), ${result.deletedFiles} file(s)`);
  return result;
}
