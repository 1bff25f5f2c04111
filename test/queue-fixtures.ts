/**
 * The queue as the service wires it (store → pipeline → queue), for tests that drive the queue directly, and a
 * way to add a job as the service does.
 */
import path from 'node:path';
import { jobSettingsSchema, type JobSettingsInput } from '../app/common/job-settings.ts';
import { DocumentPipeline } from '../app/main/pipeline/document-pipeline.ts';
import { WorkerPool, type PageRecogniser } from '../app/main/pool/worker-pool.ts';
import { JobQueue, type QueueOptions } from '../app/main/queue/queue.ts';
import { Store, type JobKind, type NewDocument } from '../app/main/store/store.ts';
import { tempDir } from './helpers.ts';

export const TEST_ENGINE = { models: 'ppocr-v4-mobile', version: 'test', modelFiles: ['a'.repeat(64)], tuning: '' };

export function newQueue(store: Store, recogniser: PageRecogniser, options: QueueOptions = {}): JobQueue {
  const pipeline = new DocumentPipeline({ store, recogniser, engine: () => TEST_ENGINE, onPage: (doc, page) => queue.pageDone(doc.job_id, doc.id, page) });
  const queue: JobQueue = new JobQueue(store, pipeline, options);
  return queue;
}

/** Adds a job as the service does (settings resolved, defaults filled) and wakes the queue; returns its id. */
export function addJob(queue: JobQueue, documents: readonly NewDocument[], settings: JobSettingsInput = {}, options: { kind?: JobKind; priority?: number; force?: boolean } = {}): number {
  const kind = options.kind ?? 'interactive';
  const { jobId } = queue.store.addJob(kind, options.priority ?? (kind === 'interactive' ? 10 : 0), JSON.stringify(jobSettingsSchema.parse(settings)), documents, { force: options.force ?? false });
  queue.adopt(jobId);
  return jobId;
}

/**
 * A real store in a temporary folder and a queue that stays paused: its pool never starts a worker, so no model
 * loads (for tests of what is taken and settled, not read). `close` undoes it all.
 */
export async function pausedQueue(name: string): Promise<{ dir: string; store: Store; queue: JobQueue; close(): Promise<void> }> {
  const { dir, cleanup } = await tempDir(name);
  const store = Store.inDir(path.join(dir, 'data'));
  const pool = new WorkerPool({ workers: 1 });
  const queue = newQueue(store, pool);
  await queue.pause();
  await queue.start();
  const close = async () => {
    await queue.close();
    await pool.close();
    store.close();
    await cleanup();
  };
  return { dir, store, queue, close };
}
