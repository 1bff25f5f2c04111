/**
 * A recognised line of a page: its words (split where the recogniser's spaces and the gaps between characters say)
 * with boxes spanning their characters' frames, its text and confidence, mapped from the crop to the page.
 */
import type { Point, RecognisedLine as OcrLine, RecognisedWord as OcrWord } from '../../common/result.ts';
import { normaliseWord } from './charset.ts';
import { cropToPage, type LineCrop } from './crop.ts';
import type { CtcChar } from './ctc.ts';
import { capitalIForL, lettersForDigits } from './lookalikes.ts';
import { correctWord, joinWords, type SpellingParams } from './spelling.ts';
import { eraseRules, underlinesAsSpaces, type RuleParams } from './rules.ts';
import { columnInk, gapEvidence, splitWords, type WordSplitParams } from './words.ts';

const round1 = (v: number) => Math.round(v * 10) / 10;

/** Words and text of one line from its decoded characters; word boxes span their characters' frames. */
export function buildLine(
  crop: LineCrop,
  chars: readonly CtcChar[],
  frameWidth: number,
  toImage: (p: Point) => Point,
  params: { readonly words: WordSplitParams; readonly rules: RuleParams; readonly spelling: SpellingParams },
  /** The page language's words, lower case: words read as none of them are corrected (spelling.ts). */
  lexicon?: ReadonlySet<string>,
): (Omit<OcrLine, 'block'> & { shapeConfidence: number }) | undefined {
  const h = crop.image.height;
  // The recogniser reads the crop as it is (painting a rule out also eats the feet of the letters sitting on it);
  // the gaps between words and the underscores read off a rule are judged without the rules.
  const clean = eraseRules(crop.image, params.rules);
  const columns = columnInk(clean);
  const read = underlinesAsSpaces(chars, clean, frameWidth, columns);
  const split = splitWords(read, gapEvidence(read, clean, frameWidth, columns), params.words);
  const spell = lexicon && params.spelling.enabled ? lexicon : undefined;
  const words = spell
    ? joinWords(split, spell, params.spelling).map((w) => {
        const text = correctWord(w.chars, spell, params.spelling);
        return text === undefined ? w : { ...w, text };
      })
    : split;
  if (words.length === 0) return undefined;
  const cw = crop.image.width;
  const toPage = cropToPage(crop);
  const map = (x: number, y: number): Point => {
    const [px, py] = toImage(toPage(x, y));
    return [round1(px), round1(py)];
  };
  const ocrWords: OcrWord[] = words.map((w, i) => {
    // A frame covers [t, t+1) × frameWidth; widen by half a frame each side, and meet neighbours half-way.
    const prevEnd = i > 0 ? (words[i - 1]!.end + 1) * frameWidth : 0;
    const nextStart = i + 1 < words.length ? words[i + 1]!.start * frameWidth : cw;
    const x1 = Math.max(0, (w.start - 0.5) * frameWidth, (prevEnd + w.start * frameWidth) / 2 - 0.01);
    const x2 = Math.min(cw, (w.end + 1.5) * frameWidth, (nextStart + (w.end + 1) * frameWidth) / 2 + 0.01);
    return { text: capitalIForL(lettersForDigits(normaliseWord(w.text))), confidence: Math.round(w.confidence * 1e4) / 1e4, box: [map(x1, 0), map(x2, 0), map(x2, h), map(x1, h)] };
  });
  const inked = read.filter((c) => c.char.trim() !== '');
  const mean = (v: readonly number[]) => v.reduce((s, p) => s + p, 0) / v.length;
  return {
    text: ocrWords.map((w) => w.text).join(' '),
    confidence: Math.round(mean(inked.map((c) => c.prob)) * 1e4) / 1e4,
    // What the confidence floor judges: a line is kept for being clearly text, even where which of two look-alike
    // characters it is stays open.
    shapeConfidence: mean(inked.map((c) => c.shapeProb)),
    box: [map(0, 0), map(cw, 0), map(cw, h), map(0, h)],
    words: ocrWords,
  };
}
