/**
 * API keys. A key is 32 random bytes (base64url, prefixed `ocrd_`), made here and shown once; the store keeps only
 * its SHA-256. A fast hash is right for keys, unlike passwords: a key has 256 bits of entropy, so nothing can be
 * guessed from the hash, and checking it costs a microsecond per request. Lookups are by hash (indexed), and a
 * key is read from the store on every request (no cache), so a revoked key fails on the very next request.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ApiKeyView, Scope } from '../../common/api/access.ts';
import type { OperationInput, OperationOutput } from '../../common/api/operations.ts';
import { NotFoundError } from '../../common/errors.ts';
import type { Store } from '../store/store.ts';

interface KeyRow {
  readonly id: string;
  readonly name: string;
  readonly scopes: string;
  readonly hash: string;
  readonly webhook_url: string | null;
  readonly webhook_secret: string;
  readonly created_at: number;
  readonly last_used_at: number | null;
  readonly revoked_at: number | null;
}

export interface VerifiedKey {
  readonly id: string;
  readonly scopes: Scope[];
  readonly webhookUrl: string | null;
  readonly webhookSecret: string;
}

export const KEY_PREFIX = 'ocrd_';
/** last_used_at is written at most this often per key, so a busy key does not write on every request. */
const LAST_USED_EVERY_MS = 60_000;

const hashOf = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function view(row: KeyRow): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    scopes: JSON.parse(row.scopes) as Scope[],
    createdAt: iso(row.created_at)!,
    lastUsedAt: iso(row.last_used_at),
    revokedAt: iso(row.revoked_at),
    webhookUrl: row.webhook_url,
  };
}

export function createKey(store: Store, input: OperationInput<'createApiKey'>): OperationOutput<'createApiKey'> {
  const id = `k${randomBytes(5).toString('hex')}`;
  const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const webhookSecret = `whsec_${randomBytes(24).toString('base64url')}`;
  const scopes = [...new Set(input.scopes)];
  const name = input.name ?? `key ${id}`;
  store.transaction(() => {
    store
      .sql('INSERT INTO api_keys (id, name, scopes, hash, webhook_url, webhook_secret, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(id, name, JSON.stringify(scopes), hashOf(key), input.webhookUrl ?? null, webhookSecret, Date.now());
    store.audit('key-created', null, null, `${id} (${name}): ${scopes.join(',')}`);
  });
  return { ...view(keyRow(store, id)), key, webhookSecret };
}

function keyRow(store: Store, id: string): KeyRow {
  const row = store.sql('SELECT * FROM api_keys WHERE id = ?').get(id) as KeyRow | undefined;
  if (!row) throw new NotFoundError(`There is no API key ${id}. List the keys (ocr-desk keys list) to see their ids.`);
  return row;
}

export function listKeys(store: Store): ApiKeyView[] {
  return (store.sql('SELECT * FROM api_keys ORDER BY created_at, id').all() as unknown as KeyRow[]).map(view);
}

export function revokeKey(store: Store, id: string): ApiKeyView {
  store.transaction(() => {
    const row = keyRow(store, id);
    if (row.revoked_at !== null) return;
    store.sql('UPDATE api_keys SET revoked_at = ? WHERE id = ?').run(Date.now(), id);
    store.audit('key-revoked', null, null, `${id} (${row.name})`);
  });
  return view(keyRow(store, id));
}

/** The key a client presented, if it is one of ours and not revoked. */
export function verifyKey(store: Store, presented: string): VerifiedKey | undefined {
  if (!presented.startsWith(KEY_PREFIX) || presented.length > 200) return undefined;
  const row = store.sql('SELECT * FROM api_keys WHERE hash = ?').get(hashOf(presented)) as KeyRow | undefined;
  if (!row || row.revoked_at !== null) return undefined;
  const now = Date.now();
  if (row.last_used_at === null || now - row.last_used_at > LAST_USED_EVERY_MS) store.sql('UPDATE api_keys SET last_used_at = ? WHERE id = ?').run(now, row.id);
  return { id: row.id, scopes: JSON.parse(row.scopes) as Scope[], webhookUrl: row.webhook_url, webhookSecret: row.webhook_secret };
}

/** Whether a key id exists and is not revoked (sessions check it on every request). */
export function keyActive(store: Store, id: string): VerifiedKey | undefined {
  const row = store.sql('SELECT * FROM api_keys WHERE id = ? AND revoked_at IS NULL').get(id) as KeyRow | undefined;
  return row && { id: row.id, scopes: JSON.parse(row.scopes) as Scope[], webhookUrl: row.webhook_url, webhookSecret: row.webhook_secret };
}
