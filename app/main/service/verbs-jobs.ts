/** The service's job verbs: add files, folders or uploads as a job; list, pause, resume, cancel, retry, reorder. */
import type { OperationOutput } from '../../common/api/operations.ts';
import type { JobSettings } from '../../common/job-settings.ts';
import { currentCaller } from './caller.ts';
import type { ServiceContext, Verbs } from './context.ts';
import { addUploadJob, INTERACTIVE_PRIORITY, planJob, saveUploads } from './jobs.ts';
import { documentSummary, jobSummary, listJobs } from './views.ts';

type JobVerb =
  | 'addJob'
  | 'uploadFiles'
  | 'listJobs'
  | 'getJob'
  | 'pauseJob'
  | 'resumeJob'
  | 'cancelJob'
  | 'retryJob'
  | 'setJobPriority'
  | 'retryFailed'
  | 'pauseQueue'
  | 'resumeQueue'
  | 'getProgress';

export interface UploadedFiles {
  readonly files: readonly { path: string; name: string }[];
  readonly settings: JobSettings;
  readonly priority?: number | undefined;
  readonly idempotencyKey?: string | undefined;
  readonly label?: string | undefined;
  readonly webhookUrl?: string | undefined;
}

/** Adds a job for files already saved in an upload folder (the HTTP adapter streams them there). */
export function addUploaded(ctx: ServiceContext, u: UploadedFiles): OperationOutput<'uploadFiles'> {
  const earlier = u.idempotencyKey === undefined ? undefined : ctx.store.jobByIdempotencyKey(u.idempotencyKey);
  if (earlier) return { jobId: earlier.id, resumed: true, documents: ctx.store.documents(earlier.id).length, skipped: [], failures: [] };
  const webhook = ctx.network.webhookFor(u.webhookUrl);
  ctx.checkQueueRoom();
  const jobId = addUploadJob(ctx.store, u.files, u.settings, u.priority ?? INTERACTIVE_PRIORITY, u.idempotencyKey, u.label);
  ctx.network.register(jobId, webhook);
  ctx.queue.adopt(jobId);
  ctx.emitJob(jobId);
  return { jobId, resumed: false, documents: u.files.length, skipped: [], failures: [] };
}

export const jobVerbs: Verbs<JobVerb> = {
  async addJob(ctx, raw) {
    const input = await ctx.network.checkJob(raw);
    const settings = ctx.jobSettings(input.settings);
    const webhook = ctx.network.webhookFor(input.webhookUrl);
    ctx.checkQueueRoom();
    const plan = await planJob(input, settings);
    // Links inside an allowed folder may point out of it: every file found must be inside too.
    if (!currentCaller().localAdmin) await ctx.network.checkPaths(plan.documents.map((d) => d.path));
    const info = { skipped: plan.skipped, failures: plan.failures };
    if (input.resume) {
      const existing = ctx.store.resumableJob(plan.resumeKey);
      if (existing) {
        if (existing.state === 'paused') ctx.queue.resume(existing.id);
        ctx.queue.adopt(existing.id);
        ctx.emitJob(existing.id);
        return { jobId: existing.id, resumed: true, documents: ctx.store.documents(existing.id).length, ...info };
      }
    }
    const { jobId } = ctx.store.addJob('interactive', input.priority ?? INTERACTIVE_PRIORITY, JSON.stringify(settings), plan.documents, {
      label: plan.label,
      outputDir: plan.outputDir,
      resumeKey: plan.resumeKey,
      force: input.force ?? false,
    });
    ctx.network.register(jobId, webhook);
    ctx.queue.adopt(jobId);
    // Nothing to read (a folder of no images): the job is over as soon as it exists.
    if (plan.documents.length === 0) ctx.queue.settle(jobId);
    ctx.emitJob(jobId);
    return { jobId, resumed: false, documents: plan.documents.length, ...info };
  },

  async uploadFiles(ctx, input) {
    const settings = ctx.jobSettings(input.settings);
    const earlier = input.idempotencyKey === undefined ? undefined : ctx.store.jobByIdempotencyKey(input.idempotencyKey);
    if (earlier) return { jobId: earlier.id, resumed: true, documents: ctx.store.documents(earlier.id).length, skipped: [], failures: [] };
    ctx.network.webhookFor(input.webhookUrl);
    const saved = await saveUploads(ctx.dataDir, input.files);
    return addUploaded(ctx, { files: saved.files, settings, priority: input.priority, idempotencyKey: input.idempotencyKey, label: input.label, webhookUrl: input.webhookUrl });
  },

  async listJobs(ctx, input) {
    const { rows, total } = listJobs(ctx.store, input.state, input.limit ?? 100, input.offset ?? 0);
    return { jobs: rows.map((j) => jobSummary(ctx.store, j)), total };
  },

  async getJob(ctx, { jobId }) {
    return { ...jobSummary(ctx.store, ctx.job(jobId)), documentList: ctx.store.documents(jobId).map((d) => documentSummary(ctx.store, d)) };
  },

  async pauseJob(ctx, { jobId }) {
    await ctx.queue.pause(ctx.job(jobId).id);
    return jobSummary(ctx.store, ctx.job(jobId));
  },

  async resumeJob(ctx, { jobId }) {
    ctx.queue.resume(ctx.job(jobId).id);
    return jobSummary(ctx.store, ctx.job(jobId));
  },

  async cancelJob(ctx, { jobId }) {
    await ctx.queue.cancel(ctx.job(jobId).id);
    return jobSummary(ctx.store, ctx.job(jobId));
  },

  async retryJob(ctx, { jobId }) {
    ctx.queue.retry(ctx.job(jobId).id);
    ctx.queue.adopt(jobId);
    return jobSummary(ctx.store, ctx.job(jobId));
  },

  async setJobPriority(ctx, { jobId, priority }) {
    ctx.job(jobId);
    ctx.store.setJobPriority(jobId, priority);
    ctx.store.audit('job-priority', jobId, null, String(priority));
    ctx.emitJob(jobId);
    ctx.queue.poke();
    return jobSummary(ctx.store, ctx.job(jobId));
  },

  async retryFailed(ctx) {
    const failed = ctx.store.sql("SELECT id FROM documents WHERE state = 'failed'").all() as unknown as { id: number }[];
    ctx.queue.retryDocuments(failed.map((d) => d.id));
    return { documents: failed.length };
  },

  async pauseQueue(ctx) {
    await ctx.queue.pause();
    ctx.progress();
    return ctx.progressView();
  },

  async resumeQueue(ctx) {
    ctx.queue.resume();
    ctx.progress();
    return ctx.progressView();
  },

  async getProgress(ctx) {
    return ctx.progressView();
  },
};
