/**
 * A document's output files: rendered to bytes first (so their sha256 can be recorded before anything is written),
 * then written atomically (temporary name, flush, rename). Writing is idempotent: a file that already holds the
 * expected bytes is left alone, so completing a document again after a crash changes nothing.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { InvalidOptionError, OcrDeskError } from '../../common/errors.ts';
import { exportDocument, FORMAT_EXTENSIONS, TEXT_FORMATS, type TextFormat } from '../../common/export/index.ts';
import type { OcrDocument } from '../../common/result.ts';
import { writeFileAtomic } from '../../node/atomic-write.ts';

/** Formats the queue writes: every text export (the searchable PDF, which needs the source file, is not one yet). */
export const QUEUE_FORMATS: readonly string[] = TEXT_FORMATS;

export interface RenderedOutput {
  readonly format: string;
  readonly path: string;
  readonly data: string | Uint8Array;
  readonly sha256: string;
}

export const sha256Of = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

export function render(format: string, doc: OcrDocument): string {
  if (!QUEUE_FORMATS.includes(format)) throw new InvalidOptionError(`Expected an output format from ${QUEUE_FORMATS.join(', ')}, got \`${format}\``);
  return exportDocument(doc, format as TextFormat);
}

/** Each format's file: `<outputBase>.<extension>` (`.json`, `.txt`, `.hocr`, `.alto.xml`, `.md`, `.csv`). */
export function renderOutputs(doc: OcrDocument, outputBase: string, formats: readonly string[]): RenderedOutput[] {
  return formats.map((format) => {
    const data = render(format, doc);
    return { format, path: `${outputBase}.${FORMAT_EXTENSIONS[format as TextFormat]}`, data, sha256: sha256Of(data) };
  });
}

async function fileSha256(file: string): Promise<string | undefined> {
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
