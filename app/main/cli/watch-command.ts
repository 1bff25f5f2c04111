/**
 * `ocr-desk watch <folder> --out <dir>`: a hot folder, headless, until Ctrl-C (`--once`: until every file present
 * is done). The folder is added to the data folder's hot folders (a folder watched before takes the new
 * settings); the service runs here, with its API on a free loopback port so that another `ocr-desk` run can hand
 * it work. When the app or `ocr-desk serve` already runs on the data folder, the folder is handed to it instead, and
 * paused again when this command stops.
 */
import type { OcrClient } from '../../common/api/client.ts';
import type { ServiceEvent } from '../../common/api/events.ts';
import { isCancellation, OcrDeskError } from '../../common/errors.ts';
import { startHttpServer } from '../http/server.ts';
import { advertise } from '../service/advertise.ts';
import { APP_VERSION } from '../service/diagnostics.ts';
import { connectService } from './connect.ts';
import type { CommandIo } from './models-command.ts';
import { displayText } from './summary.ts';
import type { WatchCommand } from './watch-options.ts';

export interface WatchIo extends CommandIo {
  /** Stops watching (Ctrl-C): work in flight goes back to the queue for the next start. */
  readonly signal?: AbortSignal | undefined;
  readonly env: NodeJS.ProcessEnv;
}

const STATUS_EVERY_MS = 5000;
const ONCE_POLL_MS = 200;

export async function runWatch(command: WatchCommand, io: WatchIo): Promise<number> {
  let conn;
  try {
    conn = await connectService({ dataDir: command.dataDir, commandLine: command.service, env: io.env, jobs: 'all', hotFolders: false }, io);
  } catch (error) {
    if (io.signal?.aborted && isCancellation(error)) return 130;
    if (!(error instanceof OcrDeskError)) throw error;
    io.stderr.write(`ocr-desk: ${displayText(error.message)}\n`);
    return 2;
  }
  const cleanups: (() => Promise<void>)[] = [];
  let failed = 0;
  let folderId: number | undefined;
  const print = (e: ServiceEvent) => {
    if (e.type !== 'hot-folder-activity' || e.hotFolderId !== folderId) return;
    const a = e.activity;
    const p = displayText(a.path ?? '');
    if (a.kind === 'done') io.stdout.write(`done    ${p}\n`);
    else if (a.kind === 'failed') {
      failed++;
      io.stdout.write(`failed  ${p}: ${displayText(a.message ?? '')}\n`);
    } else if (a.kind === 'waiting') io.stdout.write(`waiting ${p}: ${displayText(a.message ?? '')}\n`);
    else if (a.kind === 'error') io.stderr.write(`ocr-desk: ${displayText(a.message ?? '')}\n`);
  };
  const unsubscribe = conn.client.subscribe(print);
  try {
    if (conn.local) {
      const server = await startHttpServer({ service: conn.local, port: 0 });
      cleanups.push(() => server.close());
      cleanups.push(await advertise(command.dataDir, { pid: process.pid, url: server.url, token: server.token, version: APP_VERSION }));
    }
    let info;
    try {
      info = await conn.client.addHotFolder({ settings: command.settings });
    } catch (error) {
      if (!(error instanceof OcrDeskError)) throw error;
      io.stderr.write(`ocr-desk: ${displayText(error.message)}\n`);
      return 2;
    }
    folderId = info.id;
    if (info.state === 'error') {
      io.stderr.write(`ocr-desk: ${displayText(info.problem ?? 'the folder cannot be watched')}\n`);
      return 2;
    }
    if (!conn.local) cleanups.push(async () => void (await conn.client.pauseHotFolder({ hotFolderId: info.id }).catch(() => undefined)));
    io.stderr.write(`Watching ${displayText(info.settings.folder)} → ${displayText(info.settings.out)}${conn.remoteUrl ? ` (in the OCR Desk at ${conn.remoteUrl})` : ''}\n`);
    const status = setInterval(() => void printStatus(conn.client, io), STATUS_EVERY_MS);
    cleanups.push(async () => clearInterval(status));
    if (command.once) await untilSettled(conn.client, info.id, io.signal);
    else await new Promise<void>((resolve) => (io.signal?.aborted ? resolve() : io.signal?.addEventListener('abort', () => resolve(), { once: true })));
    return failed > 0 && command.once ? 1 : 0;
  } finally {
    unsubscribe();
    for (const c of cleanups.reverse()) await c();
    await conn.close();
  }
}

async function printStatus(client: OcrClient, io: WatchIo): Promise<void> {
  const p = await client.getProgress().catch(() => undefined);
  if (!p || (p.inFlight === 0 && p.remainingPages === 0)) return;
  const eta = p.etaSeconds === null ? '…' : `${Math.ceil(p.etaSeconds)} s`;
  io.stderr.write(`${p.remainingPages} page(s) left, ${p.pagesPerSecond.toFixed(2)} pages/s, ETA ${eta}\n`);
}

/** Waits until the folder has nothing arriving, nothing queued or running, and every original dealt with. */
async function untilSettled(client: OcrClient, id: number, signal: AbortSignal | undefined): Promise<void> {
  let quiet = 0;
  while (!signal?.aborted) {
    const [{ hotFolders }, progress] = await Promise.all([client.listHotFolders(), client.getProgress()]);
    const c = hotFolders.find((h) => h.id === id)?.counts;
    const settled = c !== undefined && c.arriving === 0 && c.waiting === 0 && progress.inFlight === 0 && progress.remainingPages === 0;
    // Twice in a row: a file can be taken between two looks.
    quiet = settled ? quiet + 1 : 0;
    if (quiet >= 2) return;
    await new Promise((r) => setTimeout(r, ONCE_POLL_MS));
  }
}
