/**
 * Who a request is. In order: the bearer token printed at start, or its cookie (the local admin: every scope, any
 * path); a bearer API key (`ocrd_…`, its scopes); a browser session made from a key at /login (the key's scopes,
 * checked against the store on every request, so revoking the key ends its sessions at once). Sessions live in
 * this process only, expire, and are capped in number.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { UnauthorizedError } from '../../common/errors.ts';
import { LOCAL_ADMIN, type Caller } from '../service/caller.ts';
import { keyActive, verifyKey, type VerifiedKey } from '../service/keys.ts';
import type { Store } from '../store/store.ts';
import { clientAddress } from './network.ts';
import { COOKIE_NAME, requestToken, sameSecret } from './security.ts';

export const SESSION_COOKIE = 'ocr_desk_session';
const MAX_SESSIONS = 10_000;

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of req.headers.cookie?.split(';') ?? []) {
    const c = part.trim();
    if (c.startsWith(`${name}=`)) return c.slice(name.length + 1);
  }
  return undefined;
}

export class Sessions {
  readonly #sessions = new Map<string, { keyId: string; expires: number }>();
  readonly #ttlMs: number;

  constructor(hours: number) {
    this.#ttlMs = hours * 3_600_000;
  }

  create(keyId: string): { id: string; cookie: string } {
    const now = Date.now();
    if (this.#sessions.size >= MAX_SESSIONS) {
      for (const [id, s] of this.#sessions) if (s.expires <= now) this.#sessions.delete(id);
      // Still full: the oldest go first.
      for (const id of this.#sessions.keys()) {
        if (this.#sessions.size < MAX_SESSIONS) break;
        this.#sessions.delete(id);
      }
    }
    const id = randomBytes(32).toString('base64url');
    this.#sessions.set(id, { keyId, expires: now + this.#ttlMs });
    return { id, cookie: `${SESSION_COOKIE}=${id}; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=${Math.floor(this.#ttlMs / 1000)}` };
  }

  keyOf(id: string): string | undefined {
    const s = this.#sessions.get(id);
    if (!s) return undefined;
    if (s.expires <= Date.now()) {
      this.#sessions.delete(id);
      return undefined;
    }
    return s.keyId;
  }

  end(id: string | undefined): void {
    if (id !== undefined) this.#sessions.delete(id);
  }
}

export const sessionOf = (req: IncomingMessage) => cookie(req, SESSION_COOKIE);
export const clearSessionCookie = `${SESSION_COOKIE}=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0`;

const fromKey = (key: VerifiedKey, address: string): Caller => ({ keyId: key.id, address, scopes: key.scopes, localAdmin: false, webhook: { url: key.webhookUrl, secret: key.webhookSecret } });

/** The caller of a request, or undefined when it carries no valid credentials. */
export function identify(req: IncomingMessage, token: string, store: Store, sessions: Sessions): Caller | undefined {
  const address = clientAddress(req);
  const bearer = req.headers.authorization?.startsWith('Bearer ') ? req.headers.authorization.slice(7).trim() : undefined;
  if (bearer !== undefined) {
    if (sameSecret(bearer, token)) return { ...LOCAL_ADMIN, address };
    const key = verifyKey(store, bearer);
    return key && fromKey(key, address);
  }
  const held = requestToken(req);
  if (held !== undefined && cookie(req, COOKIE_NAME) !== undefined && sameSecret(held, token)) return { ...LOCAL_ADMIN, address };
  const session = sessionOf(req);
  const keyId = session === undefined ? undefined : sessions.keyOf(session);
  if (keyId === undefined) return undefined;
  const key = keyActive(store, keyId);
  if (!key) {
    sessions.end(session);
    return undefined;
  }
  return fromKey(key, address);
}

export function unauthorized(lan: boolean): UnauthorizedError {
  return new UnauthorizedError(
    lan
      ? 'This request needs an API key: send `Authorization: Bearer <key>` (an admin makes one with `ocr-desk keys create`), or sign in at /login.'
      : 'This request needs the token OCR Desk printed when it started (or an API key): open the URL it printed, or send `Authorization: Bearer <token>`.',
  );
}

/** Verifies a key typed at /login. */
export function loginKey(store: Store, key: string): VerifiedKey | undefined {
  return verifyKey(store, key.trim());
}

/** The login page: a form that posts the key (no script, so the page's CSP needs none). */
export function loginPage(message?: string): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>OCR Desk: sign in</title>
<style>body{font:16px system-ui,sans-serif;max-width:28rem;margin:12vh auto;padding:0 1rem;color:#1b1b1f}h1{font-size:1.4rem}label{display:block;margin:1rem 0 .3rem}
input{width:100%;box-sizing:border-box;padding:.5rem;font:inherit}button{margin-top:1rem;padding:.5rem 1.2rem;font:inherit}.error{color:#b00020}
@media (prefers-color-scheme: dark){body{background:#1b1b1f;color:#e6e6ea}}</style></head>
<body><main><h1>OCR Desk</h1><p>Sign in with an API key. Ask this OCR Desk's admin for one (<code>ocr-desk keys create</code>).</p>
${message ? `<p class="error" role="alert">${esc(message)}</p>` : ''}<form method="post" action="/login"><label for="key">API key</label>
<input id="key" name="key" type="password" autocomplete="off" required autofocus><button type="submit">Sign in</button></form></main></body></html>`;
}
