/**
 * `ocr-desk serve`: the service with its HTTP API and the app for a browser, until Ctrl-C or SIGTERM. On loopback
 * (the default) it advertises itself in the data folder, so `ocr-desk` runs on the same data folder hand it their
 * jobs. With `--listen <address>` beyond loopback it is a LAN node: HTTPS (the admin's certificate, or a
 * self-signed one whose fingerprint it prints), API keys, allowed roots, limits, audit, retention, JSON logs.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataDirBusyError, OcrDeskError } from '../../common/errors.ts';
import { createLogger } from '../http/log.ts';
import { isLanAddress } from '../http/network.ts';
import { startHttpServer } from '../http/server.ts';
import { loadTls, type TlsMaterial } from '../http/tls.ts';
import { advertise, readAdvertisement } from '../service/advertise.ts';
import { APP_VERSION } from '../service/diagnostics.ts';
import { resolveNodeSettings, STORED_NODE_SETTINGS_KEY, type NodeSettings } from '../service/node-settings.ts';
import { OcrService } from '../service/ocr-service.ts';
import { Store } from '../store/store.ts';
import type { CommandIo } from './models-command.ts';
import { displayText } from './summary.ts';
import type { ServeCommand } from './watch-options.ts';

/** Where `npm run build:ui` puts the app. */
export const UI_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'dist', 'renderer');

export interface ServeIo extends CommandIo {
  readonly signal?: AbortSignal | undefined;
  readonly env: NodeJS.ProcessEnv;
}

/** What the app's settings stored for the node (the layer under the environment), if the store can be read. */
function storedNodeSettings(dataDir: string): string | undefined {
  try {
    const store = Store.inDir(dataDir, { readOnly: true });
    try {
      return store.setting(STORED_NODE_SETTINGS_KEY);
    } finally {
      store.close();
    }
  } catch {
    return undefined;
  }
}

export async function runServe(command: ServeCommand, io: ServeIo): Promise<number> {
  let node: NodeSettings;
  try {
    node = resolveNodeSettings({ commandLine: { ...command.node, ...(command.port === undefined ? {} : { port: command.port }) }, env: io.env, stored: storedNodeSettings(command.dataDir) });
  } catch (error) {
    if (!(error instanceof OcrDeskError)) throw error;
    io.stderr.write(`ocr-desk: ${displayText(error.message)}\n`);
    return 2;
  }
  const logDir = node.logFile === 'off' ? undefined : node.logFile ? path.resolve(node.logFile) : path.join(command.dataDir, 'logs');
  const logs = await createLogger({ level: node.logLevel, dir: logDir, stderr: io.stderr as NodeJS.WritableStream });
  let service: OcrService;
  try {
    service = await OcrService.open({
      dataDir: command.dataDir,
      commandLine: command.service,
      env: io.env,
      node: { commandLine: { ...command.node, ...(command.port === undefined ? {} : { port: command.port }) }, running: node },
      network: {
        allowedRoots: node.allowedRoots,
        webhookAllow: node.webhookAllow,
        maxPages: node.maxPages,
        maxQueuePages: node.maxQueuePages,
        retentionDays: node.retentionDays,
        log: (level, message, fields) => logs.log[level](fields, message),
      },
    });
  } catch (error) {
    await logs.close();
    if (!(error instanceof OcrDeskError)) throw error;
    const running = error instanceof DataDirBusyError ? await readAdvertisement(command.dataDir) : undefined;
    io.stderr.write(`ocr-desk: ${displayText(error.message)}${running ? ` It serves ${running.url}.` : ''}\n`);
    return 2;
  }
  try {
    const uiDir = existsSync(path.join(UI_DIR, 'index.html')) ? UI_DIR : undefined;
    const lan = isLanAddress(node.listen, io.env);
    let server;
    let tls: TlsMaterial | undefined;
    try {
      tls = lan || node.tlsCert ? await loadTls({ dataDir: command.dataDir, listen: node.listen, certFile: node.tlsCert, keyFile: node.tlsKey }) : undefined;
      server = await startHttpServer({
        service,
        host: node.listen,
        port: node.port,
        ...(uiDir ? { uiDir } : {}),
        ...(tls ? { tls } : {}),
        uploads: { maxFileBytes: node.maxUploadBytes },
        limits: node,
        logger: logs.log,
        env: io.env,
      });
    } catch (error) {
      if (!(error instanceof OcrDeskError)) throw error;
      io.stderr.write(`ocr-desk: ${displayText(error.message)}\n`);
      return 2;
    }
    // A LAN node is not handed batches over its address (a self-signed certificate, keys): it is not advertised.
    const unadvertise = server.lan ? async () => undefined : await advertise(command.dataDir, { pid: process.pid, url: server.url, token: server.token, version: APP_VERSION });
    logs.log.info({ url: server.url, lan: server.lan, tls: tls !== undefined, allowedRoots: node.allowedRoots.length, retentionDays: node.retentionDays }, 'serving');
    io.stdout.write(
      `OCR Desk ${APP_VERSION} is serving ${command.dataDir} on ${server.url}\n` +
        (tls ? `TLS certificate${tls.selfSigned ? ` (self-signed, ${tls.certFile})` : ''}: SHA-256 fingerprint ${tls.fingerprint}\n` : '') +
        (server.lan
          ? `This is a LAN node: clients need an API key (ocr-desk keys create --scope read,submit), sent as Authorization: Bearer <key>; browsers sign in at ${server.url}/login.\n` +
            `Clients may name paths only inside: ${node.allowedRoots.length ? node.allowedRoots.join(', ') : '(none: uploads only; allow folders with --allow-root)'}\n`
          : uiDir
            ? `Open the app: ${server.openUrl}\n`
            : `The app is not built (npm run build:ui); the API is: ${server.url}/v1/openapi.json\n`) +
        `Local admin clients send the header: Authorization: Bearer ${server.token}\n` +
        (logs.file ? `Log: ${logs.file}\n` : '') +
        'Stop with Ctrl-C.\n',
    );
    await new Promise<void>((resolve) => (io.signal?.aborted ? resolve() : io.signal?.addEventListener('abort', () => resolve(), { once: true })));
    await server.close();
    await unadvertise();
    return 0;
  } finally {
    await service.close();
    await logs.close();
  }
}
