/**
 * One region of a page read again: the result editor's re-OCR of a box a person drew, to catch text the detector
 * missed or misread, also text turned by 90, 180 or 270 degrees. The engine's own stages do the work:
 *
 * 1. the region is cut out upright (the perspective crop of crop.ts, at the page's resolution, at most
 *    {@link MAX_SIDE} pixels), turned back by the rotation given, and framed with a white margin;
 * 2. text is detected inside it, so a region holding several lines gives several lines; where nothing is detected
 *    (a tight box around one word leaves the detector no margin to work with) the whole region is one line;
 * 3. each line is cropped and recognised as on a page, and its words and boxes mapped back to page coordinates.
 *
 * Lines come back in reading order, whatever their confidence: a person asked for them, and decides.
 */
import { DEFAULT_LANGUAGES, type Language } from '../../common/languages.ts';
import type { PageOrientation, Point, Quad, RecognisedLine } from '../../common/result.ts';
import type { ModelPack } from '../../node/model-pack.ts';
import { cropLine, cropToPage, readingQuad, type LineCrop } from './crop.ts';
import type { CtcChar } from './ctc.ts';
import { quadSize, rotateQuadOrder } from './geometry.ts';
import { readingOrder } from './layout.ts';
import type { Normalisation, RgbImage } from './raster.ts';
import { recognise, type RecogniseOptions } from './recognise.ts';
import type { InferenceSeam } from './session.ts';

/** Longer side of the region as cut out: a whole page drawn as a region is read at detection resolution. */
const MAX_SIDE = 2048;
/** White margin around the region for detection (pixels, and at least a quarter of its height). */
const MARGIN = 16;
/** Regions smaller than this (pixels) hold no readable text. */
const MIN_SIDE = 4;

export interface RegionOptions {
  /** The clockwise turn that makes the region's text upright, as a page's `orientation` (a page scanned turned 90° clockwise needs 270). */
  readonly rotation: PageOrientation;
  readonly languages?: readonly Language[] | undefined;
}

/** What the engine lends: its model pack, its detection (at its own settings), recognisers, and its way of building a line. */
export interface RegionParts {
  readonly pack: ModelPack;
  /** Text boxes in an image, as the engine detects them on a page. */
  readonly detect: (image: RgbImage) => Promise<readonly Quad[]>;
  readonly recogniser: (languages: readonly Language[]) => Promise<{ readonly seam: InferenceSeam; readonly alphabet: readonly string[] }>;
  readonly buildLine: (crop: LineCrop, chars: readonly CtcChar[], frameWidth: number, toImage: (p: Point) => Point) => Omit<RecognisedLine, 'block'> | undefined;
  /** How the engine batches and pads crops (recognise.ts), its GPU shape buckets included. */
  readonly recognition: RecogniseOptions;
}

export interface RegionResult {
  readonly lines: readonly Omit<RecognisedLine, 'block'>[];
  readonly elapsedMs: number;
}

const norm = (input: { channels: 'RGB' | 'BGR'; scale: number; mean: number[]; std: number[] }): Normalisation => ({
  channels: input.channels,
  scale: input.scale,
  mean: [input.mean[0]!, input.mean[1]!, input.mean[2]!],
  std: [input.std[0]!, input.std[1]!, input.std[2]!],
});

/** `img` inside a white frame `margin` pixels wide. */
function framed(img: RgbImage, margin: number): RgbImage {
  const width = img.width + 2 * margin;
  const height = img.height + 2 * margin;
  const data = new Uint8Array(width * height * 3).fill(255);
  for (let y = 0; y < img.height; y++) data.set(img.data.subarray(y * img.width * 3, (y + 1) * img.width * 3), ((y + margin) * width + margin) * 3);
  return { data, width, height };
}

export async function recogniseRegion(parts: RegionParts, image: RgbImage, quad: Quad, options: RegionOptions): Promise<RegionResult> {
  const started = performance.now();
  const m = parts.pack.manifest.models;
  // The region's corners starting at the text's own top-left: text that needs turning by 270° to stand upright
  // (turned 90° clockwise, reading downwards) starts at the region's top-right corner, and so on.
  const upright = rotateQuadOrder(quad, (4 - options.rotation / 90) % 4);
  const { width: qw, height: qh } = quadSize(upright);
  if (qw < MIN_SIDE || qh < MIN_SIDE) return { lines: [], elapsedMs: performance.now() - started };
  const scale = Math.min(1, MAX_SIDE / Math.max(qw, qh));
  const region = cropLine(image, upright, Math.max(MIN_SIDE, Math.round(qh * scale)), Math.max(MIN_SIDE, Math.ceil(qw * scale) + 1));
  const regionToPage = cropToPage(region);
  const margin = Math.max(MARGIN, Math.round(region.image.height / 4));
  const work = framed(region.image, margin);
  const workToPage = (p: Point): Point => regionToPage(p[0] - margin, p[1] - margin);

  const boxes = await parts.detect(work);
  const whole: Quad = [[margin, margin], [margin + region.image.width, margin], [margin + region.image.width, margin + region.image.height], [margin, margin + region.image.height]];
  const quads = boxes.length > 0 ? boxes.map((b) => readingQuad(b)) : [whole];

  const rec = m.recognition.input;
  const crops = quads.map((q) => cropLine(work, q, rec.height, rec.maxWidth));
  const recogniser = await parts.recogniser(options.languages ?? DEFAULT_LANGUAGES);
  const read = await recognise(recogniser.seam, crops, norm(rec), recogniser.alphabet, parts.recognition);

  const found: { line: Omit<RecognisedLine, 'block'>; quad: Quad }[] = [];
  read.lines.forEach((r, i) => {
    const line = parts.buildLine(crops[i]!, r.chars, r.frameWidth, workToPage);
    if (line && line.text.trim() !== '') found.push({ line, quad: crops[i]!.quad });
  });
  // Reading order inside the region, in its upright frame.
  const rects = found.map(({ quad: q }) => {
    const xs = q.map((p) => p[0]);
    const ys = q.map((p) => p[1]);
    return { x1: Math.min(...xs), y1: Math.min(...ys), x2: Math.max(...xs), y2: Math.max(...ys) };
  });
  const order = readingOrder(rects).order;
  const lines = order.map((i) => {
    const line = found[i]!.line;
    return { text: line.text, confidence: line.confidence, box: line.box, words: line.words.map((w) => ({ text: w.text, confidence: w.confidence, box: w.box })) };
  });
  return { lines, elapsedMs: performance.now() - started };
}
