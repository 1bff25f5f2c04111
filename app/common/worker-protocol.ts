/**
 * The one contract between the main process and an OCR worker process (child process headless, utility process
 * under Electron). Messages are readonly discriminated unions; each request carries a sequence number that its
 * reply echoes. Both sides validate what they receive with these schemas.
 */
import { z } from 'zod';
import { PDF_PAGE_TEXTS, pageSchema, type OcrPage, type PdfPageText } from './result.ts';
import type { ErrorKind, SerializedError } from './errors.ts';
import { SUPPORTED_LANGUAGES, type Language } from './languages.ts';

/** Settings a worker needs to build its engine. */
export interface WorkerConfig {
  /** Folder holding the model pack's manifest.json. */
  readonly modelDir: string;
  /** ONNX Runtime intra-op threads for this worker. */
  readonly threads: number;
  /** Images with more pixels than this are refused before decoding. */
  readonly maxPixels: number;
  /** Skip the sha256 check of model files (the main process already verified them). */
  readonly trustModels: boolean;
  /** Folder for rewritten models, shared by all workers; none means no cache. */
  readonly cacheDir?: string | undefined;
}

/** Per-page options. */
export interface PageOptions {
  /** Longest side, in pixels, the page is scaled to for text detection. */
  readonly detectionMaxSide?: number;
  /** Whether to detect and correct pages rotated by 90, 180 or 270 degrees. */
  readonly autoRotate?: boolean;
  /** Languages on the page; the recogniser outputs only their scripts. @default ['en'] */
  readonly languages?: readonly Language[];
  /** For PDF inputs: how to turn the page into pixels, or not to OCR it at all. */
  readonly pdf?: PdfPageOptions;
}

/** How a PDF page is handled in the worker. */
export interface PdfPageOptions {
  /** Rendering resolution; lowered where the page would exceed the worker's `maxPixels`. @default 300 */
  readonly dpi?: number;
  readonly password?: string;
  /** false: do not render or OCR; return the page's own text (pages kept as they are in `skip`/`redo` mode). @default true */
  readonly ocr?: boolean;
  /** The probe's finding, echoed on the OCRed page's result for the searchable PDF (see PdfPagePlacement.text). */
  readonly text?: PdfPageText;
  /** Why the page's text is unusable, echoed on its result likewise. */
  readonly textProblem?: string;
}

/** What a PDF page already holds, as far as text goes. */
export type { PdfPageText };

export interface PdfPageProbe {
  /** Size in PDF points (1/72 inch), after the page's /Rotate. */
  readonly width: number;
  readonly height: number;
  /**
   * `ocr-layer`: all text is invisible (render mode 3), like an earlier OCR layer; `visible`: some text is drawn;
   * `unusable`: there is text, but it extracts as garbage (see `textProblem`), so the page is OCRed like one without.
   */
  readonly text: PdfPageText;
  /** Why the text is unusable, for the person reading the summary. */
  readonly textProblem?: string;
}

export type ToWorker =
  | { readonly type: 'init'; readonly seq: number; readonly config: WorkerConfig }
  | { readonly type: 'probe'; readonly seq: number; readonly path: string; readonly password?: string }
  | { readonly type: 'page'; readonly seq: number; readonly path: string; readonly page: number; readonly options: PageOptions }
  | { readonly type: 'shutdown'; readonly seq: number };

export interface ProbeResult {
  readonly format: string;
  readonly pages: number;
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
  /** PDF inputs only: one entry per page. */
  readonly pdf?: { readonly pages: readonly PdfPageProbe[] };
}

export type FromWorker =
  | { readonly type: 'ready'; readonly seq: number; readonly models: string }
  | { readonly type: 'probed'; readonly seq: number; readonly result: ProbeResult }
  | { readonly type: 'page-done'; readonly seq: number; readonly page: OcrPage; readonly rss: number }
  | { readonly type: 'failed'; readonly seq: number; readonly error: SerializedError };

const errorKinds = [
  'invalid-option', 'input-not-found', 'input-unreadable', 'input-empty', 'unsupported-format', 'corrupt-image',
  'image-too-large', 'pdf-password', 'corrupt-pdf', 'pdf-output', 'symlink-loop', 'model-missing', 'model-corrupt', 'model-manifest', 'worker-crashed',
  'worker-timeout', 'worker-out-of-memory', 'cancelled', 'protocol', 'invalid-query', 'internal',
] as const satisfies readonly ErrorKind[];

const seq = z.number().int().min(0);
export const serializedErrorSchema = z.object({
  name: z.string(),
  message: z.string(),
  stack: z.string().optional(),
  kind: z.enum(errorKinds),
});

const pageOptionsSchema = z.object({
  detectionMaxSide: z.number().int().min(32).max(16384).optional(),
  autoRotate: z.boolean().optional(),
  languages: z.array(z.enum(SUPPORTED_LANGUAGES)).min(1).optional(),
  pdf: z
    .object({
      dpi: z.number().min(1).max(4800).optional(),
      password: z.string().optional(),
      ocr: z.boolean().optional(),
      text: z.enum(PDF_PAGE_TEXTS).optional(),
      textProblem: z.string().optional(),
    })
    .optional(),
});

export const toWorkerSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('init'),
    seq,
    config: z.object({
      modelDir: z.string().min(1),
      threads: z.number().int().min(1).max(256),
      maxPixels: z.number().int().min(1),
      trustModels: z.boolean(),
      cacheDir: z.string().min(1).optional(),
    }),
  }),
  z.object({ type: z.literal('probe'), seq, path: z.string().min(1), password: z.string().optional() }),
  z.object({ type: z.literal('page'), seq, path: z.string().min(1), page: z.number().int().min(0), options: pageOptionsSchema }),
  z.object({ type: z.literal('shutdown'), seq }),
]);

export const fromWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), seq, models: z.string() }),
  z.object({
    type: z.literal('probed'),
    seq,
    result: z.object({
      format: z.string(),
      pages: z.number().int().min(1),
      width: z.number().int().min(0),
      height: z.number().int().min(0),
      bytes: z.number().int().min(0),
      pdf: z
        .object({
          pages: z.array(z.object({ width: z.number(), height: z.number(), text: z.enum(PDF_PAGE_TEXTS), textProblem: z.string().optional() })).readonly(),
        })
        .optional(),
    }),
  }),
  z.object({ type: z.literal('page-done'), seq, page: pageSchema, rss: z.number() }),
  z.object({ type: z.literal('failed'), seq, error: serializedErrorSchema }),
]);
