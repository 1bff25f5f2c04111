/**
 * The engine's tunable parameters in one place, with their defaults and the environment variable that overrides
 * each (`OCR_DESK_<NAME>`, read by the worker process at start). Every default was chosen on all evaluation sets
 * at once (receipts, business documents, wide and dense pages, scanned forms, Chinese); none depends on which
 * kind of page is being read. BENCHMARKS.md and the README say how.
 */
import { InvalidOptionError } from '../../common/errors.ts';
import { DEFAULT_TEXT_SCALE, type TextScaleParams } from './text-scale.ts';
import { DEFAULT_WORD_SPLIT, type WordSplitParams } from './words.ts';
import { DEFAULT_LAYOUT, type LayoutParams } from './layout.ts';
import { DEFAULT_LOOKALIKES, type LookalikeParams } from './lookalikes.ts';
import { DEFAULT_LEADERS, type LeaderParams } from './leaders.ts';
import { DEFAULT_RULES, type RuleParams } from './rules.ts';
import { DEFAULT_SPELLING, type SpellingParams } from './spelling.ts';
import { MIN_ALTERNATIVE_PROB } from './ctc.ts';
import { DEFAULT_QUANTIZE } from './quantize-options.ts';
import { DEFAULT_MAX_COLUMNS, DEFAULT_TRAILING_PAD } from './recognise.ts';

export interface EngineParams {
  readonly textScale: TextScaleParams;
  /** Largest detection input side; larger scaled pages are detected in tiles (a multiple of 32). @default 1280 */
  readonly tileSize: number;
  /**
   * Most pixels in one detection input; larger scaled pages are detected in tiles. The model's working memory, which
   * ONNX Runtime keeps for the worker's life, grows with it: ~210 MB at 1280 × 1280, ~150 MB at 1024 × 1024.
   * @default 1152 × 1152 (a letter page's coarse pass, 1280 × 992, is still one run)
   */
  readonly tileArea: number;
  /** Overlap of neighbouring detection tiles, in detection pixels (a multiple of 32). @default 96 */
  readonly tileOverlap: number;
  /** Blank columns after each recognition batch's widest crop (recognise.ts trailingPad). @default 16 */
  readonly recTrailingPad: number;
  /** Most input columns in one recognition run on the CPU (recognise.ts maxColumns). @default 1280 */
  readonly recBatchColumns: number;
  readonly words: WordSplitParams;
  readonly layout: LayoutParams;
  readonly lookalikes: LookalikeParams;
  readonly leaders: LeaderParams;
  /** Ruled lines (underlines, cell borders): word gaps and underscores are judged with them painted out (rules.ts). */
  readonly rules: RuleParams;
  /** Words read as no word of the page's language corrected from the model's runners-up (spelling.ts). */
  readonly spelling: SpellingParams;
  /**
   * With `enabled`, the recogniser's pointwise convolutions with at least `minInputChannels` channels in run in int8
   * on the CPU, where the model pack has int8 ranges (graph-quantize.ts): a third less recognition time, 1.3× the
   * pages per second on receipts. Off by default: on receipts its CER is 0.0028 above float's (0.0499 against
   * 0.0471, word F1 0.871 against 0.879, with the recogniser's trailing padding) and it flips glyphs the model
   * barely reads (a faint 6 read as 8), and accuracy comes first.
   * @default { enabled: false, minInputChannels: 240 }
   */
  readonly int8: { readonly enabled: boolean; readonly minInputChannels: number };
}

export const DEFAULT_ENGINE_PARAMS: EngineParams = {
  textScale: DEFAULT_TEXT_SCALE,
  tileSize: 1280,
  tileArea: 1152 * 1152,
  tileOverlap: 96,
  recTrailingPad: DEFAULT_TRAILING_PAD,
  recBatchColumns: DEFAULT_MAX_COLUMNS,
  words: DEFAULT_WORD_SPLIT,
  layout: DEFAULT_LAYOUT,
  lookalikes: DEFAULT_LOOKALIKES,
  leaders: DEFAULT_LEADERS,
  rules: DEFAULT_RULES,
  spelling: DEFAULT_SPELLING,
  int8: { enabled: false, minInputChannels: DEFAULT_QUANTIZE.minInputChannels },
};

interface Setting {
  /** Environment variable. */
  readonly env: string;
  readonly min: number;
  readonly max: number;
  readonly integer?: boolean;
  /** Multiple the value must be of (model input sizes). */
  readonly multiple?: number;
  readonly set: (p: Mutable<EngineParams>, v: number) => void;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };

/** Every user-facing parameter: its variable, its valid range, and where it goes. */
export const ENGINE_SETTINGS: readonly Setting[] = [
  { env: 'OCR_DESK_DET_TEXT_HEIGHT', min: 4, max: 128, set: (p, v) => (p.textScale.targetHeight = v) },
  { env: 'OCR_DESK_DET_MIN_HEIGHT', min: 1, max: 256, set: (p, v) => (p.textScale.minHeight = v) },
  { env: 'OCR_DESK_DET_MAX_HEIGHT', min: 1, max: 512, set: (p, v) => (p.textScale.maxHeight = v) },
  { env: 'OCR_DESK_DET_MAX_SCALE', min: 0.1, max: 8, set: (p, v) => (p.textScale.maxScale = v) },
  { env: 'OCR_DESK_DET_MIN_LINES', min: 1, max: 1000, integer: true, set: (p, v) => (p.textScale.minLines = v) },
  { env: 'OCR_DESK_DET_MAX_PASSES', min: 1, max: 8, integer: true, set: (p, v) => (p.textScale.maxPasses = v) },
  { env: 'OCR_DESK_DET_TILE_SIZE', min: 256, max: 4096, integer: true, multiple: 32, set: (p, v) => (p.tileSize = v) },
  { env: 'OCR_DESK_DET_TILE_AREA', min: 65_536, max: 16_777_216, integer: true, set: (p, v) => (p.tileArea = v) },
  { env: 'OCR_DESK_DET_TILE_OVERLAP', min: 32, max: 1024, integer: true, multiple: 32, set: (p, v) => (p.tileOverlap = v) },
  { env: 'OCR_DESK_REC_TRAILING_PAD', min: 0, max: 320, integer: true, set: (p, v) => (p.recTrailingPad = v) },
  { env: 'OCR_DESK_REC_BATCH_COLUMNS', min: 1, max: 1_000_000, integer: true, set: (p, v) => (p.recBatchColumns = v) },
  { env: 'OCR_DESK_WORD_SPACE_FLOOR', min: 1e-9, max: 1, set: (p, v) => (p.words.spaceFloor = v) },
  { env: 'OCR_DESK_WORD_INK_WEIGHT', min: 0, max: 100, set: (p, v) => (p.words.inkWeight = v) },
  { env: 'OCR_DESK_WORD_FRAME_WEIGHT', min: 0, max: 100, set: (p, v) => (p.words.frameWeight = v) },
  { env: 'OCR_DESK_WORD_THRESHOLD', min: -10, max: 10, set: (p, v) => (p.words.threshold = v) },
  { env: 'OCR_DESK_WORD_NARROW_DISCOUNT', min: 0, max: 2, set: (p, v) => (p.words.narrowDiscount = v) },
  { env: 'OCR_DESK_WORD_MONO_REGULARITY', min: 0, max: 1.01, set: (p, v) => (p.words.monoRegularity = v) },
  { env: 'OCR_DESK_WORD_MONO_MIN_CHARS', min: 2, max: 1000, integer: true, set: (p, v) => (p.words.monoMinChars = v) },
  { env: 'OCR_DESK_LAYOUT_COLUMN_LINE_TO_GAP', min: 0, max: 100, set: (p, v) => (p.layout.columnLineToGap = v) },
  { env: 'OCR_DESK_LAYOUT_MIN_GUTTER', min: 0, max: 20, set: (p, v) => (p.layout.minGutter = v) },
  { env: 'OCR_DESK_LAYOUT_COLUMN_MIN_WIDTH', min: 0, max: 100, set: (p, v) => (p.layout.columnMinWidth = v) },
  { env: 'OCR_DESK_LAYOUT_PARAGRAPH_GAP', min: 0, max: 20, set: (p, v) => (p.layout.paragraphGap = v) },
  { env: 'OCR_DESK_LAYOUT_ROW_OFFSET', min: 0, max: 2, set: (p, v) => (p.layout.rowOffset = v) },
  { env: 'OCR_DESK_LAYOUT_ALIGN_TOLERANCE', min: 0, max: 5, set: (p, v) => (p.layout.alignTolerance = v) },
  { env: 'OCR_DESK_LOOKALIKE_MIN_NUMBERS', min: 0, max: 100, integer: true, set: (p, v) => (p.lookalikes.minNumbers = v) },
  { env: 'OCR_DESK_LEADER_MAX_DOT_SIZE', min: 0.01, max: 1, set: (p, v) => (p.leaders.maxDotSize = v) },
  { env: 'OCR_DESK_LEADER_MIN_DOTS', min: 1, max: 100, integer: true, set: (p, v) => (p.leaders.minDots = v) },
  { env: 'OCR_DESK_LEADER_SPACING_SPREAD', min: 0, max: 2, set: (p, v) => (p.leaders.maxSpacingSpread = v) },
  { env: 'OCR_DESK_LEADER_MIN_COVER', min: 0, max: 1, set: (p, v) => (p.leaders.minCover = v) },
  { env: 'OCR_DESK_LEADER_INK_CONTRAST', min: 1, max: 254, set: (p, v) => (p.leaders.inkContrast = v) },
  { env: 'OCR_DESK_RULE_MIN_RUN', min: 0, max: 100, set: (p, v) => (p.rules.minRunHeights = v) },
  { env: 'OCR_DESK_RULE_MAX_THICKNESS', min: 0.01, max: 1, set: (p, v) => (p.rules.maxThickness = v) },
  { env: 'OCR_DESK_RULE_INK_CONTRAST', min: 1, max: 254, set: (p, v) => (p.rules.inkContrast = v) },
  { env: 'OCR_DESK_LOOKALIKE_MIN_SHARE', min: 0, max: 1, set: (p, v) => (p.lookalikes.minShare = v) },
  { env: 'OCR_DESK_SPELLING', min: 0, max: 1, integer: true, set: (p, v) => (p.spelling.enabled = v === 1) },
  { env: 'OCR_DESK_SPELLING_MIN_LETTERS', min: 1, max: 100, integer: true, set: (p, v) => (p.spelling.minLetters = v) },
  { env: 'OCR_DESK_SPELLING_MAX_CHAR_PROB', min: 0, max: 1, set: (p, v) => (p.spelling.maxCharProb = v) },
  { env: 'OCR_DESK_SPELLING_MIN_ALT_PROB', min: MIN_ALTERNATIVE_PROB, max: 1, set: (p, v) => (p.spelling.minAltProb = v) },
  { env: 'OCR_DESK_SPELLING_MAX_CHANGES', min: 1, max: 4, integer: true, set: (p, v) => (p.spelling.maxChanges = v) },
  { env: 'OCR_DESK_SPELLING_JOIN_MIN_LETTERS', min: 1, max: 100, integer: true, set: (p, v) => (p.spelling.joinMinLetters = v) },
  { env: 'OCR_DESK_REC_INT8', min: 0, max: 1, integer: true, set: (p, v) => (p.int8.enabled = v === 1) },
  { env: 'OCR_DESK_REC_INT8_MIN_CHANNELS', min: 1, max: 4096, integer: true, set: (p, v) => (p.int8.minInputChannels = v) },
];

/**
 * The defaults with every `OCR_DESK_<NAME>` variable of {@link ENGINE_SETTINGS} that is set applied. A value that
 * is not a number in range throws an {@link InvalidOptionError} naming the variable.
 */
export function engineParamsFromEnv(env: Readonly<Record<string, string | undefined>>, base: EngineParams = DEFAULT_ENGINE_PARAMS): EngineParams {
  const params = structuredClone(base) as Mutable<EngineParams>;
  for (const s of ENGINE_SETTINGS) {
    const text = env[s.env];
    if (text === undefined || text.trim() === '') continue;
    const v = Number(text.trim());
    const kind = s.integer ? 'an integer' : 'a number';
    if (!Number.isFinite(v) || v < s.min || v > s.max || (s.integer && !Number.isInteger(v)) || (s.multiple && v % s.multiple !== 0)) {
      const of = s.multiple ? ` and a multiple of ${s.multiple}` : '';
      throw new InvalidOptionError(`Expected ${s.env} to be ${kind} between ${s.min} and ${s.max}${of}, got \`${text}\``);
    }
    s.set(params, v);
  }
  const ts = params.textScale;
  if (!(ts.minHeight <= ts.targetHeight && ts.targetHeight <= ts.maxHeight)) {
    throw new InvalidOptionError(`Expected OCR_DESK_DET_MIN_HEIGHT (${ts.minHeight}) ≤ OCR_DESK_DET_TEXT_HEIGHT (${ts.targetHeight}) ≤ OCR_DESK_DET_MAX_HEIGHT (${ts.maxHeight})`);
  }
  if (params.tileOverlap >= params.tileSize) {
    throw new InvalidOptionError(`Expected OCR_DESK_DET_TILE_OVERLAP (${params.tileOverlap}) to be smaller than OCR_DESK_DET_TILE_SIZE (${params.tileSize})`);
  }
  if (params.tileArea < (2 * params.tileOverlap) ** 2) {
    throw new InvalidOptionError(`Expected OCR_DESK_DET_TILE_AREA (${params.tileArea}) to be at least (2 × OCR_DESK_DET_TILE_OVERLAP)² = ${(2 * params.tileOverlap) ** 2}`);
  }
  return params;
}
