/**
 * Who may call the service when it faces a network: API keys with scopes, the audit trail, and retention. Schemas
 * of the key, audit and retention operations (operations.ts), shared by the CLI, the HTTP adapter and the UI.
 *
 * Scopes nest: `read` sees jobs, documents, results and search; `submit` also adds, changes and deletes jobs and
 * documents; `admin` also manages keys, hot folders, settings, the audit log and retention. A caller holding a
 * scope holds the ones below it.
 */
import { z } from 'zod';

export const SCOPES = ['read', 'submit', 'admin'] as const;
export const scopeSchema = z.enum(SCOPES);
export type Scope = z.infer<typeof scopeSchema>;

/** Whether a caller holding `held` may call an operation that needs `needed`. */
export function scopeAllows(held: readonly Scope[], needed: Scope): boolean {
  const rank = (s: Scope) => SCOPES.indexOf(s);
  return held.some((h) => rank(h) >= rank(needed));
}

/** An http(s) URL a webhook is posted to. */
export const webhookUrlSchema = z
  .string()
  .max(2000)
  .refine((u) => /^https?:\/\/[^\s]+$/i.test(u) && URL.canParse(u), 'an http:// or https:// URL');

export const apiKeySchema = z.object({
  /** Public id (shown in lists, logs and the audit trail); the key itself is never stored or shown again. */
  id: z.string(),
  name: z.string(),
  scopes: z.array(scopeSchema),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  /** Where this key's jobs report when they end, if anywhere. */
  webhookUrl: z.string().nullable(),
});
export type ApiKeyView = z.infer<typeof apiKeySchema>;

export const createApiKeyInputSchema = z.object({
  scopes: z.array(scopeSchema).min(1).max(3),
  name: z.string().min(1).max(100).optional(),
  /** Every job added with this key reports here when it ends (signed; see the webhook secret). */
  webhookUrl: webhookUrlSchema.optional(),
});

export const createdApiKeySchema = apiKeySchema.extend({
  /** The key: shown this once. Send it as `Authorization: Bearer <key>`. */
  key: z.string(),
  /** The HMAC-SHA256 secret this key's webhooks are signed with: shown this once. */
  webhookSecret: z.string(),
});

export const auditEntrySchema = z.object({
  id: z.number().int().positive(),
  at: z.string(),
  /** What happened: an operation name (`uploadFiles`), or an event of the service (`document-done`, `retention-purge`). */
  action: z.string(),
  /** The API key that asked; null for the local admin (the token, the CLI, the app) and the service itself. */
  keyId: z.string().nullable(),
  /** The client's address; null when not over the network. */
  address: z.string().nullable(),
  jobId: z.number().int().nullable(),
  documentId: z.number().int().nullable(),
  detail: z.string().nullable(),
});

export const auditInputSchema = z.object({
  /** Entries before this id (paging back). */
  before: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(1000).optional(),
  keyId: z.string().max(64).optional(),
  documentId: z.number().int().positive().optional(),
});

export const purgeInputSchema = z.object({
  /** Documents finished (done, failed or cancelled) more than this many days ago. @default the retention setting */
  olderThanDays: z.number().min(0).max(36_500).optional(),
});

export const purgeOutputSchema = z.object({ documents: z.number().int().min(0), deletedFiles: z.number().int().min(0) });

/** The words a caller must send to delete everything, so no stray request does it. */
export const DELETE_EVERYTHING_CONFIRMATION = 'delete everything';
export const deleteEverythingInputSchema = z.object({ confirm: z.literal(DELETE_EVERYTHING_CONFIRMATION) });

/** The node settings the app can change (the rest are flags and environment variables only). */
export const nodeSettingsValuesSchema = z.object({
  /** Address `ocr-desk serve` listens on: 127.0.0.1 (this machine only), 0.0.0.0 (every network), or one address. */
  listen: z.string().min(1).max(255),
  port: z.number().int().min(0).max(65535),
  /** Folders network clients may name. */
  allowedRoots: z.array(z.string().min(1).max(4096)).max(100),
  /** Documents that ended more than this many days ago are deleted (0: kept). */
  retentionDays: z.number().min(0).max(36_500),
});

export const nodeSettingsViewSchema = z.object({
  values: nodeSettingsValuesSchema,
  /** Where each value comes from (default, stored, environment, command-line); pinned ones cannot be changed here. */
  sources: z.record(z.string(), z.enum(['default', 'stored', 'environment', 'command-line'])),
  /** Whether these values serve beyond this machine (TLS and API keys). */
  lan: z.boolean(),
  /** What the running service uses differs from these: they apply when `ocr-desk serve` next starts. */
  restartNeeded: z.boolean(),
});
export type NodeSettingsView = z.infer<typeof nodeSettingsViewSchema>;
