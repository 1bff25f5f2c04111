/**
 * Whether a page read with the chosen languages would read far better with another installed one (pure).
 *
 * The default model reads Chinese and English; `languages` only narrows its output (charset.ts), and English
 * narrows it to a head without the Chinese classes. A Chinese page read as English keeps its numbers and Latin
 * words, but every Chinese word vanishes or becomes a stray `:`, and nothing says why. The engine (engine.ts) asks
 * {@link needsLanguageCheck} about the first reading, which costs nothing: many lines read as far fewer characters
 * than their width holds, or dropped for low confidence. Only for such a page does it read those lines again with
 * every class of the model, and {@link languageHint} compares the two readings of the same lines. Pages in the
 * chosen language (English receipts, forms, letters) show few such lines and never pay for the second reading.
 */
import type { Language } from '../../common/languages.ts';

/** One line crop as read: its characters, their mean probability (0 when none), and how much of the line they fill. */
export interface LineReading {
  readonly text: string;
  readonly confidence: number;
  /** Characters read × a Latin character's width ÷ the line's width: about 1 for Latin text read whole. */
  readonly coverage: number;
}

export interface LanguageHint {
  /** The languages to read the page with instead. */
  readonly suggested: readonly Language[];
  /** Why, in words for the summary. */
  readonly reason: string;
}

export interface LanguageHintParams {
  /** Width of a Latin character as a share of the line height, for {@link LineReading.coverage}. @default 0.55 */
  readonly charWidth: number;
  /** Pages with fewer detected lines are not judged: too little to go on. @default 3 */
  readonly minLines: number;
  /**
   * A line read poorly when its reading covers less than this share of it (a Chinese label read as English leaves
   * one `:` of 性别：男), or when it is dropped for low confidence. @default 0.35
   */
  readonly poorCoverage: number;
  /**
   * A page is checked when at least this share of its lines read poorly. English receipts, forms and documents
   * read with English stay at or below 10%; the Chinese lab report read with English has 37%. @default 0.2
   */
  readonly minPoorShare: number;
  /** How many of the poorly read lines are read again, widest first (one batch of the recogniser). @default 8 */
  readonly sampleLines: number;
  /** The other reading must find at least this many times the characters on those lines… @default 2 */
  readonly minCharGain: number;
  /**
   * …the characters it found beyond the first reading being at least this share in the other language's script (the
   * lines' Latin parts, `(WBC)`, read the same both times)… @default 0.6
   */
  readonly minScriptShare: number;
  /** …and at least this mean confidence. @default 0.7 */
  readonly minConfidence: number;
}

export const DEFAULT_LANGUAGE_HINT: LanguageHintParams = {
  charWidth: 0.55,
  minLines: 3,
  poorCoverage: 0.35,
  minPoorShare: 0.2,
  sampleLines: 8,
  minCharGain: 2,
  minScriptShare: 0.6,
  minConfidence: 0.7,
};

const HAN = /\p{Script=Han}/u;
const mean = (values: readonly number[]) => (values.length === 0 ? 0 : values.reduce((s, v) => s + v, 0) / values.length);
const visible = (text: string) => [...text].filter((c) => c.trim() !== '');

/** A line as read, from its decoded characters and its crop's size. */
export function lineReading(
  chars: readonly { readonly char: string; readonly prob: number }[],
  crop: { readonly width: number; readonly height: number },
  params: LanguageHintParams = DEFAULT_LANGUAGE_HINT,
): LineReading {
  const text = chars.map((c) => c.char).join('');
  const probs = chars.filter((c) => c.char.trim() !== '').map((c) => c.prob);
  return { text, confidence: mean(probs), coverage: (probs.length * params.charWidth * crop.height) / Math.max(1, crop.width) };
}

/** Indexes of the lines that read poorly (see {@link LanguageHintParams.poorCoverage}). */
export function poorlyRead(readings: readonly LineReading[], minConfidence: number, params: LanguageHintParams = DEFAULT_LANGUAGE_HINT): number[] {
  return [...readings.keys()].filter((i) => readings[i]!.coverage < params.poorCoverage || readings[i]!.confidence < minConfidence);
}

/**
 * Whether the page, read with `languages`, read poorly enough to try the others. `minConfidence` is the
 * recogniser's: lines below it are dropped.
 */
export function needsLanguageCheck(
  languages: readonly Language[],
  readings: readonly LineReading[],
  minConfidence: number,
  params: LanguageHintParams = DEFAULT_LANGUAGE_HINT,
): boolean {
  // With zh chosen every class of the model is allowed already: there is nothing else to try.
  if (languages.includes('zh') || readings.length < params.minLines) return false;
  return poorlyRead(readings, minConfidence, params).length / readings.length >= params.minPoorShare;
}

/**
 * The hint for a page, from the same sampled lines read with the chosen languages (`chosen`) and with every class
 * of the model (`all`), or undefined when the second reading is not clearly Chinese the first one missed.
 */
export function languageHint(
  languages: readonly Language[],
  chosen: readonly LineReading[],
  all: readonly LineReading[],
  params: LanguageHintParams = DEFAULT_LANGUAGE_HINT,
): LanguageHint | undefined {
  if (languages.includes('zh') || all.length === 0) return undefined;
  const before = chosen.reduce((n, r) => n + visible(r.text).length, 0);
  const chars = all.flatMap((r) => visible(r.text));
  const han = chars.filter((c) => HAN.test(c)).length;
  const gained = chars.length - before;
  const confidence = mean(all.map((r) => r.confidence));
  if (chars.length < params.minCharGain * Math.max(1, before) || han < params.minScriptShare * gained || confidence < params.minConfidence) return undefined;
  const suggested: Language[] = [...languages, 'zh'];
  return {
    suggested,
    reason:
      `with -l ${languages.join(',')}, ${all.length} of its lines read as ${before} characters; with zh, as ${chars.length}, ` +
      `${han} of them Chinese (mean confidence ${confidence.toFixed(2)})`,
  };
}

type Chars = readonly { readonly char: string; readonly prob: number }[];

/**
 * The whole check for one page read with `languages`: its lines (`lines[i]` read from `crops[i]`) are judged, and
 * only when they read poorly are the widest poorly read ones read again by `reread` (with every class of the
 * model) and compared. `minConfidence` is the recogniser's. Returns the hint, if any, and the time `reread` took.
 */
export async function checkPageLanguage(
  languages: readonly Language[],
  crops: readonly { readonly image: { readonly width: number; readonly height: number } }[],
  lines: readonly { readonly chars: Chars }[],
  minConfidence: number,
  reread: (crops: readonly number[]) => Promise<readonly { readonly chars: Chars }[]>,
  params: LanguageHintParams = DEFAULT_LANGUAGE_HINT,
): Promise<{ readonly hint?: LanguageHint; readonly elapsedMs: number }> {
  const readings = lines.map((l, i) => lineReading(l.chars, crops[i]!.image, params));
  if (!needsLanguageCheck(languages, readings, minConfidence, params)) return { elapsedMs: 0 };
  const width = (i: number) => crops[i]!.image.width;
  const sample = poorlyRead(readings, minConfidence, params).sort((a, b) => width(b) - width(a)).slice(0, params.sampleLines);
  const started = performance.now();
  const again = await reread(sample);
  const elapsedMs = performance.now() - started;
  const hint = languageHint(languages, sample.map((i) => readings[i]!), again.map((l, k) => lineReading(l.chars, crops[sample[k]!]!.image, params)), params);
  return hint ? { hint, elapsedMs } : { elapsedMs };
}
