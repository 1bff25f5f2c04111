/**
 * `ocr-desk serve`: the service with its HTTP API and the app for a browser, on 127.0.0.1, until Ctrl-C or
 * SIGTERM. It advertises itself in the data folder, so `ocr-desk` runs on the same data folder hand it their jobs.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataDirBusyError, OcrDeskError } from '../../common/errors.ts';
import { startHttpServer } from '../http/server.ts';
import { advertise, readAdvertisement } from '../service/advertise.ts';
import { APP_VERSION } from '../service/diagnostics.ts';
import { OcrService } from '../service/ocr-service.ts';
import type { CommandIo } from './models-command.ts';
import { displayText } from './summary.ts';
import type { ServeCommand } from './watch-options.ts';

/** Where `npm run build:ui` puts the app. */
export const UI_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'dist', 'renderer');

export interface ServeIo extends CommandIo {
  readonly signal?: AbortSignal | undefined;
  readonly env: NodeJS.ProcessEnv;
}

export async function runServe(command: ServeCommand, io: ServeIo): Promise<number> {
  let service: OcrService;
  try {
    service = await OcrService.open({ dataDir: command.dataDir, commandLine: command.service, env: io.env });
  } catch (error) {
    if (!(error instanceof OcrDeskError)) throw error;
    const running = error instanceof DataDirBusyError ? await readAdvertisement(command.dataDir) : undefined;
    io.stderr.write(`ocr-desk: ${displayText(error.message)}${running ? ` It serves ${running.url}.` : ''}\n`);
    return 2;
  }
  try {
    const uiDir = existsSync(path.join(UI_DIR, 'index.html')) ? UI_DIR : undefined;
    let server;
    try {
      server = await startHttpServer({ service, port: command.port, ...(uiDir ? { uiDir } : {}) });
    } catch (error) {
      if (!(error instanceof OcrDeskError)) throw error;
      io.stderr.write(`ocr-desk: ${error.message}\n`);
      return 2;
    }
    const unadvertise = await advertise(command.dataDir, { pid: process.pid, url: server.url, token: server.token, version: APP_VERSION });
    io.stdout.write(
      `OCR Desk ${APP_VERSION} is serving ${command.dataDir} on ${server.url}\n` +
        (uiDir ? `Open the app: ${server.openUrl}\n` : `The app is not built (npm run build:ui); the API is: ${server.url}/v1/openapi.json\n`) +
        `API clients send the header: Authorization: Bearer ${server.token}\n` +
        'Stop with Ctrl-C.\n',
    );
    await new Promise<void>((resolve) => (io.signal?.aborted ? resolve() : io.signal?.addEventListener('abort', () => resolve(), { once: true })));
    await server.close();
    await unadvertise();
    return 0;
  } finally {
    await service.close();
  }
}
