/**
 * The OCR engine: detect → orient → classify → recognise → layout, for one page raster. Holds the three ONNX
 * sessions of a model pack; one engine lives in each worker process.
 */
import type { OcrBlock, OcrPage, PageOrientation, Point, Quad, RecognisedLine as OcrLine } from '../../common/result.ts';
import type { StageTimings } from '../../common/worker-protocol.ts';
import { ModelManifestError, throwIfAborted } from '../../common/errors.ts';
import { readAlphabet, readInt8Ranges, type ModelPack } from '../../node/model-pack.ts';
import { classify, upsideDownVote } from './classify.ts';
import { buildLine } from './build-line.ts';
import { cropLine, readingQuad } from './crop.ts';
import { DEFAULT_LANGUAGES, SUPPORTED_LANGUAGES, type Language } from '../../common/languages.ts';
import { allowedClasses } from './charset.ts';
import { detect, fitScale, type DetectOptions, type DetectResult } from './detect.ts';
import { mostlyVertical, rotateQuadOrder } from './geometry.ts';
import { hull } from '../../common/edits/geometry.ts';
import { readingOrder, type Rect } from './layout.ts';
import { joinRow, shiftLeftEdge, withLeaders } from './lines.ts';
import { resolveLookalikes } from './lookalikes.ts';
import { rotateRaster, type Normalisation, type RgbImage } from './raster.ts';
import { checkPageLanguage } from './language-hint.ts';
import { recognise, type RecogniseOptions as RecogniseStageOptions } from './recognise.ts';
import { recogniseRegion, type RegionOptions, type RegionParts, type RegionResult } from './region.ts';
import { engineParamsFromEnv, type EngineParams } from './params.ts';
import { loadLexicon } from './lexicon.ts';
import { decideScale, lineHeight } from './text-scale.ts';
import { createOnnxSession, type ExecutionProvider, type InferenceSeam, type SessionOptions } from './session.ts';
import { checkBuckets, GPU_SHAPE_BUCKETS, type ShapeBuckets } from './shape-buckets.ts';

export interface EngineOptions extends SessionOptions {
  /** Detect and undo page rotation by 90/180/270 degrees. @default true */
  readonly autoRotate?: boolean;
  /** Tunable parameters. @default the defaults of params.ts with the process's OCR_DESK_* variables applied */
  readonly params?: EngineParams;
  /**
   * Input shapes padded up to a few buckets (shape-buckets.ts), so that a GPU compiles a few shapes rather than one
   * per page; null for exact shapes.
   * @default GPU_SHAPE_BUCKETS with the 'webgpu' provider, exact shapes on the CPU
   */
  readonly shapeBuckets?: ShapeBuckets | null;
}

export interface RecogniseOptions {
  /** Longer side the page is scaled to for detection. @default from the model pack */
  readonly detectionMaxSide?: number;
  /** @default true */
  readonly autoRotate?: boolean;
  /** Languages on the page; restricts the characters the recogniser may output. @default ['en'] */
  readonly languages?: readonly Language[];
  readonly signal?: AbortSignal;
}

/** Engine output for one page, before it is given its index in the source file and ids to its lines and words. */
export type RecognisedPage = Omit<OcrPage, 'index' | 'lines'> & {
  readonly lines: readonly OcrLine[];
  readonly timings: StageTimings;
};

interface Models {
  readonly detection: InferenceSeam;
  readonly orientation: InferenceSeam | undefined;
}

/** A recognition session for one set of languages, and the character of each of its output classes. */
interface Recogniser {
  readonly seam: InferenceSeam;
  readonly alphabet: readonly string[];
}

const norm = (input: { channels: 'RGB' | 'BGR'; scale: number; mean: number[]; std: number[] }): Normalisation => ({
  channels: input.channels,
  scale: input.scale,
  mean: [input.mean[0]!, input.mean[1]!, input.mean[2]!],
  std: [input.std[0]!, input.std[1]!, input.std[2]!],
});

/** Lines whose crops are this much taller than wide count as vertical when judging page rotation. */
const VERTICAL_RATIO = 1.5;

export class OcrEngine {
  readonly pack: ModelPack;
  readonly #models: Models;
  /** Every class of the recognition model: blank, the dictionary, then the space. */
  readonly #alphabet: readonly string[];
  readonly #options: EngineOptions;
  readonly #params: EngineParams;
  /** Recognition sessions by language set, created on first use. */
  readonly #recognisers = new Map<string, Promise<Recogniser>>();
  readonly #buckets: ShapeBuckets | undefined;
  /** The recogniser's int8 settings, on the CPU where the pack has ranges and the parameters allow it. */
  readonly #int8: SessionOptions['int8'];
  /** English words, for correcting misread words on pages read as English (spelling.ts); none when switched off. */
  #english: ReadonlySet<string> | undefined;

  private constructor(pack: ModelPack, models: Models, alphabet: readonly string[], options: EngineOptions, buckets: ShapeBuckets | undefined, int8: SessionOptions['int8']) {
    this.pack = pack;
    this.#int8 = int8;
    this.#models = models;
    this.#alphabet = alphabet;
    this.#options = options;
    this.#params = options.params ?? engineParamsFromEnv(process.env);
    this.#buckets = buckets;
  }

  /** Where the models run. */
  get provider(): ExecutionProvider {
    return this.#options.executionProvider ?? 'cpu';
  }

  static async create(pack: ModelPack, options: EngineOptions = {}): Promise<OcrEngine> {
    // Settings from the environment are checked first: a mistyped value fails the start, not a page.
    options = { ...options, params: options.params ?? engineParamsFromEnv(process.env) };
    const m = pack.manifest.models;
    const gpu = options.executionProvider === 'webgpu';
    const buckets = options.shapeBuckets === undefined ? (gpu ? GPU_SHAPE_BUCKETS : undefined) : (options.shapeBuckets ?? undefined);
    if (buckets) checkBuckets(buckets, m.detection.input.sizeMultiple);
    const alphabet = await readAlphabet(pack);
    // Read while the sessions load (it costs the first page ~25–45 ms); awaited with the first recogniser, below.
    const english = options.params!.spelling.enabled ? loadLexicon('en') : undefined;
    english?.catch(() => undefined);
    const int8Ranges = !gpu && options.params!.int8.enabled ? await readInt8Ranges(pack) : undefined;
    const int8 = int8Ranges && { ...int8Ranges, minInputChannels: options.params!.int8.minInputChannels };
    // On a GPU every model runs once now (the recogniser always does, below): a provider that cannot run one fails
    // the start, where the worker can fall back to the CPU, rather than a page.
    const side = buckets?.detectionMultiple ?? m.detection.input.sizeMultiple;
    const made = await Promise.allSettled([
      createOnnxSession(pack.file(m.detection.file), { ...options, sourceSha256: m.detection.sha256, warmUp: gpu ? [1, 3, side, side] : undefined }),
      m.orientation
        ? createOnnxSession(pack.file(m.orientation.file), { ...options, sourceSha256: m.orientation.sha256, warmUp: gpu ? [1, 3, m.orientation.input.height, m.orientation.input.width] : undefined })
        : undefined,
    ]);
    const [detection, orientation] = made.map((r) => (r.status === 'fulfilled' ? r.value : undefined));
    const failed = made.find((r) => r.status === 'rejected');
    // A session that was made is released, or a failed GPU start would keep its twin's GPU memory.
    if (failed || !detection) {
      await Promise.all([detection?.release(), orientation?.release()]);
      throw failed?.reason;
    }
    const engine = new OcrEngine(pack, { detection, orientation }, alphabet, options, buckets, int8);
    await Promise.all([engine.#recogniser(DEFAULT_LANGUAGES), english?.then((words) => (engine.#english = words))]).catch(async (error: unknown) => {
      await engine.release().catch(() => undefined);
      throw error;
    });
    return engine;
  }

  /**
   * The recognition session for a set of languages. Languages that leave classes out (English: no Chinese) get a
   * model whose head keeps only their classes (graph-rewrite.ts keepClasses): the decoder cannot pick anything
   * else, and the head and its output shrink ~30×.
   */
  #recogniser(languages: readonly Language[]): Promise<Recogniser> {
    const key = [...languages].sort().join('+');
    let r = this.#recognisers.get(key);
    if (!r) {
      const mask = allowedClasses(this.#alphabet, languages);
      const keep = mask ? [...mask.keys()].filter((i) => i === 0 || mask[i]) : undefined;
      r = this.#createRecogniser(keep);
      // A failed creation is not cached: the next page tries again.
      r.catch(() => this.#recognisers.delete(key));
      this.#recognisers.set(key, r);
    }
    return r;
  }

  /**
   * A recognition session keeping the classes `keep` (all when undefined), checked against the dictionary: a pack
   * whose dictionary is not the model's would otherwise read every character as another.
   */
  async #createRecogniser(keep: number[] | undefined): Promise<Recogniser> {
    const { file, sha256, input, dictionary } = this.pack.manifest.models.recognition;
    const mismatch = (classes: number | string) =>
      new ModelManifestError(
        `The recognition model ${this.pack.file(file)} has ${classes} output classes, but its dictionary ${this.pack.file(dictionary.file)} ` +
          `gives ${this.#alphabet.length} (the CTC blank, ${this.#alphabet.length - 1 - (dictionary.appendSpace ? 1 : 0)} characters` +
          `${dictionary.appendSpace ? ' and the space' : ''}): the pack pairs a model with another model's dictionary.`,
      );
    let seam: InferenceSeam;
    try {
      seam = await createOnnxSession(this.pack.file(file), { ...this.#options, keepClasses: keep, classes: this.#alphabet.length, sourceSha256: sha256, int8: this.#int8 });
    } catch (error) {
      const found = error instanceof RangeError && /has (\d+) output classes/.exec(error.message);
      throw found ? mismatch(found[1]!) : error;
    }
    // (1, 3, H, 4H) of zeros: the output's last axis is the number of classes the decoder will index.
    const probe = await seam.run({ data: new Float32Array(3 * input.height * 4 * input.height), dims: [1, 3, input.height, 4 * input.height] });
    const expected = keep ? keep.length : this.#alphabet.length;
    if (probe.dims[2] !== expected) {
      await seam.release();
      throw mismatch(keep ? `${probe.dims[2]} (kept)` : probe.dims[2]!);
    }
    return { seam, alphabet: keep ? keep.map((i) => this.#alphabet[i]!) : this.#alphabet };
  }

  async release(): Promise<void> {
    const recognisers = await Promise.allSettled(this.#recognisers.values());
    await Promise.all([
      this.#models.detection.release(),
      this.#models.orientation?.release(),
      ...recognisers.map((r) => (r.status === 'fulfilled' ? r.value.seam.release() : undefined)),
    ]);
  }

  /** Reads one region of a page again (the result editor): see region.ts. */
  recogniseRegion(image: RgbImage, quad: Quad, options: RegionOptions): Promise<RegionResult> {
    const m = this.pack.manifest.models;
    const detOptions = this.#detectOptions();
    const boxes = async (img: RgbImage) =>
      (await detect(this.#models.detection, img, norm(m.detection.input), fitScale(img.width, img.height, m.detection.defaults.limitSideLen), detOptions)).boxes.map((b) => b.box);
    const lexicon = this.#lexicon(options.languages);
    const parts: RegionParts = { pack: this.pack, detect: boxes, recogniser: (l) => this.#recogniser(l), buildLine: (crop, chars, frameWidth, toImage) => buildLine(crop, chars, frameWidth, toImage, this.#params, lexicon), recognition: this.#recogniseOptions(lexicon) };
    return recogniseRegion(parts, image, quad, options);
  }

  /** The lexicon words of a page in `languages` are corrected to: English, where it is among them. */
  #lexicon(languages: readonly Language[] = DEFAULT_LANGUAGES): ReadonlySet<string> | undefined {
    return languages.includes('en') ? this.#english : undefined;
  }

  /** With a lexicon, the characters' runners-up are kept for correcting words to it. */
  #recogniseOptions(lexicon?: ReadonlySet<string>): RecogniseStageOptions {
    const batchSize = this.pack.manifest.models.recognition.defaults.batchSize;
    return { batchSize, widthTolerance: 0.97, maxColumns: this.#params.recBatchColumns, trailingPad: this.#params.recTrailingPad, buckets: this.#buckets, alternatives: lexicon !== undefined };
  }

  #detectOptions(): DetectOptions {
    const m = this.pack.manifest.models;
    return {
      ...m.detection.defaults,
      scoreMode: 'region',
      sizeMultiple: m.detection.input.sizeMultiple,
      tileSize: this.#params.tileSize,
      tileArea: this.#params.tileArea,
      tileOverlap: this.#params.tileOverlap,
      bucketMultiple: this.#buckets?.detectionMultiple,
    };
  }

  /**
   * Detection at the scale chosen from the page's text (text-scale.ts): from a first, coarse pass `det`, further
   * passes while its lines are far from the target height or too few were found.
   */
  async #detectAtTextScale(page: RgbImage, detNorm: Normalisation, detOptions: DetectOptions, first: DetectResult): Promise<DetectResult> {
    const session = this.#models.detection;
    let det = first;
    let elapsedMs = 0;
    const tried = [det.scale];
    let blindBelow = 0;
    for (let pass = 0; ; pass++) {
      const boxes = det.boxes.map((b) => b.box);
      const decision = decideScale(boxes, det.scale, { pass, blindBelow }, this.#params.textScale);
      if (lineHeight(boxes, this.#params.textScale.minLines) === undefined) blindBelow = det.scale;
      // Back to a scale already tried (the estimate oscillates): the pass in hand is as good.
      if (decision.action === 'keep' || tried.some((s) => Math.abs(Math.log(decision.scale / s)) < 0.05)) break;
      const next = await detect(session, page, detNorm, decision.scale, detOptions);
      elapsedMs += next.elapsedMs;
      tried.push(next.scale);
      // A closer look that finds no more than the last one is no better: keep the last.
      if (decision.action === 'zoom' && next.boxes.length <= det.boxes.length) break;
      det = next;
    }
    return { ...det, elapsedMs };
  }

  async recognise(image: RgbImage, options: RecogniseOptions = {}): Promise<RecognisedPage> {
    const m = this.pack.manifest.models;
    const signal = options.signal;
    const detOptions = this.#detectOptions();
    const detNorm = norm(m.detection.input);
    const coarseSide = options.detectionMaxSide ?? m.detection.defaults.limitSideLen;
    const coarse = (page: RgbImage) => detect(this.#models.detection, page, detNorm, fitScale(page.width, page.height, coarseSide), detOptions);

    // 1. Detect, coarsely first. If most text runs vertically the page lies on its side: turn it a quarter and
    // detect again. Then, unless an explicit detection size was asked for, at the scale the text calls for.
    let quarter: 0 | 90 = 0;
    let work = image;
    let det = await coarse(work);
    let detectMs = det.elapsedMs;
    throwIfAborted(signal);
    if (options.autoRotate !== false && mostlyVertical(det.boxes.map((b) => b.box), VERTICAL_RATIO)) {
      quarter = 90;
      work = rotateRaster(image, 90);
      det = await coarse(work);
      detectMs += det.elapsedMs;
      throwIfAborted(signal);
    }
    if (options.detectionMaxSide === undefined) {
      det = await this.#detectAtTextScale(work, detNorm, detOptions, det);
      detectMs += det.elapsedMs;
      throwIfAborted(signal);
    }

    // 2. Crop every line at the recogniser's height.
    const recInput = m.recognition.input;
    let crops = det.boxes.map((b) => cropLine(work, readingQuad(b.box, VERTICAL_RATIO), recInput.height, recInput.maxWidth));

    // 3. Upside down? The line classifier votes, weighted by line width, on the widest lines; only confident votes
    // count (the widest boxes of a form are often rules and borders, on which it guesses).
    let flipped = false;
    let classifyMs = 0;
    if (options.autoRotate !== false && this.#models.orientation && m.orientation && crops.length > 0) {
      const voters = [...crops.keys()].sort((a, b) => crops[b]!.image.width - crops[a]!.image.width).slice(0, 8);
      const oi = m.orientation.input;
      const cls = await classify(this.#models.orientation, voters.map((i) => crops[i]!), norm(oi), {
        height: oi.height,
        width: oi.width,
        batchSize: 8,
        batchSizes: this.#buckets?.batchSizes,
      });
      classifyMs = cls.elapsedMs;
      const widths = voters.map((ci) => crops[ci]!.image.width);
      if (upsideDownVote(widths, cls.upsideDown, m.orientation.defaults.threshold)) {
        flipped = true;
        crops = crops.map((c) => cropLine(work, rotateQuadOrder(c.quad, 2), recInput.height, recInput.maxWidth));
      }
      throwIfAborted(signal);
    }

    // 4. Recognise.
    const recogniser = await this.#recogniser(options.languages ?? DEFAULT_LANGUAGES);
    const lexicon = this.#lexicon(options.languages);
    const recOptions = this.#recogniseOptions(lexicon);
    const rec = await recognise(recogniser.seam, crops, norm(recInput), recogniser.alphabet, recOptions);
    throwIfAborted(signal);
    // A page that read poorly may be in a language not chosen: a few of its lines are read again with every class.
    const language = await checkPageLanguage(options.languages ?? DEFAULT_LANGUAGES, crops, rec.lines, m.recognition.defaults.minConfidence, async (again) => {
      const every = await this.#recogniser(SUPPORTED_LANGUAGES);
      return (await recognise(every.seam, again.map((i) => crops[i]!), norm(recInput), every.alphabet, recOptions)).lines;
    });
    throwIfAborted(signal);

    // 5. Build lines and words in the coordinates of `image`, then order them.
    const layoutStart = performance.now();
    const toImage = (p: Point): Point => (quarter === 90 ? [p[1], image.height - p[0]] : p);
    const lines: (Omit<OcrLine, 'block'> & { upright: Rect })[] = [];
    rec.lines.forEach((recLine, i) => {
      const line = buildLine(crops[i]!, recLine.chars, recLine.frameWidth, toImage, this.#params, lexicon);
      if (!line || line.shapeConfidence < m.recognition.defaults.minConfidence) return;
      const q = crops[i]!.quad;
      // Upright frame of the working raster: undo the 180° flip so layout reads top-down, left to right.
      const pts = q.map(([x, y]) => (flipped ? [work.width - x, work.height - y] : [x, y]));
      const xs = pts.map((p) => p[0]!);
      const ys = pts.map((p) => p[1]!);
      const { shapeConfidence: _shape, ...kept } = line;
      lines.push({ ...kept, upright: { x1: Math.min(...xs), y1: Math.min(...ys), x2: Math.max(...xs), y2: Math.max(...ys) } });
    });
    resolveLookalikes(lines.map((l) => ({ text: l.text, rect: l.upright })), this.#params.lookalikes).forEach((text, i) => {
      const l = lines[i]!;
      if (text !== l.text) lines[i] = { ...l, text, words: [{ ...l.words[0]!, text }] };
    });
    const layout = readingOrder(lines.map((l) => l.upright), this.#params.layout);
    // Upright page coordinates back to those of `image`, for boxes made in the upright frame.
    const fromUpright = (p: Point): Point => {
      const [x, y] = toImage(flipped ? [work.width - p[0], work.height - p[1]] : p);
      return [Math.round(x * 10) / 10, Math.round(y * 10) / 10];
    };
    const aligned = lines.map((l, i) => ({ ...l, box: shiftLeftEdge(l.box, layout.alignedX1[i]! - l.upright.x1), upright: { ...l.upright, x1: layout.alignedX1[i]! } }));
    const rowOf = new Map<number, readonly number[]>();
    for (const row of layout.rows) rowOf.set(row[0]!, row);
    const inRow = new Set(layout.rows.flatMap((row) => row.slice(1)));
    const ordered: OcrLine[] = layout.order.flatMap((i) => {
      if (inRow.has(i)) return [];
      const row = rowOf.get(i);
      if (!row) {
        const { upright: _upright, ...line } = aligned[i]!;
        return [{ ...line, block: layout.blockOf[i]! }];
      }
      const cells = withLeaders(row.map((j) => aligned[j]!), work, flipped, this.#params.leaders);
      const [x1, y1] = [Math.min(...cells.map((c) => c.upright.x1)), Math.min(...cells.map((c) => c.upright.y1))];
      const [x2, y2] = [Math.max(...cells.map((c) => c.upright.x2)), Math.max(...cells.map((c) => c.upright.y2))];
      const box: Quad = [fromUpright([x1, y1]), fromUpright([x2, y1]), fromUpright([x2, y2]), fromUpright([x1, y2])];
      return [{ ...joinRow(cells, box), block: layout.blockOf[i]! }];
    });
    // Renumber blocks in reading order.
    const blockIds = new Map<number, number>();
    for (const l of ordered) if (!blockIds.has(l.block)) blockIds.set(l.block, blockIds.size);
    const finalLines = ordered.map((l) => ({ ...l, block: blockIds.get(l.block)! }));
    const blocks: OcrBlock[] = [...blockIds.values()].map((b) => ({ box: hull(finalLines.filter((l) => l.block === b).map((l) => l.box)) }));
    const layoutMs = performance.now() - layoutStart;

    const orientation = ((quarter + (flipped ? 180 : 0)) % 360) as PageOrientation;
    return {
      width: image.width,
      height: image.height,
      orientation,
      lines: finalLines,
      blocks,
      ...(language.hint ? { languageHint: language.hint } : {}),
      timings: { decodeMs: 0, detectMs, classifyMs, recogniseMs: rec.elapsedMs + language.elapsedMs, layoutMs },
    };
  }
}
