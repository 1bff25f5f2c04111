/** The audit log as the API shows it, and the local admin's webhook secret. */
import { randomBytes } from 'node:crypto';
import type { OperationInput, OperationOutput } from '../../common/api/operations.ts';
import type { Store } from '../store/store.ts';

interface AuditRow {
  readonly id: number;
  readonly at: number;
  readonly event: string;
  readonly job_id: number | null;
  readonly document_id: number | null;
  readonly detail: string | null;
  readonly key_id: string | null;
  readonly address: string | null;
}

/** Audit entries, newest first, optionally before an id, for one key or one document. */
export function auditLog(store: Store, input: OperationInput<'getAuditLog'>): OperationOutput<'getAuditLog'>['entries'] {
  const where: string[] = [];
  const args: (string | number)[] = [];
  const filter = (clause: string, value: string | number | undefined) => {
    if (value === undefined) return;
    where.push(clause);
    args.push(value);
  };
  filter('id < ?', input.before);
  filter('key_id = ?', input.keyId);
  filter('document_id = ?', input.documentId);
  const rows = store.db
    .prepare(`SELECT * FROM audit${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`)
    .all(...args, input.limit ?? 100) as unknown as AuditRow[];
  return rows.map((r) => ({ id: r.id, at: new Date(r.at).toISOString(), action: r.event, keyId: r.key_id, address: r.address, jobId: r.job_id, documentId: r.document_id, detail: r.detail }));
}

const SECRET_KEY = 'webhook.secret';

/** The secret that signs webhooks of jobs the local admin adds: made once, kept in the store. */
export function webhookSecret(store: Store): string {
  let secret = store.setting(SECRET_KEY);
  if (secret === undefined) {
    secret = `whsec_${randomBytes(24).toString('base64url')}`;
    store.setSetting(SECRET_KEY, secret);
  }
  return secret;
}
