/**
 * Tesseract 5 as the reference engine: English, default page segmentation, one thread per process
 * (OMP_THREAD_LIMIT=1), a fixed number of processes in parallel over the files.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** Tesseract's environment in every benchmark: one thread per process. */
export const TESSERACT_ENV = { ...process.env, OMP_THREAD_LIMIT: '1' };

export interface ScorerLine {
  text: string;
  box: [number, number, number, number];
}

/** The scorer's result shape, one page per image. */
export interface ScorerResult {
  pages: { lines: ScorerLine[] }[];
}

/**
 * Groups the word rows (level 5) of `tesseract ... tsv` into lines by (page, block, paragraph, line):
 * the line's text is its words joined by spaces, its box the union of the word boxes.
 */
export function tsvToResult(tsv: string): ScorerResult {
  const lines = new Map<string, ScorerLine>();
  for (const row of tsv.split('\n').slice(1)) {
    const cols = row.split('\t');
    const text = cols.slice(11).join('\t').trim();
    if (cols[0] !== '5' || !text) continue;
    const num = (i: number): number => Number(cols[i]);
    const key = cols.slice(1, 5).join('/');
    const [x1, y1, x2, y2] = [num(6), num(7), num(6) + num(8), num(7) + num(9)];
    const line = lines.get(key);
    if (!line) {
      lines.set(key, { text, box: [x1, y1, x2, y2] });
      continue;
    }
    line.text += ' ' + text;
    line.box = [Math.min(line.box[0], x1), Math.min(line.box[1], y1), Math.max(line.box[2], x2), Math.max(line.box[3], y2)];
  }
  return { pages: [{ lines: [...lines.values()] }] };
}

export async function tesseractVersion(): Promise<string> {
  const { stdout, stderr } = await run('tesseract', ['--version'], { env: TESSERACT_ENV });
  return (stdout || stderr).split('\n')[0]!.replace(/^tesseract\s+/, '');
}

export interface PoolFailure {
  path: string;
  message: string;
}

/** OCRs every image with `slots` tesseract processes at a time, writing <outDir>/<name without extension>.json. */
export async function runTesseractPool(images: readonly string[], outDir: string, slots: number): Promise<PoolFailure[]> {
  const failures: PoolFailure[] = [];
  let next = 0;
  const slot = async (): Promise<void> => {
    while (next < images.length) {
      const image = images[next++]!;
      try {
        const { stdout } = await run('tesseract', [image, 'stdout', 'tsv'], { env: TESSERACT_ENV, maxBuffer: 256 * 1024 * 1024 });
        const name = path.basename(image).replace(/\.[^.]+$/, '') + '.json';
        await writeFile(path.join(outDir, name), JSON.stringify(tsvToResult(stdout)));
      } catch (error) {
        failures.push({ path: image, message: error instanceof Error ? error.message : String(error) });
      }
    }
  };
  await Promise.all(Array.from({ length: slots }, slot));
  return failures;
}
