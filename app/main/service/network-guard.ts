/**
 * What the service does differently for network callers (keys over the LAN), in one place: the paths they name
 * must lie inside the allowed roots, their jobs may carry webhooks (to allowed origins only), the queue and the
 * pages per document are capped, and old documents are purged on a timer. The local admin (the token, the CLI, the
 * app) passes every check but the page limit.
 */
import path from 'node:path';
import type { OperationInput } from '../../common/api/operations.ts';
import { BusyError, TooManyPagesError } from '../../common/errors.ts';
import type { Store } from '../store/store.ts';
import { currentCaller } from './caller.ts';
import { ClientPaths } from './client-paths.ts';
import { webhookSecret } from './network.ts';
import { DAY_MS } from './retention.ts';
import { Webhooks } from './webhooks.ts';

export interface NetworkOptions {
  /** Folders network clients may name. @default none */
  readonly allowedRoots?: readonly string[];
  /** Origins webhooks may go to. @default none */
  readonly webhookAllow?: readonly string[];
  /** Pages per document; a longer one fails with TooManyPagesError. @default no limit */
  readonly maxPages?: number;
  /** Pages waiting beyond which network callers' new jobs are refused with BusyError. @default no limit */
  readonly maxQueuePages?: number;
  /** Documents that ended more than this many days ago are deleted, at start and hourly. @default 0 (kept) */
  readonly retentionDays?: number;
  /** Back-off of the first webhook retry. @default 2000 */
  readonly webhookRetryMs?: number;
  readonly log?: (level: 'info' | 'warn', message: string, fields: Record<string, unknown>) => void;
}

export interface Webhook {
  readonly url: string;
  readonly secret: string;
}

export class NetworkGuard {
  readonly options: NetworkOptions;
  readonly #store: Store;
  readonly #paths: ClientPaths;
  readonly #webhooks: Webhooks;
  #retention: NodeJS.Timeout | undefined;

  constructor(store: Store, options: NetworkOptions, summary: (jobId: number) => unknown) {
    this.options = options;
    this.#store = store;
    this.#paths = new ClientPaths(options.allowedRoots ?? []);
    this.#webhooks = new Webhooks({
      store,
      allow: options.webhookAllow ?? [],
      summary,
      ...(options.webhookRetryMs === undefined ? {} : { baseDelayMs: options.webhookRetryMs }),
      ...(options.log ? { log: options.log } : {}),
    });
  }

  /** Throws ForbiddenError unless the caller may name these paths. */
  checkPaths(paths: readonly (string | undefined)[], base?: string): Promise<void> {
    return this.#paths.check(paths, base);
  }

  /** A job's inputs and output folder; relative paths of a network caller are resolved in the first allowed root. */
  async checkJob(input: OperationInput<'addJob'>): Promise<OperationInput<'addJob'>> {
    if (currentCaller().localAdmin) return input;
    const baseDir = input.baseDir ?? this.#paths.roots[0];
    await this.#paths.check([baseDir, ...input.inputs, input.outputDir], baseDir);
    return { ...input, ...(baseDir === undefined ? {} : { baseDir }) };
  }

  /** Throws ForbiddenError unless webhooks may go to `url`. */
  checkWebhook(url: string): void {
    this.#webhooks.check(url);
  }

  /** The webhook a new job reports to (given, else the caller key's), checked against the allowed origins. */
  webhookFor(url: string | undefined): Webhook | undefined {
    const caller = currentCaller();
    const target = url ?? caller.webhook?.url ?? undefined;
    if (target === undefined || target === null) return undefined;
    this.#webhooks.check(target);
    return { url: target, secret: caller.webhook?.secret ?? webhookSecret(this.#store) };
  }

  register(jobId: number, webhook: Webhook | undefined): void {
    if (webhook) this.#webhooks.register(jobId, webhook.url, webhook.secret, currentCaller().keyId);
  }

  jobEnded(jobId: number): void {
    this.#webhooks.jobEnded(jobId);
  }

  /** Refuses a network caller's new work while the queue holds `waiting` pages or more (BusyError: 503, Retry-After). */
  checkQueueRoom(waiting: number, pagesPerSecond: number): void {
    const max = this.options.maxQueuePages;
    if (max === undefined || currentCaller().localAdmin || waiting < max) return;
    const retryAfter = Math.max(1, Math.min(120, Math.round(pagesPerSecond > 0 ? (waiting - max + 1) / pagesPerSecond : 5)));
    throw new BusyError(`The queue holds ${waiting} pages (at most ${max}); try again shortly.`, retryAfter);
  }

  /** Throws TooManyPagesError for a document over the page limit. */
  checkPages(file: string, pages: number): void {
    const max = this.options.maxPages;
    if (max !== undefined && pages > max) throw new TooManyPagesError(path.basename(file), pages, max);
  }

  /** Runs `purge(days)` now and hourly when a retention is set. */
  startRetention(purge: (days: number) => Promise<unknown>, onError: (error: Error) => void): void {
    const days = this.options.retentionDays ?? 0;
    if (days <= 0) return;
    const run = () => void purge(days).catch(onError);
    run();
    this.#retention = setInterval(run, Math.min(DAY_MS / 24, days * DAY_MS));
    this.#retention.unref();
  }

  close(): void {
    clearInterval(this.#retention);
    this.#webhooks.close();
  }
}
