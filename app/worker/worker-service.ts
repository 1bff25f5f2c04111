/**
 * What an OCR worker process does with each message from the service: `init` loads the model pack and builds the
 * engine (on the GPU when asked for and usable: start-engine.ts), `probe` reads an image header, `page` decodes and
 * recognises one page, `render` makes a picture of a page for people, `region` reads one region of a page again
 * (the result editor), `shutdown` releases the engine and exits. Requests are handled one at a time, in arrival
 * order, and each gets exactly one reply that echoes its `seq`. Every incoming message is validated; an invalid one
 * is answered with a `protocol` failure.
 */
import { ProtocolError, serializeError } from '../common/errors.ts';
import { assignIds, type OcrPage, type Quad } from '../common/result.ts';
import { toWorkerSchema, type FromWorker, type PdfPageOptions, type ToWorker, type WorkerConfig } from '../common/worker-protocol.ts';
import { loadModelPack } from '../node/model-pack.ts';
import { decodeImage, probeImage, readHead } from './decode.ts';
import type { OcrEngine } from './engine/engine.ts';
import type { RgbImage } from './engine/raster.ts';
import { initFault, injectFault, pageFault } from './faults.ts';
import type { ParentPort } from './parent-port.ts';
import { isPdfHead } from './pdf-head.ts';
import { toJpeg, toPdfPageJpeg } from './picture.ts';
import { startEngine } from './start-engine.ts';
import type * as PdfModule from './pdf.ts';

interface Loaded {
  readonly config: WorkerConfig;
  readonly engine: OcrEngine;
}

/** PDF support (pdf.js, pdf-lib, canvas) loads with the first PDF: it added ~0.15 s to every worker's start. */
let pdfModule: Promise<typeof PdfModule> | undefined;
const pdf = () => (pdfModule ??= import('./pdf.ts'));

/** Serves requests arriving on `port` until `shutdown` or until the parent goes away. */
export function startWorkerService(port: ParentPort, exit: (code: number) => void = (code) => process.exit(code)): void {
  let loaded: Loaded | undefined;
  let queue: Promise<void> = Promise.resolve();

  const handle = async (message: ToWorker): Promise<FromWorker | undefined> => {
    switch (message.type) {
      case 'init': {
        if (loaded) throw new ProtocolError('The worker was sent `init` twice.');
        if (initFault()) process.kill(process.pid, 'SIGSEGV');
        const pack = await loadModelPack(message.config.modelDir, { verify: !message.config.trustModels });
        const { engine, device } = await startEngine(pack, { threads: message.config.threads, cacheDir: message.config.cacheDir, gpu: message.config.gpu ?? false });
        loaded = { config: message.config, engine };
        return { type: 'ready', seq: message.seq, models: pack.manifest.id, device };
      }
      case 'probe': {
        const maxPixels = message.maxPixels ?? need(loaded, message.type).config.maxPixels;
        if (isPdfHead((await readHead(message.path)).bytes)) {
          return { type: 'probed', seq: message.seq, result: await (await pdf()).probePdf(message.path, message.password) };
        }
        return { type: 'probed', seq: message.seq, result: await probeImage(message.path, maxPixels) };
      }
      case 'page': {
        const { config, engine } = need(loaded, message.type);
        const fault = pageFault(message.path);
        if (fault) {
          injectFault(fault, message.seq, port);
          return undefined;
        }
        const started = performance.now();
        const options = message.options;
        const maxPixels = options.maxPixels ?? config.maxPixels;
        const isPdf = isPdfHead((await readHead(message.path)).bytes);
        if (isPdf && options.pdf?.ocr === false) {
          const page = await (await pdf()).pdfPageText(message.path, message.page, { ...options.pdf, maxPixels });
          const timings = { decodeMs: performance.now() - started, detectMs: 0, classifyMs: 0, recogniseMs: 0, layoutMs: 0 };
          return { type: 'page-done', seq: message.seq, page, timings, rss: process.memoryUsage.rss() };
        }
        const raster = await pageRaster(message.path, message.page, isPdf, options.pdf ?? {}, maxPixels);
        const decodeMs = performance.now() - started;
        const { timings, lines, ...result } = await engine.recognise(raster.image, {
          detectionMaxSide: options.detectionMaxSide,
          autoRotate: options.autoRotate,
          languages: options.languages,
        });
        const page: OcrPage = { index: message.page, ...result, lines: assignIds(lines), ...raster.extra };
        return { type: 'page-done', seq: message.seq, page, timings: { ...timings, decodeMs }, rss: process.memoryUsage.rss() };
      }
      case 'render': {
        const { config } = need(loaded, message.type);
        const o = message.options;
        const isPdf = isPdfHead((await readHead(message.path)).bytes);
        const raster = await pageRaster(message.path, message.page, isPdf, { dpi: o.dpi, password: o.password }, o.maxPixels ?? config.maxPixels);
        if (o.purpose !== 'pdf-page') return { type: 'rendered', seq: message.seq, image: await toJpeg(raster.image, o.maxSide) };
        const transform = raster.extra.pdf?.transform;
        return { type: 'rendered', seq: message.seq, image: { ...(await toPdfPageJpeg(raster.image)), ...(transform ? { transform } : {}) } };
      }
      case 'region': {
        const { config, engine } = need(loaded, message.type);
        const started = performance.now();
        const o = message.options;
        const isPdf = isPdfHead((await readHead(message.path)).bytes);
        const raster = await pageRaster(message.path, message.page, isPdf, o.pdf ?? {}, o.maxPixels ?? config.maxPixels);
        // The result's coordinates are the raster OCR saw; a raster of another size (rendered otherwise) is scaled to.
        const sx = raster.image.width / o.pageWidth;
        const sy = raster.image.height / o.pageHeight;
        const quad = o.quad.map(([x, y]) => [x * sx, y * sy] as const) as unknown as Quad;
        const found = await engine.recogniseRegion(raster.image, quad, { rotation: o.rotation, languages: o.languages });
        const back = (q: Quad): Quad => q.map(([x, y]) => [Math.round((x / sx) * 10) / 10, Math.round((y / sy) * 10) / 10] as const) as unknown as Quad;
        const lines = found.lines.map((l) => ({ ...l, box: back(l.box), words: l.words.map((w) => ({ ...w, box: back(w.box) })) }));
        return { type: 'region-done', seq: message.seq, lines, elapsedMs: performance.now() - started };
      }
      case 'shutdown': {
        if (pdfModule) await (await pdfModule).closeCached();
        await loaded?.engine.release().catch(() => undefined);
        exit(0);
        return undefined;
      }
    }
  };

  port.onMessage((raw) => {
    const parsed = toWorkerSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue ? `${issue.path.join('.') || '(message)'}: ${issue.message}` : 'unknown shape';
      port.send({
        type: 'failed',
        seq: seqOf(raw),
        error: serializeError(new ProtocolError(`The worker received an invalid message (${where}).`)),
      });
      return;
    }
    const message = parsed.data;
    queue = queue.then(async () => {
      try {
        const reply = await handle(message);
        if (reply) port.send(reply);
      } catch (error) {
        port.send({ type: 'failed', seq: message.seq, error: serializeError(error) });
      }
    });
  });
  // Orphaned (the main process died or closed the channel): nothing will ever ask for results again.
  port.onDisconnect(() => exit(0));
}

/** The page as OCR sees it: decoded (images) or rendered (PDFs), with what a PDF page adds to the result. */
async function pageRaster(file: string, index: number, isPdf: boolean, options: PdfPageOptions, maxPixels: number): Promise<{ image: RgbImage; extra: Pick<OcrPage, 'dpi' | 'pdf'> }> {
  if (!isPdf) return { image: await decodeImage(file, index, maxPixels), extra: {} };
  const rendered = await (await pdf()).renderPdfPage(file, index, { ...options, maxPixels });
  // The page's own text goes with it: the searchable PDF removes it under the OCR's, and the summary says why.
  const { text, textProblem } = options;
  return { image: rendered.image, extra: { dpi: rendered.dpi, pdf: { ...rendered.placement, ...(text ? { text } : {}), ...(textProblem ? { textProblem } : {}) } } };
}

function need(loaded: Loaded | undefined, type: string): Loaded {
  if (!loaded) throw new ProtocolError(`The worker was sent \`${type}\` before \`init\`.`);
  return loaded;
}

/** The request's `seq` where the message has a usable one, else 0 (which no request of the pool uses). */
function seqOf(raw: unknown): number {
  const seq = typeof raw === 'object' && raw !== null ? (raw as { seq?: unknown }).seq : undefined;
  return typeof seq === 'number' && Number.isInteger(seq) && seq >= 0 ? seq : 0;
}

