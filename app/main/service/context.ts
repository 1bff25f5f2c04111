/**
 * What the service's verbs work with: the parts the OcrService owns and the few things every verb shares (events,
 * the job settings of a new job, who is acting). The verb modules (verbs-*.ts) receive it; only the OcrService makes
 * it, so the parts stay in one owner's hands.
 */
import type { z } from 'zod';
import type { OperationName, OperationOutput, Operations } from '../../common/api/operations.ts';
import type { Progress, SettingsView } from '../../common/api/resources.ts';
import type { JobSettings, JobSettingsPatch } from '../../common/job-settings.ts';
import type { ModelPack } from '../../node/model-pack.ts';
import type { WorkerPool } from '../pool/worker-pool.ts';
import type { JobQueue } from '../queue/queue.ts';
import type { JobRow, Store } from '../store/store.ts';
import type { RecentError } from './diagnostics.ts';
import type { EventHub } from './events.ts';
import type { HotFolders } from './hot-folders.ts';
import type { NetworkGuard } from './network-guard.ts';
import type { OcrServiceOptions } from './options.ts';

export type ServiceSettings = Omit<SettingsView, 'dataDir'>;

export interface ServiceContext {
  readonly dataDir: string;
  readonly store: Store;
  readonly options: OcrServiceOptions;
  readonly events: EventHub;
  readonly queue: JobQueue;
  readonly hotFolders: HotFolders;
  readonly network: NetworkGuard;
  /** The recent errors that are not about a document (hot folders that cannot be watched, retention). */
  readonly errors: RecentError[];
  /** The worker pool now (settings may replace it). */
  pool(): WorkerPool;
  pack(): ModelPack;
  settings(): ServiceSettings;
  /** Takes new settings (and the model pack they name), starting a new pool when the workers' settings changed. */
  applySettings(next: ServiceSettings, pack: ModelPack): void;
  cacheDir(): string;
  /** A new job's settings: the service's job defaults with `patch` on top, validated. */
  jobSettings(patch: JobSettingsPatch | undefined): JobSettings;
  /** The job, or JobNotFoundError. */
  job(jobId: number): JobRow;
  /** Sends the job's summary to every subscriber (and a progress update). */
  emitJob(jobId: number): void;
  /** Sends a progress update (at most a few a second). */
  progress(): void;
  progressView(): Progress;
  /** Who is acting: an API key over the network, else the name given or the OS user. */
  author(given: string | undefined): string;
  /** Refuses a network caller's new work while the queue is full (BusyError: 503 with Retry-After). */
  checkQueueRoom(): void;
}

/** A verb's implementation: its input already validated with the contract's schema. */
export type Verb<N extends OperationName> = (ctx: ServiceContext, input: z.output<Operations[N]['input']>) => Promise<OperationOutput<N>>;

/** Implementations of some verbs; the OcrService checks that together they implement every one. */
export type Verbs<N extends OperationName> = { readonly [K in N]: Verb<K> };
