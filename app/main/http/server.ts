/**
 * `ocr-desk serve`: the service's HTTP adapter. JSON for commands and queries (routes made from the operation
 * table), Server-Sent Events for the event stream, streamed multipart for uploads, the OpenAPI document, health
 * checks, /metrics, and the built UI. It holds no orchestration: every route validates its input and calls the
 * service, as the caller the request authenticated as (../service/caller.ts).
 *
 * Two modes (./network.ts). On loopback every request is checked as before (./security.ts): Host and Origin
 * against DNS rebinding and cross-site requests, and the token (or an API key) for everything but /healthz and
 * /readyz. On any other address it is a LAN node: TLS 1.2+ only (plain HTTP is refused at start), API keys with
 * scopes or a session made from one at /login, Origin pinned to the node, per-key rate limits, upload and queue
 * caps, timeouts against slow clients; every request is logged and every command audited with its key and address.
 */
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { scopeAllows, type Scope } from '../../common/api/access.ts';
import { openApiDocument } from '../../common/api/openapi.ts';
import type { OperationName } from '../../common/api/operations.ts';
import { BusyError, ForbiddenError, InvalidOptionError, NotFoundError, OcrDeskError, RateLimitedError, UnauthorizedError } from '../../common/errors.ts';
import { parseSettings } from '../../common/validate.ts';
import { asCaller, type Caller } from '../service/caller.ts';
import { APP_VERSION } from '../service/diagnostics.ts';
import { discardUpload, type OcrService } from '../service/ocr-service.ts';
import { clearSessionCookie, identify, loginKey, loginPage, Sessions, sessionOf, SESSION_COOKIE, unauthorized } from './auth.ts';
import { Gate, RateLimiter, readJson } from './limits.ts';
import type { Logger } from './log.ts';
import { createMetrics } from './metrics.ts';
import { checkLanOrigin, isLanAddress, isLoopback } from './network.ts';
import { sendBinary, sendError, sendJson, statusOf } from './responses.ts';
import { matchRoute, textFields, type Route } from './routes.ts';
import { checkHostAndOrigin, COOKIE_NAME, loopbackHosts, newToken, queryTokenMatches, tokenCookie } from './security.ts';
import { streamEvents } from './sse.ts';
import { receiveUpload, type UploadLimits } from './uploads.ts';

export interface HttpLimits {
  /** Requests a second per API key (0: none), and its burst. @default 50, 100 */
  readonly rateLimit?: number;
  readonly rateBurst?: number;
  /** @default 16 */
  readonly maxConcurrentUploads?: number;
  /** @default 600_000 */
  readonly requestTimeoutMs?: number;
  /** @default 10_000 */
  readonly headersTimeoutMs?: number;
  /** @default 30_000 */
  readonly idleTimeoutMs?: number;
  /** @default 12 */
  readonly sessionHours?: number;
}

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
  /** Certificate and key (PEM): serve HTTPS. Required on a LAN address. */
  readonly tls?: { readonly cert: string; readonly key: string };
  readonly limits?: HttpLimits;
  /** Structured log (pino); without it, unexpected errors go to `log`. */
  readonly logger?: Logger;
  /** Unexpected errors (with their stack) go here, never to the client. @default console.error */
  readonly log?: (message: string, error?: unknown) => void;
  /** For the LAN test switch (network.ts). @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  /** Whether it serves as a LAN node (TLS and API keys). */
  readonly lan: boolean;
  /** The address to open in a browser: the UI, with the token that sets its cookie. */
  readonly openUrl: string;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 7327;
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
const PAGE_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY', 'content-security-policy': CSP, 'cache-control': 'no-store' };
/** Reads of document content by a key are audited too (the UI's page pictures are not: they are fetched by the dozen). */
const AUDITED_READS = new Set<string>(['getResult', 'getPage', 'exportDocument']);

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
  const host = o.host ?? '127.0.0.1';
  const lan = isLanAddress(host, o.env ?? process.env);
  if (lan && !o.tls) throw new InvalidOptionError(`Serving on ${host} needs TLS: OCR Desk never serves plain HTTP beyond this machine. Give --tls-cert and --tls-key, or let serve make a self-signed certificate.`);
  const scheme = o.tls ? 'https' : 'http';
  const token = o.token ?? newToken();
  const limits = o.limits ?? {};
  const logError = o.logger ? (message: string, error?: unknown) => o.logger!.error({ err: error }, message) : (o.log ?? ((message, error) => console.error(message, error)));
  const sessions = new Sessions(limits.sessionHours ?? 12);
  const rate = new RateLimiter(limits.rateLimit ?? 50, limits.rateBurst ?? 100);
  const uploads = new Gate(limits.maxConcurrentUploads ?? 16);
  const metrics = createMetrics(o.service);
  const store = o.service.store;
  let allowedHosts = new Set<string>();

  const serverOptions: ServerOptions = {
    // Slow clients: headers within headersTimeout, a whole request within requestTimeout, checked every second;
    // a connection silent for idleTimeout is closed (a stalled body); headers beyond 16 KiB get 431.
    headersTimeout: limits.headersTimeoutMs ?? 10_000,
    requestTimeout: limits.requestTimeoutMs ?? 600_000,
    connectionsCheckingInterval: 1000,
    maxHeaderSize: 16 * 1024,
    keepAliveTimeout: 5000,
  };
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const ctx: { route: string; caller?: Caller } = { route: 'unmatched' };
    res.on('finish', () => {
      const seconds = (performance.now() - started) / 1000;
      metrics.request(ctx.route, req.method ?? 'GET', res.statusCode, seconds);
      o.logger?.info({ route: ctx.route, method: req.method, status: res.statusCode, ms: Math.round(seconds * 1000), keyId: ctx.caller?.keyId ?? undefined, address: req.socket.remoteAddress }, 'request');
    });
    handle(req, res, ctx).catch((error: unknown) => {
      const kind = error instanceof OcrDeskError ? error.kind : 'internal';
      metrics.error(kind, 'http');
      const headers: Record<string, string> = {};
      if (error instanceof RateLimitedError || error instanceof BusyError) headers['retry-after'] = String(error.retryAfterSeconds);
      // A body the client is still sending: read and drop up to 8 MiB of it so the client reads the answer, then
      // close the connection (past that, cut it off).
      if (!req.complete) {
        headers.connection = 'close';
        let drained = 0;
        req.on('data', (chunk: Buffer) => {
          drained += chunk.length;
          if (drained > 8 * 1024 * 1024) req.socket.destroy();
        });
        req.resume();
      }
      sendError(res, error, (e) => logError('HTTP request failed', e), headers);
    });
  };
  const server: Server = o.tls
    ? (createTlsServer({ ...serverOptions, cert: o.tls.cert, key: o.tls.key, minVersion: 'TLSv1.2', handshakeTimeout: limits.headersTimeoutMs ?? 10_000 }, onRequest) as unknown as Server)
    : createServer(serverOptions, onRequest);
  server.timeout = limits.idleTimeoutMs ?? 30_000;
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    // A browser that drops a connection (a page navigating away mid-request) is not a bad request: nothing to answer.
    if (error.code === 'ECONNRESET' || error.code === 'EPIPE') {
      socket.destroy();
      return;
    }
    // A connection that has sent nothing when the headers timeout ends it is one a browser opened ahead of need: it
    // is closed without an answer. An answer there (it was "400 Bad Request") could be read by the browser as the
    // answer to the request it was just sending on it (the UI saw a 400 for a page it asked for).
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT' && (socket as Socket).bytesRead === 0) {
      socket.destroy();
      return;
    }
    metrics.error(error.code === 'HPE_HEADER_OVERFLOW' ? 'headers-too-large' : 'bad-request', 'http');
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    if (socket.writable && !socket.destroyed) socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\n\r\n`);
    else socket.destroy();
  });
  server.on('tlsClientError', (_error, socket) => socket.destroy());

  async function handle(req: IncomingMessage, res: ServerResponse, ctx: { route: string; caller?: Caller }): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (lan) checkLanOrigin(req);
    else checkHostAndOrigin(req, allowedHosts, scheme);
    const method = req.method ?? 'GET';
    if (url.pathname === '/healthz' && method === 'GET') return (ctx.route = 'healthz'), sendJson(res, 200, { status: 'alive' });
    if (url.pathname === '/readyz' && method === 'GET') {
      ctx.route = 'readyz';
      const ready = o.service.readiness();
      return sendJson(res, ready.ready ? 200 : 503, { status: ready.ready ? 'ready' : 'not ready', checks: ready.checks });
    }
    if (url.pathname === '/login') return (ctx.route = 'login'), login(req, res, method);
    if (url.pathname === '/logout' && method === 'POST') {
      ctx.route = 'logout';
      sessions.end(sessionOf(req));
      res.writeHead(303, { location: '/login', 'set-cookie': clearSessionCookie, 'cache-control': 'no-store' });
      return void res.end();
    }
    // The UI's entry: `?token=` sets the cookie, then the address bar is cleaned of the token.
    if (method === 'GET' && !url.pathname.startsWith('/v1/') && url.searchParams.has('token')) {
      ctx.route = 'ui-token';
      if (!queryTokenMatches(url, token)) throw new UnauthorizedError('The token in this address is not the one OCR Desk printed at start.');
      url.searchParams.delete('token');
      res.writeHead(303, { location: url.pathname + url.search, 'set-cookie': tokenCookie(token, scheme === 'https'), 'cache-control': 'no-store' });
      return void res.end();
    }
    const caller = identify(req, token, store, sessions);
    ctx.caller = caller;
    const isApi = url.pathname.startsWith('/v1/') || url.pathname === '/metrics';
    if (!caller) {
      // A browser on the LAN without a session is sent to sign in; API clients get 401.
      if (lan && !isApi && (method === 'GET' || method === 'HEAD')) {
        ctx.route = 'ui';
        res.writeHead(303, { location: '/login', 'cache-control': 'no-store' });
        return void res.end();
      }
      throw unauthorized(lan);
    }
    if (!caller.localAdmin) rate.take(caller.keyId ?? caller.address ?? 'anonymous');
    if (url.pathname === '/metrics' && method === 'GET') {
      ctx.route = 'metrics';
      need(caller, 'read', 'metrics');
      const text = await metrics.registry.metrics();
      res.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      return void res.end(text);
    }
    if (url.pathname === '/v1/events' && method === 'GET') return (ctx.route = 'events'), need(caller, 'read', 'events'), streamEvents(req, res, o.service);
    if (url.pathname === '/v1/openapi.json' && method === 'GET') {
      ctx.route = 'openapi';
      return sendJson(res, 200, openApiDocument({ version: APP_VERSION, cookieName: COOKIE_NAME, sessionCookieName: SESSION_COOKIE }));
    }
    if (url.pathname.startsWith('/v1/')) return api(req, res, url, method, caller, ctx);
    if (method !== 'GET' && method !== 'HEAD') throw new NotFoundError(`There is nothing at ${method} ${url.pathname}.`);
    ctx.route = 'ui';
    return serveUi(res, url.pathname);
  }

  function need(caller: Caller, scope: Scope, what: string): void {
    if (!scopeAllows(caller.scopes, scope)) throw new ForbiddenError(`${what} needs an API key with the ${scope} scope; this one has ${caller.scopes.join(', ')}.`);
  }

  async function login(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    const page = (status: number, message?: string) => {
      const html = loginPage(message);
      res.writeHead(status, { ...PAGE_HEADERS, 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
      res.end(html);
    };
    if (method === 'GET') return page(200);
    if (method !== 'POST') throw new NotFoundError(`/login takes GET or POST, not ${method}.`);
    let text = '';
    for await (const chunk of req) {
      text += (chunk as Buffer).toString('utf8');
      if (text.length > 4096) throw new InvalidOptionError('A sign-in form is a key, not more.');
    }
    const presented = (req.headers['content-type'] ?? '').startsWith('application/json') ? String((JSON.parse(text || '{}') as { key?: unknown }).key ?? '') : (new URLSearchParams(text).get('key') ?? '');
    const address = req.socket.remoteAddress ?? null;
    const key = loginKey(store, presented);
    if (!key) {
      asCaller({ keyId: null, address, scopes: [], localAdmin: false }, () => store.audit('login-failed', null, null, null));
      return page(401, 'That key is not valid (or was revoked). Check it, or ask for a new one.');
    }
    rate.take(key.id);
    const session = sessions.create(key.id);
    asCaller({ keyId: key.id, address, scopes: key.scopes, localAdmin: false }, () => store.audit('login', null, null, `session for ${key.scopes.join(',')}`));
    res.writeHead(303, { location: '/', 'set-cookie': session.cookie, 'cache-control': 'no-store' });
    res.end();
  }

  async function api(req: IncomingMessage, res: ServerResponse, url: URL, method: string, caller: Caller, ctx: { route: string }): Promise<void> {
    const match = matchRoute(method, url.pathname);
    if (!match) throw new NotFoundError(`There is no API route ${url.pathname}; see /v1/openapi.json.`);
    if ('allowed' in match) {
      res.setHeader('allow', match.allowed.join(', '));
      return sendJson(res, 405, { error: { kind: 'invalid-option', name: 'InvalidOptionError', message: `${url.pathname} takes ${match.allowed.join(' or ')}, not ${method}.` } });
    }
    const { route, params } = match;
    ctx.route = route.name;
    return asCaller(caller, async () => {
      let outcome = 'ok';
      try {
        need(caller, route.spec.scope, route.name);
        if (route.spec.request === 'multipart') return await upload(req, res);
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
      } catch (error) {
        outcome = error instanceof OcrDeskError ? `${statusOf(error.kind)} ${error.kind}` : '500 internal';
        throw error;
      } finally {
        audit(route, params, caller, outcome);
      }
    });
  }

  function audit(route: Route, params: Record<string, string>, caller: Caller, outcome: string): void {
    // Commands, reads of document content by keys, and every refusal of a key's scope.
    const refused = outcome.startsWith('403');
    if (route.spec.kind !== 'command' && !refused && (caller.localAdmin || !AUDITED_READS.has(route.name))) return;
    const id = (name: string) => (params[name] !== undefined && /^\d{1,15}$/.test(params[name]) ? Number(params[name]) : null);
    try {
      store.audit(route.name, id('jobId'), id('documentId'), outcome);
    } catch (error) {
      logError('audit failed', error);
    }
  }

  async function upload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const leave = uploads.enter('uploads');
    try {
      // Refused before the body is read when the queue is already full.
      o.service.checkQueueRoom();
      const received = await receiveUpload(req, o.service.dataDir, o.uploads);
      try {
        if (received.idempotencyKey !== undefined && (received.idempotencyKey.length < 8 || received.idempotencyKey.length > 200)) {
          throw new InvalidOptionError('An idempotency key is 8 to 200 characters.');
        }
        const settings = o.service.jobSettings(received.settings);
        const result = o.service.addUploaded({ files: received.files, settings, priority: received.priority, idempotencyKey: received.idempotencyKey, label: received.label, webhookUrl: received.webhookUrl });
        if (result.resumed) await discardUpload(received.dir); // a retried upload: the first one's job stands
        sendJson(res, 200, result);
      } catch (error) {
        await discardUpload(received.dir);
        throw error;
      }
    } finally {
      leave();
    }
  }

  async function serveUi(res: ServerResponse, pathname: string): Promise<void> {
    if (!o.uiDir) return sendJson(res, 404, { error: { kind: 'not-found', name: 'NotFoundError', message: 'This OCR Desk serves the API only (no UI was built): see /v1/openapi.json.' } });
    const root = path.resolve(o.uiDir);
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      throw new NotFoundError('There is nothing at that address.');
    }
    let file = path.resolve(root, `.${decoded}`);
    if ((file !== root && !file.startsWith(root + path.sep)) || decoded.includes('\0')) throw new NotFoundError('There is nothing at that address.');
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
      reject(
        error.code === 'EADDRINUSE'
          ? new InvalidOptionError(`Port ${o.port ?? DEFAULT_PORT} is in use on ${host}: choose another with --port (OCR_DESK_PORT).`)
          : error.code === 'EADDRNOTAVAIL'
            ? new InvalidOptionError(`${host} is not an address of this machine: choose one of its own with --listen (OCR_DESK_LISTEN).`)
            : error,
      ),
    );
    server.listen(o.port ?? DEFAULT_PORT, host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  allowedHosts = isLoopback(host) ? loopbackHosts(port) : new Set([`${host.includes(':') ? `[${host}]` : host}:${port}`]);
  const url = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    port,
    token,
    lan,
    openUrl: `${url}/?token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        metrics.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
