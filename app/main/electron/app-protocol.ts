/**
 * Serves the built renderer (dist/renderer, made by `npm run build:ui`) on `app://ocr-desk/`, a privileged standard
 * scheme: the page gets a real origin (its CSP `'self'` and the sender check mean exactly the app's files), nothing
 * outside the renderer folder can be read through it, and every response carries the CSP. When the renderer has
 * not been built, the window shows a page that says so.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type * as Electron from 'electron';
import { APP_HOST, APP_SCHEME, CONTENT_SECURITY_POLICY } from './security.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** Must be called before the app is ready. */
export function registerAppScheme(protocol: Electron.Protocol): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
}

export function handleAppProtocol(protocol: Electron.Protocol, rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => serveApp(rendererDir, request));
}

/**
 * The file under `root` that an app:// URL names, or undefined when the URL is not the app's or would leave `root`.
 * `/` is index.html.
 */
export function appFilePath(root: string, url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return undefined;
  let pathname: string;
  try {
    pathname = decodeURIComponent(u.pathname);
  } catch {
    return undefined;
  }
  if (pathname.includes('\0')) return undefined;
  const file = path.resolve(root, `.${pathname.endsWith('/') ? `${pathname}index.html` : pathname}`);
  const relative = path.relative(root, file);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  return file;
}

const headers = (type: string, csp = CONTENT_SECURITY_POLICY) => ({
  'content-type': type,
  'content-security-policy': csp,
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-cache',
});

/** The page shown when dist/renderer has not been built: no script at all. */
export function notBuiltPage(rendererDir: string): string {
  const escaped = rendererDir.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>OCR Desk</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:3em auto;max-width:40em;padding:0 1em;color:#222}code{background:#eee;padding:0 .3em}</style>
</head><body>
<h1>The OCR Desk window has not been built</h1>
<p>This copy of OCR Desk has no user interface in <code>${escaped}</code>.</p>
<p>Build it with <code>npm run build:ui</code>, then start the app again. The OCR service is running: the command line
(<code>ocr-desk</code>) and <code>ocr-desk serve</code> work meanwhile.</p>
</body></html>
`;
}

const NOT_BUILT_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export async function serveApp(rendererDir: string, request: Request): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('Method not allowed', { status: 405, headers: headers('text/plain; charset=utf-8') });
  const file = appFilePath(rendererDir, request.url);
  if (!file) return new Response('Not found', { status: 404, headers: headers('text/plain; charset=utf-8') });
  const index = path.join(rendererDir, 'index.html');
  const read = async (name: string) => readFile(name).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' || error.code === 'EISDIR' || error.code === 'ENOTDIR' ? undefined : Promise.reject(error)));
  let body = await read(file);
  let served = file;
  // A path without an extension is a route of the single-page app: it gets index.html.
  if (!body && path.extname(file) === '') {
    body = await read(index);
    served = index;
  }
  if (!body) {
    if (served === index || file === index) return new Response(notBuiltPage(rendererDir), { status: 200, headers: headers('text/html; charset=utf-8', NOT_BUILT_CSP) });
    return new Response('Not found', { status: 404, headers: headers('text/plain; charset=utf-8') });
  }
  const type = TYPES[path.extname(served).toLowerCase()] ?? 'application/octet-stream';
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers: headers(type) });
}
