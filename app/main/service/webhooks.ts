/**
 * Webhooks: when a job ends (done, failed, cancelled), a POST of `{ "event": "job.ended", "job": <JobSummary> }`
 * to the URL its caller gave (per job, or the key's), signed so the receiver can tell it came from this OCR Desk:
 *   OCR-Desk-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the webhook secret>
 * A delivery that fails (network error, timeout, non-2xx) is retried with exponential back-off (2 s, 4 s, …,
 * capped at 10 min), at most MAX_ATTEMPTS times; waiting deliveries are in the store, so a restart resumes them.
 * Only origins the admin allowed (`--webhook-allow`) are posted to: a client cannot make the server call anything
 * else on its network.
 */
import { createHmac } from 'node:crypto';
import { ForbiddenError } from '../../common/errors.ts';
import type { Store } from '../store/store.ts';

export const MAX_ATTEMPTS = 8;
const TIMEOUT_MS = 10_000;

interface HookRow {
  readonly id: number;
  readonly job_id: number;
  readonly url: string;
  readonly secret: string;
  readonly attempts: number;
}

export function sign(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface WebhookOptions {
  readonly store: Store;
  /** Origins (`https://dms.example:8443`) webhooks may go to. */
  readonly allow: readonly string[];
  /** The job's summary, sent as the body. */
  readonly summary: (jobId: number) => unknown;
  /** @default 2000 */
  readonly baseDelayMs?: number;
  readonly fetch?: typeof fetch;
  readonly log?: (level: 'info' | 'warn', message: string, fields: Record<string, unknown>) => void;
}

export class Webhooks {
  readonly #o: WebhookOptions;
  readonly #allow: Set<string>;
  readonly #timers = new Set<NodeJS.Timeout>();
  #closed = false;

  constructor(o: WebhookOptions) {
    this.#o = o;
    this.#allow = new Set(o.allow.map((a) => new URL(a).origin));
    // Deliveries that were due when the service stopped.
    for (const row of o.store.sql("SELECT id, next_at FROM webhooks WHERE state = 'due'").all() as unknown as { id: number; next_at: number | null }[]) {
      this.#schedule(row.id, Math.max(0, (row.next_at ?? 0) - Date.now()));
    }
  }

  /** Throws {@link ForbiddenError} unless webhooks may go to this URL. */
  check(url: string): void {
    if (!this.#allow.has(new URL(url).origin)) {
      throw new ForbiddenError(`Webhooks may go only to the origins the admin allowed (--webhook-allow, OCR_DESK_WEBHOOK_ALLOW), not to ${new URL(url).origin}.`);
    }
  }

  /** Records that a job reports to `url` when it ends. */
  register(jobId: number, url: string, secret: string, keyId: string | null): void {
    this.check(url);
    this.#o.store.sql('INSERT INTO webhooks (job_id, url, secret, key_id, created_at) VALUES (?, ?, ?, ?, ?)').run(jobId, url, secret, keyId, Date.now());
  }

  /** A job ended: its waiting webhooks become due now. */
  jobEnded(jobId: number): void {
    const rows = this.#o.store.sql("SELECT id FROM webhooks WHERE job_id = ? AND state = 'waiting'").all(jobId) as unknown as { id: number }[];
    for (const r of rows) {
      this.#o.store.sql("UPDATE webhooks SET state = 'due', next_at = ? WHERE id = ?").run(Date.now(), r.id);
      this.#schedule(r.id, 0);
    }
  }

  close(): void {
    this.#closed = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }

  #schedule(id: number, delayMs: number): void {
    if (this.#closed) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      void this.#deliver(id);
    }, delayMs);
    timer.unref();
    this.#timers.add(timer);
  }

  async #deliver(id: number): Promise<void> {
    const { store } = this.#o;
    const row = store.sql("SELECT id, job_id, url, secret, attempts FROM webhooks WHERE id = ? AND state = 'due'").get(id) as HookRow | undefined;
    if (!row || this.#closed) return;
    const body = JSON.stringify({ event: 'job.ended', job: this.#o.summary(row.job_id) });
    const t = Math.floor(Date.now() / 1000);
    let error: string | undefined;
    try {
      const response = await (this.#o.fetch ?? fetch)(row.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'ocr-desk-signature': sign(row.secret, t, body), 'ocr-desk-delivery': String(row.id) },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await response.body?.cancel();
      if (!response.ok) error = `answered ${response.status}`;
    } catch (e) {
      error = (e as Error).name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS / 1000} s` : `could not be reached (${(e as Error).message})`;
    }
    if (this.#closed) return;
    const attempts = row.attempts + 1;
    if (error === undefined) {
      store.sql("UPDATE webhooks SET state = 'delivered', attempts = ?, last_error = NULL WHERE id = ?").run(attempts, id);
      this.#o.log?.('info', 'webhook delivered', { webhook: id, job: row.job_id, attempts });
      return;
    }
    const gaveUp = attempts >= MAX_ATTEMPTS;
    const delay = Math.min(600_000, (this.#o.baseDelayMs ?? 2000) * 2 ** (attempts - 1));
    store.sql('UPDATE webhooks SET state = ?, attempts = ?, next_at = ?, last_error = ? WHERE id = ?').run(gaveUp ? 'failed' : 'due', attempts, gaveUp ? null : Date.now() + delay, error, id);
    this.#o.log?.('warn', gaveUp ? 'webhook failed for good' : 'webhook failed, will retry', { webhook: id, job: row.job_id, attempts, error });
    if (gaveUp) store.audit('webhook-failed', row.job_id, null, `${new URL(row.url).origin}: ${error} after ${attempts} attempt(s)`);
    else this.#schedule(id, delay);
  }
}
