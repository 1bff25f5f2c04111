/** A perfect reading of a page's lines, for bench/ceiling.ts: each line's text replaced by the truth words inside it. */
import { quadBounds, type Quad } from '../app/common/result.ts';

export type Box = [number, number, number, number];
export interface TruthWord {
  text: string;
  box: Box;
}
export interface PredLine {
  text: string;
  /** OCR Desk's quad (four corners) or a truth box [x1, y1, x2, y2]. */
  box: Quad | Box;
}

const rect = (b: PredLine['box']): Box => (typeof b[0] === 'number' ? (b as Box) : quadBounds(b as Quad));
const overlap = (a: Box, b: Box): number => Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0])) * Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));

/** Each predicted line's text replaced by the truth words (in x order) it holds most of, and at least 30% of their box. */
export function perfectLines(truth: readonly TruthWord[], lines: readonly PredLine[]): { text: string; box: Box }[] {
  const boxes = lines.map((l) => rect(l.box));
  const owned: TruthWord[][] = boxes.map(() => []);
  for (const w of truth) {
    let best = -1;
    let most = 0.3 * (w.box[2] - w.box[0]) * (w.box[3] - w.box[1]);
    boxes.forEach((b, i) => {
      const o = overlap(b, w.box);
      if (o > most) [best, most] = [i, o];
    });
    if (best >= 0) owned[best]!.push(w);
  }
  return boxes.flatMap((box, i) => (owned[i]!.length ? [{ text: owned[i]!.sort((a, b) => a.box[0] - b.box[0]).map((w) => w.text).join(' '), box }] : []));
}
