/**
 * Choosing the detection scale from the text on the page rather than from its pixel size. A first, coarse pass
 * (the page's longer side at the model's usual input size) shows how tall the page's text lines are; the page is
 * then detected at the scale that makes them `targetHeight` detection pixels tall, unless they already are between
 * `minHeight` and `maxHeight` (then the coarse pass is the answer and costs nothing more). A 150 dpi and a 600 dpi scan of
 * one page thus reach the detector with text of the same height; so do a receipt, a 2800-pixel-wide table of
 * 8-point figures and a 6000 × 8000 gazette page. Pure functions.
 */
import type { Quad } from '../../common/result.ts';
import { quadSize } from './geometry.ts';

export interface TextScaleParams {
  /**
   * Text line height, in detection pixels, that the scale is chosen to give: a detected box's shorter side
   * (DB boxes span ascenders to descenders).
   * @default 20
   */
  readonly targetHeight: number;
  /**
   * A pass whose median line height (detection pixels) is at least this is kept as it is, if not over
   * `maxHeight`: the detector reads such lines as well as at the target, and another pass would cost time.
   * @default 14
   */
  readonly minHeight: number;
  /** See `minHeight`. Lines taller than this (large print at the coarse scale) are detected again, smaller. @default 26 */
  readonly maxHeight: number;
  /** Largest scale used, on small images of small text (crops for recognition always come from the original). @default 2 */
  readonly maxScale: number;
  /** Fewer line boxes than this do not tell the text height: the page is looked at again, twice as large. @default 3 */
  readonly minLines: number;
  /**
   * Detection passes per page at most. An estimate made where the text is barely detectable (lines of a few pixels
   * merge into blocks) is rough, so a rescaled pass is checked in turn and may be followed by another.
   * @default 4
   */
  readonly maxPasses: number;
}

export const DEFAULT_TEXT_SCALE: TextScaleParams = { targetHeight: 20, minHeight: 14, maxHeight: 26, maxScale: 2, minLines: 3, maxPasses: 4 };

/**
 * A pass that found no box at all zooms in only below this scale: a page scaled to at most half its size may hide
 * small text entirely, while a blank page at a larger scale is just blank (and blank pages are common in batches
 * of duplex scans, where every extra pass is wasted).
 */
const ZOOM_EMPTY_BELOW = 0.5;

/**
 * Lines whose box is at least this many times longer than tall are measured; squarer boxes (a lone digit, a
 * checkbox) say little about which side is the height.
 */
const LINE_ASPECT = 2;

/**
 * The median text line height of `boxes`, in the boxes' pixels, over boxes that are clearly lines; undefined when
 * fewer than `minLines` are.
 */
export function lineHeight(boxes: readonly Quad[], minLines: number): number | undefined {
  const heights: number[] = [];
  for (const b of boxes) {
    const { width, height } = quadSize(b);
    const short = Math.min(width, height);
    if (short > 0 && Math.max(width, height) >= LINE_ASPECT * short) heights.push(short);
  }
  if (heights.length < Math.max(1, minLines)) return undefined;
  heights.sort((a, b) => a - b);
  return heights[heights.length >> 1];
}

/**
 * What to do after a pass: keep it, detect again at another scale, or look again at twice the scale because too
 * few lines were found (`zoom`).
 */
export type ScaleDecision = { readonly action: 'keep' } | { readonly action: 'rescale' | 'zoom'; readonly scale: number };

/** What earlier passes over the page showed. */
export interface PassHistory {
  /** Number of this pass, from 0. */
  readonly pass: number;
  /** The largest scale of an earlier pass that found too few lines to measure, or 0. */
  readonly blindBelow: number;
}

/**
 * What to do after a detection pass at `scale` found `boxes` (page pixels): keep it, detect again at another
 * scale, or look again at twice the scale because too few lines were found (`zoom`).
 */
export function decideScale(boxes: readonly Quad[], scale: number, history: PassHistory, params: TextScaleParams): ScaleDecision {
  if (history.pass + 1 >= params.maxPasses) return { action: 'keep' };
  const zoom = (): ScaleDecision => (scale >= 1 ? { action: 'keep' } : { action: 'zoom', scale: Math.min(1, scale * 2) });
  const h = lineHeight(boxes, params.minLines);
  if (h === undefined) {
    // Text too small to be found at this scale, or none at all: look closer, up to the original resolution.
    if (boxes.length === 0 && scale > ZOOM_EMPTY_BELOW) return { action: 'keep' };
    return zoom();
  }
  // Lines that first show after zooming in are a few pixels tall and run together into blocks that look like
  // large text (a 6000 × 8000 gazette page: 3-line blocks measured as one 58-pixel line). Look once more, closer.
  if (history.blindBelow > 0 && history.blindBelow * 2 >= scale * 0.99) return zoom();
  const inMap = h * scale;
  if (inMap >= params.minHeight && inMap <= params.maxHeight) return { action: 'keep' };
  const want = Math.min(params.maxScale, params.targetHeight / h);
  // Within a few percent of where we are: not worth another pass.
  if (Math.abs(Math.log(want / scale)) < 0.05) return { action: 'keep' };
  return { action: 'rescale', scale: want };
}
