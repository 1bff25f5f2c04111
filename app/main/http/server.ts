/**
 * `ocr-desk serve`: the service's HTTP adapter. JSON for commands and queries (routes made from the operation
 * table), Server-Sent Events for the event stream, streamed multipart for uploads, the OpenAPI document, health
 * checks, and the built UI. It holds no orchestration: every route validates its input and calls the service.
 *
 * Even on loopback every request is checked (./security.ts): Host and Origin against DNS rebinding and cross-site
 * requests, and the token for everything but /healthz and /readyz.
 */
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { openApiDocument } from '../../common/api/openapi.ts';
import type { OperationName } from '../../common/api/operations.ts';
import { InvalidOptionError, NotFoundError, PayloadTooLargeError, UnauthorizedError } from '../../common/errors.ts';
import { parseSettings } from '../../common/validate.ts';
import { APP_VERSION } from '../service/diagnostics.ts';
import { discardUpload, type OcrService } from '../service/ocr-service.ts';
import { sendBinary, sendError, sendJson } from './responses.ts';
import { matchRoute, textFields } from './routes.ts';
import { checkHostAndOrigin, checkToken, COOKIE_NAME, loopbackHosts, newToken, queryTokenMatches, tokenCookie } from './security.ts';
import { streamEvents } from './sse.ts';
import { receiveUpload, type UploadLimits } from './uploads.ts';

export interface HttpServerOptions {
  readonly service: OcrService;
  /** Address to listen on. @default '127.0.0.1' */
  readonly host?: string;
  /** Port; 0 picks a free one. @default 7327 */
  readonly port?: number;
  /** @default a new random token */
  readonly token?: string;
  /** Folder of the built UI (index.html and its assets); none: the API only. */
  readonly uiDir?: string;
  readonly uploads?: UploadLimits;
  /** Unexpected errors (with their stack) go here, never to the client. @default console.error */
  readonly log?: (message: string, error?: unknown) => void;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  /** The address to open in a browser: the UI, with the token that sets its cookie. */
  readonly openUrl: string;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 7327;
const MAX_JSON_BYTES = 1024 * 1024;
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

const MEDIA: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

export async function startHttpServer(o: HttpServerOptions): Promise<RunningServer> {
  const token = o.token ?? newToken();
  const log = o.log ?? ((message, error) => console.error(message, error));
  let allowedHosts = new Set<string>();
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => sendError(res, error, (e) => log('HTTP request failed', e)));
  });
  // Slow clients: headers within 20 s; a whole request (uploads included) within 30 min.
  server.headersTimeout = 20_000;
  server.requestTimeout = 30 * 60_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    checkHostAndOrigin(req, allowedHosts);
    const method = req.method ?? 'GET';
    if (url.pathname === '/healthz' && method === 'GET') return sendJson(res, 200, { status: 'alive' });
    if (url.pathname === '/readyz' && method === 'GET') {
      const ready = o.service.readiness();
      return sendJson(res, ready.ready ? 200 : 503, { status: ready.ready ? 'ready' : 'not ready', checks: ready.checks });
    }
    // The UI's entry: `?token=` sets the cookie, then the address bar is cleaned of the token.
    if (method === 'GET' && !url.pathname.startsWith('/v1/') && url.searchParams.has('token')) {
      if (!queryTokenMatches(url, token)) throw new UnauthorizedError('The token in this address is not the one OCR Desk printed at start.');
      url.searchParams.delete('token');
      res.writeHead(303, { location: url.pathname + url.search, 'set-cookie': tokenCookie(token, false), 'cache-control': 'no-store' });
      res.end();
      return;
    }
    checkToken(req, token);
    if (url.pathname === '/v1/events' && method === 'GET') return streamEvents(req, res, o.service);
    if (url.pathname === '/v1/openapi.json' && method === 'GET') return sendJson(res, 200, openApiDocument({ version: APP_VERSION, cookieName: COOKIE_NAME }));
    if (url.pathname.startsWith('/v1/')) return api(req, res, url, method);
    if (method !== 'GET' && method !== 'HEAD') throw new NotFoundError(`There is nothing at ${method} ${url.pathname}.`);
    return serveUi(res, url.pathname);
  }

  async function api(req: IncomingMessage, res: ServerResponse, url: URL, method: string): Promise<void> {
    const match = matchRoute(method, url.pathname);
    if (!match) throw new NotFoundError(`There is no API route ${url.pathname}; see /v1/openapi.json.`);
    if ('allowed' in match) {
      res.setHeader('allow', match.allowed.join(', '));
      return sendJson(res, 405, { error: { kind: 'invalid-option', name: 'InvalidOptionError', message: `${url.pathname} takes ${match.allowed.join(' or ')}, not ${method}.` } });
    }
    const { route, params } = match;
    if (route.spec.request === 'multipart') return upload(req, res);
    const query: Record<string, string | string[]> = {};
    for (const key of new Set(url.searchParams.keys())) {
      const all = url.searchParams.getAll(key);
      query[key] = all.length > 1 ? all : all[0]!;
    }
    const body = method === 'GET' ? {} : await readJson(req);
    const input = { ...(method === 'GET' ? textFields(route.spec.input, query) : body), ...textFields(route.spec.input, params) };
    const parsed = parseSettings(route.spec.input, input);
    const verb = o.service[route.name as OperationName] as (input: unknown) => Promise<unknown>;
    const result = await verb.call(o.service, parsed);
    if (route.spec.response === 'binary') return sendBinary(res, result as Parameters<typeof sendBinary>[1]);
    return sendJson(res, 200, result);
  }

  async function upload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const received = await receiveUpload(req, o.service.dataDir, o.uploads);
    try {
      const settings = o.service.jobSettings(received.settings);
      const result = o.service.addUploaded(received.files, settings, received.priority, received.idempotencyKey, received.label);
      if (result.resumed) await discardUpload(received.dir); // a retried upload: the first one's job stands
      sendJson(res, 200, result);
    } catch (error) {
      await discardUpload(received.dir);
      throw error;
    }
  }

  async function serveUi(res: ServerResponse, pathname: string): Promise<void> {
    if (!o.uiDir) return sendJson(res, 404, { error: { kind: 'not-found', name: 'NotFoundError', message: 'This OCR Desk serves the API only (no UI was built): see /v1/openapi.json.' } });
    const root = path.resolve(o.uiDir);
    let file = path.resolve(root, `.${decodeURIComponent(pathname)}`);
    if (file !== root && !file.startsWith(root + path.sep)) throw new NotFoundError('There is nothing at that address.');
    const info = await stat(file).catch(() => undefined);
    // The UI routes in the browser: unknown paths get the app's page.
    if (!info?.isFile()) file = path.join(root, 'index.html');
    const data = await readFile(file).catch(() => undefined);
    if (!data) throw new NotFoundError('The UI is not built: run `npm run build:ui`.');
    const type = MEDIA[path.extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, {
      'content-type': type,
      'content-length': data.length,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      ...(type.startsWith('text/html') ? { 'content-security-policy': CSP, 'cache-control': 'no-store' } : { 'cache-control': 'public, max-age=31536000, immutable' }),
    });
    res.end(data);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new InvalidOptionError(`Port ${o.port ?? DEFAULT_PORT} is in use on ${o.host ?? '127.0.0.1'}: choose another with --port (OCR_DESK_PORT).`) : error),
    );
    server.listen(o.port ?? DEFAULT_PORT, o.host ?? '127.0.0.1', resolve);
  });
  const port = (server.address() as AddressInfo).port;
  allowedHosts = loopbackHosts(port);
  const host = o.host ?? '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    port,
    token,
    openUrl: `${url}/?token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = req.headers['content-type'] ?? '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_JSON_BYTES) throw new PayloadTooLargeError(`A request body may be at most ${MAX_JSON_BYTES / 1024} KiB of JSON.`);
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  if (!type.toLowerCase().startsWith('application/json')) throw new InvalidOptionError('Send the request body as application/json.');
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new InvalidOptionError('The request body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidOptionError('The request body must be a JSON object.');
  return value as Record<string, unknown>;
}

