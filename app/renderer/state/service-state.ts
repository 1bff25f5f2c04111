/**
 * What the UI knows about the service: jobs, their documents, queue progress, hot folders and settings, kept
 * current by the service's events. A pure reducer (no I/O, no React), so it is tested in Node; the store
 * (./service-store.ts) feeds it the first snapshot and then every event.
 *
 * The service's store stays the record: this is a cache for drawing, rebuilt from the API on every start.
 */
import type { ServiceEvent } from '../../common/api/events.ts';
import type { DocumentSummary, HotFolderActivity, HotFolderInfo, JobSummary, Progress, SettingsView } from '../../common/api/resources.ts';

export type Connection = 'connecting' | 'live' | 'lost';

export interface ServiceState {
  readonly jobs: ReadonlyMap<number, JobSummary>;
  readonly documents: ReadonlyMap<number, DocumentSummary>;
  /** Pages stored per document, by index, as `page` events said (for thumbnails of running documents). */
  readonly pagesSeen: ReadonlyMap<number, ReadonlySet<number>>;
  /** When each job's recent pages were stored (ms), for its own pages/s; the last {@link RATE_WINDOW_MS} only. */
  readonly pageTimes: ReadonlyMap<number, readonly number[]>;
  readonly progress: Progress | null;
  readonly hotFolders: ReadonlyMap<number, HotFolderInfo>;
  readonly settings: SettingsView | null;
  readonly connection: Connection;
  /** Bumped when the state was replaced wholesale (a reconnect), so views refetch what they hold. */
  readonly generation: number;
}

export const RATE_WINDOW_MS = 60_000;
/** Activity entries kept per hot folder. */
export const RECENT_ACTIVITY = 20;

export const emptyState: ServiceState = {
  jobs: new Map(),
  documents: new Map(),
  pagesSeen: new Map(),
  pageTimes: new Map(),
  progress: null,
  hotFolders: new Map(),
  settings: null,
  connection: 'connecting',
  generation: 0,
};

export interface Snapshot {
  readonly jobs: readonly JobSummary[];
  readonly documents: readonly DocumentSummary[];
  readonly progress: Progress;
  readonly hotFolders: readonly HotFolderInfo[];
  readonly settings: SettingsView;
}

const byId = <T extends { id: number }>(items: readonly T[]) => new Map(items.map((i) => [i.id, i]));

function withEntry<K, V>(map: ReadonlyMap<K, V>, key: K, value: V): Map<K, V> {
  const next = new Map(map);
  next.set(key, value);
  return next;
}

function without<K, V>(map: ReadonlyMap<K, V>, key: K): Map<K, V> {
  const next = new Map(map);
  next.delete(key);
  return next;
}

/** The state after the API's first answers (or a reconnect): events that arrived meanwhile are applied after. */
export function fromSnapshot(state: ServiceState, s: Snapshot): ServiceState {
  return {
    ...state,
    jobs: byId(s.jobs),
    documents: byId(s.documents),
    progress: s.progress,
    hotFolders: byId(s.hotFolders),
    settings: s.settings,
    generation: state.generation + 1,
  };
}

/** Applies one event; `now` (ms) timestamps pages for the per-job rate. */
export function reduce(state: ServiceState, event: ServiceEvent, now: number): ServiceState {
  switch (event.type) {
    case 'job':
      return { ...state, jobs: withEntry(state.jobs, event.job.id, event.job) };
    case 'job-removed': {
      const documents = new Map([...state.documents].filter(([, d]) => d.jobId !== event.jobId));
      return { ...state, jobs: without(state.jobs, event.jobId), documents, pageTimes: without(state.pageTimes, event.jobId) };
    }
    case 'document':
      return { ...state, documents: withEntry(state.documents, event.document.id, event.document) };
    case 'document-deleted':
      return { ...state, documents: without(state.documents, event.documentId), pagesSeen: without(state.pagesSeen, event.documentId) };
    case 'page': {
      const seen = new Set(state.pagesSeen.get(event.documentId) ?? []);
      seen.add(event.page);
      const times = [...(state.pageTimes.get(event.jobId) ?? []), now].filter((t) => t > now - RATE_WINDOW_MS);
      const doc = state.documents.get(event.documentId);
      const documents = doc ? withEntry(state.documents, doc.id, { ...doc, pageCount: event.pageCount, pagesDone: Math.min(event.pageCount, Math.max(doc.pagesDone, seen.size)) }) : state.documents;
      return { ...state, documents, pagesSeen: withEntry(state.pagesSeen, event.documentId, seen), pageTimes: withEntry(state.pageTimes, event.jobId, times) };
    }
    case 'hot-folder':
      return { ...state, hotFolders: withEntry(state.hotFolders, event.hotFolder.id, event.hotFolder) };
    case 'hot-folder-removed':
      return { ...state, hotFolders: without(state.hotFolders, event.hotFolderId) };
    case 'hot-folder-activity': {
      const folder = state.hotFolders.get(event.hotFolderId);
      if (!folder) return state;
      const recent: HotFolderActivity[] = [event.activity, ...folder.recent].slice(0, RECENT_ACTIVITY);
      return { ...state, hotFolders: withEntry(state.hotFolders, folder.id, { ...folder, recent }) };
    }
    case 'progress':
      return { ...state, progress: event.progress };
    case 'settings':
      return { ...state, settings: event.settings };
    case 'page-edited':
      // The editor follows these itself (another window saving the page it shows); nothing here depends on them.
      return state;
  }
}

/** A job's own speed over the last minute, and the time its remaining pages will take at that speed. */
export function jobRate(state: ServiceState, job: JobSummary, now: number): { pagesPerSecond: number; etaSeconds: number | null } {
  const times = (state.pageTimes.get(job.id) ?? []).filter((t) => t > now - RATE_WINDOW_MS);
  if (times.length < 2) return { pagesPerSecond: 0, etaSeconds: null };
  // From the first page in the window to now: a job that stopped producing pages slows down instead of freezing.
  const seconds = Math.max(1, (now - times[0]!) / 1000);
  const pagesPerSecond = (times.length - 1) / seconds;
  const left = Math.max(0, job.pages.total - job.pages.done);
  return { pagesPerSecond, etaSeconds: pagesPerSecond > 0 ? left / pagesPerSecond : null };
}

/** The documents of one job, in the order they were added. */
export function documentsOf(state: ServiceState, jobId: number): DocumentSummary[] {
  return [...state.documents.values()].filter((d) => d.jobId === jobId).sort((a, b) => a.id - b.id);
}

export type QueueFilter = 'all' | 'active' | 'failed' | 'done';
export const QUEUE_FILTERS: readonly QueueFilter[] = ['all', 'active', 'failed', 'done'];

/** Whether a job belongs under a filter: `active` is anything not finished; `failed` includes jobs with a failed document. */
export function jobMatches(job: JobSummary, filter: QueueFilter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'active':
      return job.state === 'queued' || job.state === 'running' || job.state === 'paused';
    case 'failed':
      return job.state === 'failed' || (job.documents.failed ?? 0) > 0;
    case 'done':
      return job.state === 'done';
  }
}

/** Jobs newest first. */
export function sortedJobs(state: ServiceState): JobSummary[] {
  return [...state.jobs.values()].sort((a, b) => b.id - a.id);
}
