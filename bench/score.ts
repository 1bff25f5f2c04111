/** The shared scorer, /work/shared/eval/score.mjs, run as `--json`. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './ocr-desk.ts';

export const EVAL_DIR = path.resolve(REPO_ROOT, '../shared/eval');
const SCORER = path.join(EVAL_DIR, 'score.mjs');

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
