/**
 * Keeps {@link ServiceState} current: subscribes to the service's events first, loads the first snapshot from the
 * API, then applies the events that arrived meanwhile and every one after. React reads it through
 * `useSyncExternalStore` (./service-context.tsx).
 */
import type { OcrClient } from '../../common/api/client.ts';
import type { ServiceEvent } from '../../common/api/events.ts';
import { emptyState, fromSnapshot, reduce, type ServiceState } from './service-state.ts';

/** Performance marks the UI sets, read by the end-to-end tests (time from a finished document to its text on screen). */
export const MARK_DOCUMENT_DONE = 'ocr-desk:document-done';
export const MARK_TEXT_SHOWN = 'ocr-desk:text-shown';

export class ServiceStore {
  #state: ServiceState = emptyState;
  readonly #listeners = new Set<() => void>();
  /** Jobs whose documents are being fetched (a job the first snapshot did not hold). */
  readonly #fetching = new Set<number>();
  #hotFolderTimer: ReturnType<typeof setTimeout> | undefined;
  /** Called with every event after the state took it in (e.g. to free a deleted document's pictures). */
  readonly eventHooks = new Set<(event: ServiceEvent) => void>();

  readonly client: OcrClient;

  constructor(client: OcrClient) {
    this.client = client;
  }

  getState = (): ServiceState => this.#state;

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  #set(next: ServiceState): void {
    if (next === this.#state) return;
    this.#state = next;
    for (const l of this.#listeners) l();
  }

  /** Starts following the service; returns the function that stops. */
  start(): () => void {
    let buffer: ServiceEvent[] | undefined = [];
    const unsubscribe = this.client.subscribe(
      (event) => {
        if (buffer) buffer.push(event);
        else this.#apply(event);
      },
      { onError: () => this.#set({ ...this.#state, connection: 'lost' }) },
    );
    void this.reload().then(
      () => {
        for (const event of buffer ?? []) this.#apply(event);
        buffer = undefined;
      },
      () => this.#set({ ...this.#state, connection: 'lost' }),
    );
    return unsubscribe;
  }

  /** Loads everything afresh from the API. */
  async reload(): Promise<void> {
    const c = this.client;
    const [jobs, documents, progress, hotFolders, settings] = await Promise.all([
      c.listJobs({ limit: 200 }),
      c.listDocuments({ limit: 1000 }),
      c.getProgress(),
      c.listHotFolders(),
      c.getSettings(),
    ]);
    this.#set({ ...fromSnapshot(this.#state, { jobs: jobs.jobs, documents: documents.documents, progress, hotFolders: hotFolders.hotFolders, settings }), connection: 'live' });
  }

  #apply(event: ServiceEvent): void {
    if (event.type === 'document' && event.document.state === 'done') performance.mark(MARK_DOCUMENT_DONE, { detail: { documentId: event.document.id } });
    if (event.type === 'job' && !this.#state.jobs.has(event.job.id)) void this.#fetchDocuments(event.job.id);
    if (event.type === 'hot-folder-activity' && event.activity.kind === 'taken') this.#refreshHotFolders();
    this.#set(reduce(this.#state, event, performance.now()));
    for (const hook of this.eventHooks) hook(event);
  }

  /**
   * A hot folder's counts: the service sends them with `hot-folder` events when a file ends, not when one is taken,
   * so after a `taken` they are fetched (at most every 300 ms).
   */
  #refreshHotFolders(): void {
    if (this.#hotFolderTimer !== undefined) return;
    this.#hotFolderTimer = setTimeout(() => {
      this.#hotFolderTimer = undefined;
      this.client.listHotFolders().then(
        ({ hotFolders }) => this.#set({ ...this.#state, hotFolders: new Map(hotFolders.map((f) => [f.id, f])) }),
        () => undefined,
      );
    }, 300);
  }

  /** A new job's documents: events only tell of documents that change state, so the queued ones are fetched. */
  async #fetchDocuments(jobId: number): Promise<void> {
    if (this.#fetching.has(jobId)) return;
    this.#fetching.add(jobId);
    try {
      const job = await this.client.getJob({ jobId });
      const documents = new Map(this.#state.documents);
      for (const d of job.documentList) {
        const known = documents.get(d.id);
        // An event may have brought a newer version while the request ran.
        if (!known || known.updatedAt <= d.updatedAt) documents.set(d.id, d);
      }
      this.#set({ ...this.#state, documents });
    } catch {
      // The job may be gone already; its events say so.
    } finally {
      this.#fetching.delete(jobId);
    }
  }
}
