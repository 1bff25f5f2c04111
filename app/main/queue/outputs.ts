/**
 * A document's output files: rendered to bytes first (so their sha256 can be recorded before anything is written),
 * then written atomically (temporary name, flush, rename). Writing is idempotent: a file that already holds the
 * expected bytes is left alone, so completing a document again after a crash changes nothing.
 *
 * The searchable PDF is rendered from the document and its source file. It is the same bytes every time for the
 * same document and source (its only date, in PDF/A metadata, is the document's `createdAt`), so a restart can
 * render it again and check it against the recorded sha256.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { InvalidOptionError, OcrDeskError } from '../../common/errors.ts';
import { exportDocument, FORMAT_EXTENSIONS, TEXT_FORMATS, type TextFormat } from '../../common/export/index.ts';
import type { OcrDocument } from '../../common/result.ts';
import { writeFileAtomic } from '../../node/atomic-write.ts';
import type { PdfMode } from '../cli/options.ts';
import { searchablePdf } from '../pdf-pages.ts';

/** Formats the queue writes: every text export, and `pdf` (the searchable PDF, made from the source file). */
export const QUEUE_FORMATS: readonly string[] = [...TEXT_FORMATS, 'pdf'];

/** What rendering needs besides the document: the searchable PDF is built from the source file. */
export interface RenderContext {
  readonly source: string;
  readonly pdfMode: PdfMode;
}

export interface RenderedOutput {
  readonly format: string;
  readonly path: string;
  readonly data: string | Uint8Array;
  readonly sha256: string;
}

export const sha256Of = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** One text export (the searchable PDF needs the source file: see {@link renderOutputs}). */
export function render(format: string, doc: OcrDocument): string {
  if (!(TEXT_FORMATS as readonly string[]).includes(format)) throw new InvalidOptionError(`Expected a text format from ${TEXT_FORMATS.join(', ')}, got \`${format}\``);
  return exportDocument(doc, format as TextFormat);
}

/** Each format's file: `<outputBase>.<extension>` (`.json`, `.txt`, `.hocr`, `.alto.xml`, `.md`, `.csv`, `.pdf`). */
export async function renderOutputs(doc: OcrDocument, outputBase: string, formats: readonly string[], context: RenderContext): Promise<RenderedOutput[]> {
  const outputs: RenderedOutput[] = [];
  for (const format of formats) {
    const data = format === 'pdf' ? await searchablePdf(doc, context.source, { mode: context.pdfMode, date: new Date(doc.engine.createdAt) }) : render(format, doc);
    outputs.push({ format, path: `${outputBase}.${FORMAT_EXTENSIONS[format as TextFormat | 'pdf']}`, data, sha256: sha256Of(data) });
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

/** Writes each output unless the file already holds exactly its bytes. */
export async function writeOutputs(source: string, outputs: readonly RenderedOutput[]): Promise<void> {
  for (const o of outputs) {
    if ((await fileSha256(o.path)) === o.sha256) continue;
    try {
      await writeFileAtomic(o.path, o.data);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new OcrDeskError(`The results of ${source} could not be written to ${o.path} (${reason}). Check that the output folder is writable and the disk has space.`);
    }
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
