/** The shared scorer, /work/shared/eval/score.mjs, run as `--json`. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './ocr-desk.ts';

export const EVAL_DIR = path.resolve(REPO_ROOT, '../shared/eval');
const SCORER = path.join(EVAL_DIR, 'score.mjs');

/** Every set in ../shared/eval. `lang` is OCR Desk's --lang; Tesseract reads English (its only language installed). */
export const EVAL_SETS = [
  { name: 'sroie', dir: 'sroie-dev', ignoreCase: true, lang: 'en' },
  { name: 'docs', dir: 'docs-dev', ignoreCase: false, lang: 'en' },
  { name: 'docs-wide', dir: 'docs-wide-dev', ignoreCase: false, lang: 'en' },
  { name: 'funsd', dir: 'funsd-dev', ignoreCase: false, lang: 'en' },
  { name: 'zh', dir: 'zh-dev', ignoreCase: false, lang: 'en,zh' },
] as const;

/** How a folder of ../shared/eval is read and scored: as listed in {@link EVAL_SETS}, else English, case kept. */
export function evalSetOptions(dir: string): { ignoreCase: boolean; lang: string } {
  const set = EVAL_SETS.find((s) => s.dir === dir);
  return { ignoreCase: set?.ignoreCase ?? false, lang: set?.lang ?? 'en' };
}

export interface Scores {
  pages: number;
  missing: number;
  cer: number;
  wordF1: number;
  detF1: number;
}

export async function score(gtDir: string, predDir: string, ignoreCase: boolean): Promise<Scores> {
  const args = [SCORER, '--gt', gtDir, '--pred', predDir, '--json', ...(ignoreCase ? ['--ignore-case'] : [])];
  const { stdout } = await promisify(execFile)(process.execPath, args);
  const result = JSON.parse(stdout) as Scores;
  return { pages: result.pages, missing: result.missing, cer: result.cer, wordF1: result.wordF1, detF1: result.detF1 };
}
