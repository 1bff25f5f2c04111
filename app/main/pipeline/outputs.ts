/**
 * A document's output files: rendered to bytes first (so their sha256 can be recorded before anything is written),
 * then written as a set (every file to a temporary name, flushed, then all renamed), so a failed write leaves no
 * partial set. Writing is idempotent: a file that already holds the expected bytes is left alone, so completing a
 * document again after a crash changes nothing.
 *
 * The searchable PDF is rendered from the document and its source file. It is the same bytes every time for the
 * same document and source (its only date, in PDF/A metadata, is the document's `createdAt`), so a restart can
 * render it again and check it against the recorded sha256.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { OutputWriteError } from '../../common/errors.ts';
import { exportDocument } from '../../common/export/index.ts';
import { FORMAT_EXTENSIONS, type OutputFormat, type PdfMode } from '../../common/job-settings.ts';
import type { OcrDocument } from '../../common/result.ts';
import { writeFilesAtomic } from '../../node/atomic-write.ts';
import type { PageRenderer } from '../../node/pdf/rasterize-page.ts';
import { searchablePdf } from './pdf-pages.ts';

/** What rendering needs besides the document: the searchable PDF is built from the source file. */
export interface RenderContext {
  readonly source: string;
  readonly pdfMode: PdfMode;
  readonly pdfa: boolean;
  /** Renders a source page as OCR saw it (pages of the searchable PDF that are replaced by their image). */
  readonly renderPage?: PageRenderer | undefined;
}

export interface RenderedOutput {
  readonly format: OutputFormat;
  readonly path: string;
  readonly data: string | Uint8Array;
  readonly sha256: string;
}

export const sha256Of = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** One format of a document, as bytes (the searchable PDF needs the source file, named in the context). */
export async function renderFormat(doc: OcrDocument, format: OutputFormat, context: RenderContext): Promise<string | Uint8Array> {
  if (format === 'pdf') return searchablePdf(doc, context.source, { mode: context.pdfMode, pdfa: context.pdfa, date: new Date(doc.engine.createdAt), renderPage: context.renderPage });
  return exportDocument(doc, format);
}

/** Each format's file: `<outputBase>.<extension>` (`.json`, `.txt`, `.hocr`, `.alto.xml`, `.md`, `.csv`, `.pdf`). */
export async function renderOutputs(doc: OcrDocument, outputBase: string, formats: readonly OutputFormat[], context: RenderContext): Promise<RenderedOutput[]> {
  const outputs: RenderedOutput[] = [];
  for (const format of formats) {
    const data = await renderFormat(doc, format, context);
    outputs.push({ format, path: `${outputBase}.${FORMAT_EXTENSIONS[format]}`, data, sha256: sha256Of(data) });
  }
  return outputs;
}

/** The sha256 of a file's bytes, or undefined where it cannot be read (missing). */
export async function fileSha256(file: string): Promise<string | undefined> {
  try {
    return sha256Of(await readFile(file));
  } catch {
    return undefined;
  }
}

const errorCode = (error: unknown): string => (error as NodeJS.ErrnoException).code ?? (error as Error).message ?? String(error);

/** Writes the outputs that do not already hold their bytes, as one set; throws {@link OutputWriteError}. */
export async function writeOutputs(outputs: readonly RenderedOutput[]): Promise<void> {
  const todo: RenderedOutput[] = [];
  for (const o of outputs) if ((await fileSha256(o.path)) !== o.sha256) todo.push(o);
  try {
    await writeFilesAtomic(todo);
  } catch (error) {
    throw new OutputWriteError(outputFolderOf(todo, error), errorCode(error));
  }
}

/** The file (or its folder) a write error is about, for the message. */
function outputFolderOf(outputs: readonly RenderedOutput[], error: unknown): string {
  const p = (error as NodeJS.ErrnoException).path;
  if (typeof p === 'string') return p.replace(/\.tmp-\d+$/, '');
  return outputs[0] ? path.dirname(outputs[0].path) : 'the output folder';
}

/**
 * Checks up front that results can be written under `dir`: it is (or can be made) a folder, and a file can be
 * created in it. Throws {@link OutputWriteError} with the real cause (read-only disk, no permission, full disk).
 */
export async function checkOutputFolder(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    const info = await stat(dir);
    if (!info.isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR', path: dir });
    const probe = path.join(dir, `.ocr-desk-write-test-${process.pid}`);
    await writeFile(probe, 'ok');
    await rm(probe, { force: true });
  } catch (error) {
    throw new OutputWriteError(dir, errorCode(error));
  }
}

/** Removes temporary files (`<name>.tmp-<pid>`) a crash left next to these outputs. */
export async function removeStaleTemps(paths: readonly string[]): Promise<void> {
  for (const file of paths) {
    let names: string[];
    try {
      names = await readdir(path.dirname(file));
    } catch {
      continue;
    }
    const prefix = `${path.basename(file)}.tmp-`;
    for (const name of names) if (name.startsWith(prefix)) await rm(path.join(path.dirname(file), name), { force: true });
  }
}
