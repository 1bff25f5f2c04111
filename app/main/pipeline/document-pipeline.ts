/**
 * The one document pipeline, for every job (batch, hot folder, upload, the app): probe → pages → OCR →
 * {@link OcrDocument} → exports, written atomically as a set.
 *
 * Exactly once, across crashes:
 * - the probe (page count, per-page PDF text) is stored, so a file is probed once;
 * - every recognised page is committed to the store as it arrives; after a crash only pages not yet stored are
 *   recognised again (a page in flight at the crash was never finished, so it is not done twice);
 * - a finished document records its result and each output's path and sha256 (state `writing`) before any file is
 *   written; the files are written as a set; then the document is marked `done` in one transaction with its search
 *   index entry and journal outcome. {@link DocumentPipeline.complete} finishes a `writing` document after a restart
 *   from the stored result: files that already hold the recorded bytes are kept, missing ones are rendered again,
 *   checked against the recorded sha256 and written, and leftover temporary files are removed;
 * - identical content with identical settings (same content key) reuses the stored result without OCR, unless the
 *   job says `force`.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { InputUnreadableError, OcrDeskError, PdfOutputError } from '../../common/errors.ts';
import type { JobSettings } from '../../common/job-settings.ts';
import { pageNotes } from '../../common/page-notes.ts';
import { documentText, parseDocument, parsePage, RESULT_VERSION, type OcrDocument, type OcrPage } from '../../common/result.ts';
import { probeResultSchema, type ProbeResult, type StageTimings } from '../../common/worker-protocol.ts';
import { sha256File } from '../../node/model-pack.ts';
import type { PageRecogniser } from '../pool/worker-pool.ts';
import { originalResultFor } from '../store/page-versions.ts';
import type { DocumentRow, Store } from '../store/store.ts';
import { contentKey, type EngineIdentity } from './content-key.ts';
import { fileSha256, removeStaleTemps, renderOutputs, writeOutputs, type RenderContext } from './outputs.ts';
import { pageOptionsFor, poolPageRenderer } from './pdf-pages.ts';

/** What a job tells the pipeline about its documents. */
export interface JobContext {
  readonly settings: JobSettings;
  /** Recognise again even where a stored result exists. */
  readonly force: boolean;
}

export interface PipelineOptions {
  readonly store: Store;
  readonly recogniser: PageRecogniser;
  /** The engine results are made with: part of the content key, recorded in every document. */
  readonly engine: () => EngineIdentity;
  /** Called after each page is stored. */
  readonly onPage?: (doc: DocumentRow, page: number, pageCount: number, timings: StageTimings) => void;
  /** @default Date.now */
  readonly now?: () => number;
}

export interface ProcessResult {
  /** The result came from an identical earlier document, without OCR. */
  readonly reused: boolean;
}

/** Pages × pixels: how much work a probed file is, for ordering a job largest first. */
export const workOf = (probe: ProbeResult): number => probe.pages * Math.max(1, probe.width * probe.height);

export class DocumentPipeline {
  readonly #o: PipelineOptions;
  readonly #now: () => number;

  constructor(options: PipelineOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
  }

  /** The document's probe: the stored one, or asked of a worker and stored. Throws the input's own error. */
  async probe(doc: DocumentRow, settings: JobSettings, signal?: AbortSignal): Promise<ProbeResult> {
    if (doc.probe !== null) return probeResultSchema.parse(JSON.parse(doc.probe));
    const probe = await this.#o.recogniser.probe(doc.source_path, { signal, password: settings.password, maxPixels: settings.maxPixels });
    this.#o.store.setProbe(doc.id, JSON.stringify(probe), probe.pages, workOf(probe));
    return probe;
  }

  /** Runs the whole pipeline for one document; the document ends `done` (or the error is thrown). */
  async process(doc: DocumentRow, job: JobContext, signal: AbortSignal): Promise<ProcessResult> {
    const store = this.#o.store;
    // 1. Content: hash (unless the hot folder already did), then reuse a stored result for the same content key.
    let sha256 = doc.sha256;
    let bytes = doc.bytes;
    try {
      if (sha256 === null || bytes === null) {
        bytes = (await stat(doc.source_path)).size;
        sha256 = await sha256File(doc.source_path);
      }
    } catch (error) {
      throw new InputUnreadableError(doc.source_path, (error as NodeJS.ErrnoException).code ?? String(error));
    }
    const engine = this.#o.engine();
    const key = contentKey(sha256, job.settings, engine);
    if (key !== doc.content_key) store.setDocumentContent(doc.id, sha256, bytes, key);
    const source = { path: doc.source_path, name: path.basename(doc.source_path), sha256, bytes };

    let result: OcrDocument;
    // The OCR's reading of identical content: another document's corrections stay that document's.
    const stored = job.force ? undefined : originalResultFor(store, key);
    const reused = stored !== undefined;
    if (stored !== undefined) {
      result = { ...parseDocument(stored), source };
    } else {
      const pages = await this.#recognise(doc, job.settings, signal);
      result = { version: RESULT_VERSION, source, engine: { models: engine.models, createdAt: new Date(this.#now()).toISOString() }, pages };
    }
    signal.throwIfAborted();

    // 2. Record the outputs, then write them as a set; 3. mark done.
    const outputs = doc.output_base === null ? [] : await renderOutputs(result, doc.output_base, job.settings.formats, this.#renderContext(doc, job.settings));
    signal.throwIfAborted();
    const notes = pageNotes(result.pages);
    store.beginWriting(doc.id, key, JSON.stringify(result), documentText(result), outputs.map(({ format, path: p, sha256: s }) => ({ format, path: p, sha256: s })), reused, notes.length > 0 ? JSON.stringify(notes) : null);
    await writeOutputs(outputs);
    store.finishDocument(doc.id);
    return { reused };
  }

  /**
   * Finishes a document caught between "outputs recorded" and "done" by a crash. The outputs recorded before
   * writing began: those already holding their recorded bytes are kept; the others are rendered again from the
   * stored result and must come out as recorded (a searchable PDF whose source changed since would not), else the
   * document fails rather than write something never recorded.
   */
  async complete(doc: DocumentRow, settings: JobSettings): Promise<void> {
    const store = this.#o.store;
    const stored = store.result(doc.id);
    if (stored === undefined) {
      store.setDocumentState(doc.id, 'queued');
      return;
    }
    const recorded = store.outputs(doc.id);
    await removeStaleTemps(recorded.map((o) => o.path));
    const missing = [];
    for (const o of recorded) if ((await fileSha256(o.path)) !== o.sha256) missing.push(o.format);
    const outputs = doc.output_base === null ? [] : await renderOutputs(parseDocument(stored), doc.output_base, missing as JobSettings['formats'], this.#renderContext(doc, settings));
    for (const o of outputs) {
      const want = recorded.find((r) => r.format === o.format);
      if (want?.path !== o.path || want.sha256 !== o.sha256) {
        const message = `The ${o.format} output of ${doc.source_path} cannot be made again byte for byte as it was recorded (${o.path}): its source changed since it was recognised. Retry the job to recognise it again.`;
        throw o.format === 'pdf' ? new PdfOutputError(message) : new OcrDeskError(message);
      }
    }
    await writeOutputs(outputs);
    store.finishDocument(doc.id);
    store.audit('document-recovered', doc.job_id, doc.id, 'outputs completed after a restart');
  }

  #renderContext(doc: DocumentRow, settings: JobSettings): RenderContext {
    return { source: doc.source_path, pdfMode: settings.pdfMode, pdfa: settings.pdfa, renderPage: poolPageRenderer(this.#o.recogniser, doc.source_path, settings.password) };
  }

  /**
   * Recognises the pages not yet stored, storing each as it arrives; returns all pages in order. The first failing
   * page fails the document and stops its other pages.
   */
  async #recognise(doc: DocumentRow, settings: JobSettings, signal: AbortSignal): Promise<OcrPage[]> {
    const store = this.#o.store;
    const have = store.pages(doc.id);
    const probe = await this.probe(doc, settings, signal);
    const count = probe.pages;
    const fileAbort = new AbortController();
    const both = AbortSignal.any([signal, fileAbort.signal]);
    return Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const saved = have.get(i);
        if (saved !== undefined) return parsePage(saved);
        try {
          const { page, timings } = await this.#o.recogniser.recognisePage(doc.source_path, i, pageOptionsFor(probe, i, settings), { signal: both });
          store.savePage(doc.id, i, JSON.stringify(page));
          this.#o.onPage?.(doc, i, count, timings);
          return page;
        } catch (error) {
          fileAbort.abort();
          throw error;
        }
      }),
    );
  }
}


