/**
 * What the result editor's operations take and return (see operations.ts): page versions, region proposals,
 * rewritten outputs and the review queue.
 */
import { z } from 'zod';
import { editSchema, proposedLineSchema } from '../edits.ts';
import { languageSchema } from '../job-settings.ts';
import { orientationSchema, pageSchema, quadSchema } from '../result.ts';
import { idSchema, outputFileSchema } from './resources.ts';

const isoTime = z.string();
const version = z.number().int().min(0).max(1_000_000);
/** Who made a change: the API caller's name; the service's OS user when none is given. */
const author = z.string().trim().min(1).max(200);

/** Words under this confidence are "low" unless a person chooses another threshold. */
export const DEFAULT_REVIEW_THRESHOLD = 0.85;

export const PAGE_VERSION_KINDS = ['ocr', 'edit', 'revert'] as const;

export const pageVersionSchema = z.object({
  /** 0 is the page as OCR read it, kept for good; each saved batch of edits (or revert) adds one. */
  version,
  kind: z.enum(PAGE_VERSION_KINDS),
  /** null for the OCR's version. */
  author: z.string().nullable(),
  createdAt: isoTime,
  /** What the edits of this version did, for people ("w12 → \"TOTAL\""); a revert says which version it restored. */
  changes: z.array(z.string()),
});

export const pageHistorySchema = z.object({
  /** 0-based page index. */
  page: z.number().int().min(0),
  /** The current version (0: never edited). */
  version,
  /** Oldest first; empty for a page never edited (its version 0 is the stored result). */
  versions: z.array(pageVersionSchema),
});

export const documentVersionsSchema = z.object({
  documentId: idSchema,
  /** Whether any page differs from what OCR read. */
  edited: z.boolean(),
  pages: z.array(pageHistorySchema),
});

export const editPageInputSchema = z.object({
  documentId: idSchema,
  page: z.number().int().min(0).max(1_000_000),
  /** The version the edits were made on; when the page has moved on since, nothing is applied (edit-conflict, 409). */
  baseVersion: version,
  /** Applied in order, all or none. */
  edits: z.array(editSchema).min(1).max(2000),
  author: author.optional(),
});

export const savedPageSchema = z.object({
  /** The page's new current version. */
  version,
  page: pageSchema,
});

export const recogniseRegionInputSchema = z.object({
  documentId: idSchema,
  page: z.number().int().min(0).max(1_000_000),
  /** The region in page pixels (the result's coordinates), clockwise from its top-left. */
  quad: quadSchema,
  /**
   * The clockwise turn (0, 90, 180, 270) that makes the region's text upright, as a page's `orientation`: text
   * reading downwards (turned 90° clockwise) needs 270. @default 0
   */
  rotation: orientationSchema.optional(),
  /** @default the document's job languages */
  languages: z.array(languageSchema).min(1).optional(),
});

export const regionProposalSchema = z.object({
  /** The lines found, in reading order and page coordinates; nothing is stored until an edit applies them. */
  lines: z.array(proposedLineSchema),
  /** Worker time, decoding the page included. */
  elapsedMs: z.number().min(0),
});

const outputFile = outputFileSchema;

export const rewrittenOutputsSchema = z.object({
  /** Files written again from the current (edited) result, recorded with their new sha256. */
  written: z.array(outputFile),
  /** Files that already held the current result. */
  unchanged: z.array(outputFile),
  /** Files left alone, and why (changed by someone since OCR Desk wrote them; pass `force` to overwrite). */
  skipped: z.array(outputFile.extend({ reason: z.string() })),
});

export const reviewItemSchema = z.object({
  documentId: idSchema,
  jobId: idSchema,
  name: z.string(),
  path: z.string(),
  pages: z.number().int().min(0),
  words: z.number().int().min(0),
  /** Words under the threshold. */
  lowWords: z.number().int().min(0),
  lowestConfidence: z.number().min(0).max(1),
  /** Pages edited since OCR. */
  editedPages: z.number().int().min(0),
});

export const reviewQueueSchema = z.object({
  threshold: z.number(),
  /** Worst first: most words under the threshold, then the lowest confidence. */
  documents: z.array(reviewItemSchema),
  /** Documents with any word under the threshold. */
  total: z.number().int().min(0),
});

export type PageVersion = z.infer<typeof pageVersionSchema>;
export type PageHistory = z.infer<typeof pageHistorySchema>;
export type DocumentVersions = z.infer<typeof documentVersionsSchema>;
export type SavedPage = z.infer<typeof savedPageSchema>;
export type RegionProposal = z.infer<typeof regionProposalSchema>;
export type RewrittenOutputs = z.infer<typeof rewrittenOutputsSchema>;
export type ReviewItem = z.infer<typeof reviewItemSchema>;
export type ReviewQueue = z.infer<typeof reviewQueueSchema>;
