/**
 * Who is calling the service. The HTTP adapter runs each request's verb inside {@link asCaller}, so the service
 * (audit trail, allowed roots, webhooks) knows the key and the address without every verb taking another argument.
 * Without a caller (the CLI, the desktop app, the token holder) it is the local admin: every scope, any path.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { userInfo } from 'node:os';
import type { Scope } from '../../common/api/access.ts';

export interface Caller {
  /** The API key's id; null for the local admin. */
  readonly keyId: string | null;
  /** The client's address; null when not over the network. */
  readonly address: string | null;
  readonly scopes: readonly Scope[];
  /** The token holder, the CLI or the app on this machine: may name any path. */
  readonly localAdmin: boolean;
  /** Where the key's jobs report, and the secret they are signed with. */
  readonly webhook?: { readonly url: string | null; readonly secret: string };
}

export const LOCAL_ADMIN: Caller = { keyId: null, address: null, scopes: ['read', 'submit', 'admin'], localAdmin: true };

const storage = new AsyncLocalStorage<Caller>();

export function asCaller<T>(caller: Caller, fn: () => T): T {
  return storage.run(caller, fn);
}

export function currentCaller(): Caller {
  return storage.getStore() ?? LOCAL_ADMIN;
}

/**
 * Who made a change. Over the network the API key is who (a key cannot pass as someone else: the name it gives is
 * kept beside its id); locally, the name given, else the OS user the service runs as.
 */
export function authorOf(given: string | undefined): string {
  const caller = currentCaller();
  if (caller.keyId !== null) return `${given ? `${given}, ` : ''}key ${caller.keyId}`;
  if (given) return given;
  try {
    return userInfo().username || 'local user';
  } catch {
    return 'local user';
  }
}
