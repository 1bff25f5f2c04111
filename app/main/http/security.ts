/**
 * Who may talk to `ocr-desk serve`. Loopback is not private: any web page the user opens can send requests to
 * 127.0.0.1. So:
 * - the Host header must name this server (`127.0.0.1:<port>`, `localhost:<port>`, `[::1]:<port>`), which defeats
 *   DNS rebinding (a foreign name resolving to 127.0.0.1);
 * - a request carrying an Origin must come from this server's own origin, which defeats cross-site requests;
 * - every request but the health checks needs the secret token made at start: as `Authorization: Bearer <token>`,
 *   or as the HttpOnly SameSite=Strict cookie the UI gets when it is first opened with `?token=` in its URL.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ForbiddenError, UnauthorizedError } from '../../common/errors.ts';

export const COOKIE_NAME = 'ocr_desk_token';

/** A new random token: 32 bytes, base64url. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Host names a loopback server answers to. */
export function loopbackHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
}

/** Throws {@link ForbiddenError} when the Host or Origin header names another site. */
export function checkHostAndOrigin(req: IncomingMessage, allowedHosts: ReadonlySet<string>, scheme: 'http' | 'https' = 'http'): void {
  const host = req.headers.host?.toLowerCase();
  if (!host || !allowedHosts.has(host)) {
    throw new ForbiddenError(`This OCR Desk answers only to ${[...allowedHosts].join(', ')}, not to the host "${host ?? '(none)'}".`);
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== 'null') {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      // falls through to the refusal
    }
    if (!parsed || parsed.protocol !== `${scheme}:` || !allowedHosts.has(parsed.host.toLowerCase())) {
      throw new ForbiddenError(`Requests from ${origin} are not allowed: only pages served by this OCR Desk may call it.`);
    }
  } else if (origin === 'null') {
    throw new ForbiddenError('Requests from an opaque origin (a sandboxed frame, a file:// page) are not allowed.');
  }
  // Browsers tell where a request comes from even when they send no Origin (simple GETs).
  if (req.headers['sec-fetch-site'] === 'cross-site') throw new ForbiddenError('Cross-site requests are not allowed.');
}

export function sameSecret(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token a request carries: bearer header first, then the cookie. */
export function requestToken(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  const cookies = req.headers.cookie?.split(';').map((c) => c.trim()) ?? [];
  const mine = cookies.find((c) => c.startsWith(`${COOKIE_NAME}=`));
  return mine?.slice(COOKIE_NAME.length + 1);
}

/** Throws {@link UnauthorizedError} unless the request carries the token. */
export function checkToken(req: IncomingMessage, token: string): void {
  const given = requestToken(req);
  if (given === undefined || !sameSecret(given, token)) {
    throw new UnauthorizedError('This request needs the token OCR Desk printed when it started: open the URL it printed, or send `Authorization: Bearer <token>`.');
  }
}

/** Whether `?token=` in a page URL is the right token (then the page sets the cookie). */
export function queryTokenMatches(url: URL, token: string): boolean {
  const given = url.searchParams.get('token');
  return given !== null && sameSecret(given, token);
}

/** The Set-Cookie header that keeps the token for the UI. */
export function tokenCookie(token: string, secure: boolean): string {
  return `${COOKIE_NAME}=${token}; HttpOnly; SameSite=Strict; Path=/${secure ? '; Secure' : ''}`;
}
