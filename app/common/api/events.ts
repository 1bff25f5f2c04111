/**
 * Events the service sends to every subscriber (the CLI's progress bar, the UI, SSE clients). Each carries `seq`,
 * increasing by one per event of a service run, so a client can tell whether it missed some (SSE `id`).
 */
import { z } from 'zod';
import { stageTimingsSchema } from '../worker-protocol.ts';
import { documentSummarySchema, hotFolderActivitySchema, hotFolderSchema, idSchema, jobSummarySchema, progressSchema, settingsViewSchema } from './resources.ts';

const seq = z.number().int().min(0);

export const serviceEventSchema = z.discriminatedUnion('type', [
  /** A job was added, or its state, counts or priority changed. */
  z.object({ type: z.literal('job'), seq, job: jobSummarySchema }),
  z.object({ type: z.literal('job-removed'), seq, jobId: idSchema }),
  /** A document changed state (started, done, failed, cancelled, queued again). */
  z.object({ type: z.literal('document'), seq, document: documentSummarySchema }),
  /** A page was recognised and stored. */
  z.object({
    type: z.literal('page'),
    seq,
    jobId: idSchema,
    documentId: idSchema,
    /** 0-based page index. */
    page: z.number().int().min(0),
    pageCount: z.number().int().min(1),
    /** Worker time per stage for this page. */
    timings: stageTimingsSchema,
  }),
  z.object({ type: z.literal('document-deleted'), seq, documentId: idSchema }),
  /** A page was saved from the result editor (or reverted): its new current version. */
  z.object({ type: z.literal('page-edited'), seq, documentId: idSchema, page: z.number().int().min(0), version: z.number().int().min(0), author: z.string() }),
  /** A hot folder was added or changed (settings, state, counts). */
  z.object({ type: z.literal('hot-folder'), seq, hotFolder: hotFolderSchema }),
  z.object({ type: z.literal('hot-folder-removed'), seq, hotFolderId: idSchema }),
  /** Something a hot folder did: took a file, finished or failed one, could not watch. */
  z.object({ type: z.literal('hot-folder-activity'), seq, hotFolderId: idSchema, activity: hotFolderActivitySchema }),
  /** Queue-wide progress, after every page and state change (at most a few per second). */
  z.object({ type: z.literal('progress'), seq, progress: progressSchema }),
  z.object({ type: z.literal('settings'), seq, settings: settingsViewSchema }),
]);

export type ServiceEvent = z.infer<typeof serviceEventSchema>;
export type ServiceEventType = ServiceEvent['type'];
/** An event before the hub numbers it. */
export type ServiceEventInput = ServiceEvent extends infer E ? (E extends ServiceEvent ? Omit<E, 'seq'> : never) : never;
