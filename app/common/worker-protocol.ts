/**
 * The one contract between the service and an OCR worker process (child process headless, utility process under
 * Electron). Messages are discriminated unions; each request carries a sequence number that its reply echoes. Both
 * sides validate what they receive with these schemas, and every type here is derived from them.
 *
 * Version history: 2 added `render` (a page image for the UI), per-request `maxPixels`, ids in pages, and moved
 * stage timings out of the page into the `page-done` reply. 3 added `region` (the result editor reads one region of
 * a page again). 4 added `gpu` to the worker's config and the `device` it runs on to `ready`.
 */
import { z } from 'zod';
import { serializedErrorSchema } from './errors.ts';
import { languageSchema, PDF_DPI_RANGE } from './job-settings.ts';
import { proposedLineSchema } from './edits.ts';
import { orientationSchema, pageSchema, pdfPageTextSchema, quadSchema } from './result.ts';

export const WORKER_PROTOCOL_VERSION = 4;

const seq = z.number().int().min(0);
const maxPixels = z.number().int().min(1);

/** Settings a worker needs to build its engine. */
export const workerConfigSchema = z.object({
  /** Folder holding the model pack's manifest.json. */
  modelDir: z.string().min(1),
  /** ONNX Runtime intra-op threads for this worker. */
  threads: z.number().int().min(1).max(256),
  /** Images with more pixels than this are refused before decoding, unless a request says otherwise. */
  maxPixels,
  /** Skip the sha256 check of model files (the service already verified them). */
  trustModels: z.boolean(),
  /** Folder for rewritten models, shared by all workers; none means no cache. */
  cacheDir: z.string().min(1).optional(),
  /** Run the models on the GPU (ONNX Runtime's WebGPU provider) where it works, else on the CPU. @default false */
  gpu: z.boolean().optional(),
});

/** Where a worker's models run, as it reports when ready. */
export const workerDeviceSchema = z.object({
  /** The ONNX Runtime execution provider the worker's sessions use. */
  provider: z.enum(['cpu', 'webgpu']),
  /** The GPU adapter's name, where the runtime tells it. */
  adapter: z.string().optional(),
  /** Why the worker runs on the CPU although the GPU was asked for: the provider's error, on one line. */
  fallback: z.string().optional(),
});

/** How a PDF page is handled in the worker. */
export const pdfPageOptionsSchema = z.object({
  /** Rendering resolution; lowered where the page would exceed `maxPixels`. @default 300 */
  dpi: z.number().min(1).max(PDF_DPI_RANGE.max * 2).optional(),
  password: z.string().optional(),
  /** false: do not render or OCR; return the page's own text (pages kept as they are in `skip`/`redo` mode). @default true */
  ocr: z.boolean().optional(),
  /** The probe's finding, echoed on the OCRed page's result for the searchable PDF (see the result's `pdf.text`). */
  text: pdfPageTextSchema.optional(),
  /** Why the page's text is unusable, echoed on its result likewise. */
  textProblem: z.string().optional(),
});

/** Per-page options. */
export const pageOptionsSchema = z.object({
  /** Longest side, in pixels, the page is scaled to for text detection. */
  detectionMaxSide: z.number().int().min(32).max(16384).optional(),
  /** Whether to detect and correct pages rotated by 90, 180 or 270 degrees. */
  autoRotate: z.boolean().optional(),
  /** Languages on the page; the recogniser outputs only their scripts. @default ['en'] */
  languages: z.array(languageSchema).min(1).readonly().optional(),
  /** Refuse larger images. @default the worker's `maxPixels` */
  maxPixels: maxPixels.optional(),
  /** For PDF inputs: how to turn the page into pixels, or not to OCR it at all. */
  pdf: pdfPageOptionsSchema.optional(),
});

export const pdfPageProbeSchema = z.object({
  /** Size in PDF points (1/72 inch), after the page's /Rotate. */
  width: z.number(),
  height: z.number(),
  /**
   * `ocr-layer`: all text is invisible (render mode 3), like an earlier OCR layer; `visible`: some text is drawn;
   * `unusable`: there is text, but it extracts as garbage (see `textProblem`), so the page is OCRed like one without.
   */
  text: pdfPageTextSchema,
  /** Why the text is unusable, for the person reading the summary. */
  textProblem: z.string().optional(),
});

export const probeResultSchema = z.object({
  format: z.string(),
  pages: z.number().int().min(1),
  width: z.number().int().min(0),
  height: z.number().int().min(0),
  bytes: z.number().int().min(0),
  /** PDF inputs only: one entry per page. */
  pdf: z.object({ pages: z.array(pdfPageProbeSchema).readonly() }).optional(),
});

export const stageTimingsSchema = z.object({
  decodeMs: z.number(),
  detectMs: z.number(),
  classifyMs: z.number(),
  recogniseMs: z.number(),
  layoutMs: z.number(),
});

/**
 * A page as a picture, JPEG: for people (`view`: the UI, its longer side at most `maxSide`), or to stand in for a
 * PDF page's content in the searchable PDF (`pdf-page`: the raster OCR saw, full size, higher quality).
 */
export const renderRequestSchema = z.object({
  /** Longer side of the image returned, in pixels (`view` only). */
  maxSide: z.number().int().min(16).max(16384),
  /** @default 'view' */
  purpose: z.enum(['view', 'pdf-page']).optional(),
  password: z.string().optional(),
  maxPixels: maxPixels.optional(),
  /** For PDFs: the resolution pages are OCRed at, so the picture's coordinates can be scaled to the result's. @default 300 */
  dpi: z.number().min(1).max(PDF_DPI_RANGE.max * 2).optional(),
});

export const renderedImageSchema = z.object({
  /** JPEG bytes. */
  data: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'bytes (a Uint8Array)'),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** Size of the page raster that OCR works on (the result's coordinate system). */
  pageWidth: z.number().int().positive(),
  pageHeight: z.number().int().positive(),
  /** PDF pages: the affine map from raster pixels to PDF user space (as in the result's `pdf.transform`). */
  transform: z.tuple([z.number(), z.number(), z.number(), z.number(), z.number(), z.number()]).readonly().optional(),
});

/** One region of a page read again (the result editor): the page is decoded or rendered as for OCR. */
export const regionRequestSchema = z.object({
  /** The region in pixels of the page raster (the result's coordinates), clockwise from its top-left. */
  quad: quadSchema,
  /** The clockwise turn that makes the region's text upright, as a page's `orientation`. */
  rotation: orientationSchema,
  languages: z.array(languageSchema).min(1).readonly().optional(),
  /** The page's size in the result: a raster of another size (a PDF rendered otherwise) has the quad scaled to it. */
  pageWidth: z.number().int().positive(),
  pageHeight: z.number().int().positive(),
  maxPixels: maxPixels.optional(),
  /** For PDFs: rendering resolution and password, as when the page was OCRed. */
  pdf: z.object({ dpi: z.number().min(1).max(PDF_DPI_RANGE.max * 2).optional(), password: z.string().optional() }).optional(),
});

export const toWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('init'), seq, config: workerConfigSchema }),
  z.object({ type: z.literal('probe'), seq, path: z.string().min(1), password: z.string().optional(), maxPixels: maxPixels.optional() }),
  z.object({ type: z.literal('page'), seq, path: z.string().min(1), page: z.number().int().min(0), options: pageOptionsSchema }),
  z.object({ type: z.literal('render'), seq, path: z.string().min(1), page: z.number().int().min(0), options: renderRequestSchema }),
  z.object({ type: z.literal('region'), seq, path: z.string().min(1), page: z.number().int().min(0), options: regionRequestSchema }),
  z.object({ type: z.literal('shutdown'), seq }),
]);

export const fromWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), seq, models: z.string(), device: workerDeviceSchema }),
  z.object({ type: z.literal('probed'), seq, result: probeResultSchema }),
  z.object({ type: z.literal('page-done'), seq, page: pageSchema, timings: stageTimingsSchema, rss: z.number() }),
  z.object({ type: z.literal('rendered'), seq, image: renderedImageSchema }),
  /** The region's lines in page coordinates, reading order. */
  z.object({ type: z.literal('region-done'), seq, lines: z.array(proposedLineSchema), elapsedMs: z.number() }),
  z.object({ type: z.literal('failed'), seq, error: serializedErrorSchema }),
]);

export type WorkerConfig = z.infer<typeof workerConfigSchema>;
export type WorkerDevice = z.infer<typeof workerDeviceSchema>;
export type PdfPageOptions = z.infer<typeof pdfPageOptionsSchema>;
export type PageOptions = z.infer<typeof pageOptionsSchema>;
export type { PdfPageText } from './result.ts';
export type PdfPageProbe = z.infer<typeof pdfPageProbeSchema>;
export type ProbeResult = z.infer<typeof probeResultSchema>;
export type StageTimings = z.infer<typeof stageTimingsSchema>;
export type RenderRequest = z.infer<typeof renderRequestSchema>;
export type RenderedImage = z.infer<typeof renderedImageSchema>;
export type RegionRequest = z.infer<typeof regionRequestSchema>;
export type ToWorker = z.infer<typeof toWorkerSchema>;
export type FromWorker = z.infer<typeof fromWorkerSchema>;
