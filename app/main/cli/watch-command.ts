/**
 * `ocr-desk watch` runs one hot folder headless on the durable queue (resuming whatever a previous run left), and
 * `ocr-desk search` queries the full-text index of everything processed. Both use the job store in the data folder.
 */
import { InvalidQueryError, OcrDeskError } from '../../common/errors.ts';
import { HotFolder, type HotFolderEvent } from '../hotfolder/hot-folder.ts';
import { cliWorkerPool, verifiedModels } from './cli-pool.ts';
import { JobQueue } from '../queue/queue.ts';
import { lockDataDir } from '../store/lock.ts';
import { Store } from '../store/store.ts';
import type { CommandIo } from './models-command.ts';
import type { SearchCommand, WatchCommand } from './watch-options.ts';

export interface WatchIo extends CommandIo {
  /** Stops watching (Ctrl-C): work in flight goes back to the queue for the next start. */
  readonly signal?: AbortSignal | undefined;
  readonly env?: NodeJS.ProcessEnv | undefined;
}

const STATUS_EVERY_MS = 5000;

export async function runWatch(command: WatchCommand, io: WatchIo): Promise<number> {
  const models = await verifiedModels(command.modelDir, io.stderr);
  if (models === undefined) return 2;
  let unlock: () => void;
  let store: Store;
  try {
    unlock = lockDataDir(command.dataDir);
    try {
      store = Store.inDir(command.dataDir);
    } catch (error) {
      unlock();
      throw error;
    }
  } catch (error) {
    if (!(error instanceof OcrDeskError)) throw error;
    io.stderr.write(`ocr-desk: ${error.message}\n`);
    return 2;
  }
  const pool = cliWorkerPool(command, io.env ?? process.env);
  let failed = 0;
  const print = (e: HotFolderEvent) => {
    if (e.type === 'done') io.stdout.write(`done    ${e.path}\n`);
    else if (e.type === 'failed') {
      failed++;
      io.stdout.write(`failed  ${e.path}: ${e.reason}\n`);
    } else if (e.type === 'error') io.stderr.write(`ocr-desk: ${e.message}\n`);
  };
  const queue: JobQueue = new JobQueue(store, pool, { concurrency: pool.options.workers * 2, onEvent: (e) => hot.onQueueEvent(e) });
  const hot: HotFolder = new HotFolder({ store, queue, settings: command.settings, models, onEvent: print });
  const status = setInterval(() => {
    const p = queue.progress();
    if (p.inFlight === 0 && p.remainingPages === 0) return;
    const eta = p.etaSeconds === undefined ? '…' : `${Math.ceil(p.etaSeconds)} s`;
    io.stderr.write(`${p.remainingPages} page(s) left, ${p.pagesPerSecond.toFixed(2)} pages/s, ETA ${eta}\n`);
  }, STATUS_EVERY_MS);
  try {
    await queue.start();
    await hot.start();
    io.stderr.write(`Watching ${command.settings.folder} → ${command.settings.out} (store: ${store.file})\n`);
    if (command.once) {
      for (;;) {
        if (io.signal?.aborted) break;
        await queue.idle();
        await hot.scanNow();
        if (hot.pending === 0 && queue.progress().inFlight === 0 && store.nextDocument() === undefined && store.unsettled(hot.watchId!).length === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
    } else {
      await new Promise<void>((resolve) => {
        if (io.signal?.aborted) resolve();
        io.signal?.addEventListener('abort', () => resolve(), { once: true });
      });
    }
    return failed > 0 && command.once ? 1 : 0;
  } finally {
    clearInterval(status);
    await hot.close();
    await queue.close();
    await pool.close();
    store.close();
    unlock();
  }
}

export function runSearch(command: SearchCommand, io: CommandIo): number {
  let store: Store;
  try {
    store = Store.inDir(command.dataDir);
  } catch (error) {
    if (!(error instanceof OcrDeskError)) throw error;
    io.stderr.write(`ocr-desk: ${error.message}\n`);
    return 2;
  }
  try {
    let hits;
    try {
      hits = store.search(command.words, command.limit);
    } catch (error) {
      if (!(error instanceof InvalidQueryError)) throw error;
      io.stderr.write(`ocr-desk: ${error.message}\n`);
      return 2;
    }
    for (const h of hits) {
      io.stdout.write(command.json ? `${JSON.stringify(h)}\n` : `${h.path}\n    ${h.snippet}\n`);
    }
    if (hits.length === 0 && !command.json) io.stderr.write(`No processed document contains “${command.words}”.\n`);
    return hits.length > 0 ? 0 : 1;
  } finally {
    store.close();
  }
}
