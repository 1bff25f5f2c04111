/**
 * Whether a PDF page's own text layer is usable, judged from its extracted text alone (pure; the probe calls it).
 *
 * A page can draw perfectly readable text whose characters extract as nonsense: a font without a usable Unicode
 * mapping (no ToUnicode, a symbolic TrueType font) yields its glyph ids as characters (`"7+%-` for "Phone"), a
 * Type 3 font yields control characters, a mapping written in the wrong byte order turns "Mul" into 䴀甀氀
 * (U+4D00 U+7500 U+6C00), and private-use code points stand for glyphs nobody mapped. Keeping such a layer in `skip`
 * mode would mark the page done with unsearchable garbage; such a page is OCRed instead.
 *
 * Each check is a share of the page's non-space characters, with its threshold in {@link TextLayerCheck}. Real
 * text layers (the digital PDFs of the evaluation set, Chinese included) score far from every threshold.
 */

export interface TextLayerCheck {
  /** Control characters, U+FFFD and lone surrogates: characters no text has. Above this share, unusable. @default 0.1 */
  readonly maxUnmappedShare: number;
  /** Private-use code points (glyphs without a Unicode mapping). Above this share, unusable. @default 0.3 */
  readonly maxPrivateUseShare: number;
  /**
   * Code points U+XX00 whose XX is printable ASCII: UTF-16 read in the wrong byte order ('M' U+004D → U+4D00).
   * Chinese text has a few such characters (一 is U+4E00), never a large share. Above this share, unusable.
   * @default 0.3
   */
  readonly maxSwappedShare: number;
  /**
   * Letters and digits among the characters, after runs of one repeated mark count once (dot leaders in a table of
   * contents are one mark, not eighty). Real text, even a table of numbers, is mostly letters and digits; glyph ids
   * read as characters are mostly punctuation. Below this share, unusable. @default 0.4
   */
  readonly minWordCharShare: number;
  /** Fewer characters than this are too few to judge by {@link minWordCharShare} (`- -` is fine). @default 4 */
  readonly minCharsForWordShare: number;
}

export const DEFAULT_TEXT_LAYER_CHECK: TextLayerCheck = {
  maxUnmappedShare: 0.1,
  maxPrivateUseShare: 0.3,
  maxSwappedShare: 0.3,
  minWordCharShare: 0.4,
  minCharsForWordShare: 4,
};

const UNMAPPED = /[\p{Cc}\p{Cs}\uFFFD]/u;
const PRIVATE_USE = /\p{Co}/u;
const WORD_CHAR = /[\p{L}\p{N}]/u;

const isSwapped = (cp: number) => (cp & 0xff) === 0 && cp >> 8 >= 0x21 && cp >> 8 <= 0x7e;
const percent = (share: number) => `${Math.round(share * 100)}%`;
/** A short sample of the text, for the message. */
const sample = (chars: readonly string[]) =>
  `“${chars
    .slice(0, 12)
    .map((c) => (UNMAPPED.test(c) ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c))
    .join('')}”`;

/**
 * Why the text layer with this extracted text is unusable, in words for the person reading the summary, or
 * undefined when it looks like real text (or there is none).
 */
export function textLayerProblem(text: string, check: TextLayerCheck = DEFAULT_TEXT_LAYER_CHECK): string | undefined {
  const chars = [...text].filter((c) => !/[\s\u200b\ufeff]/u.test(c));
  if (chars.length === 0) return undefined;
  const share = (test: (c: string) => boolean) => chars.filter(test).length / chars.length;

  const unmapped = share((c) => UNMAPPED.test(c));
  if (unmapped > check.maxUnmappedShare) {
    return `${percent(unmapped)} of its characters are control characters or unmapped glyphs (${sample(chars)}): its fonts have no usable Unicode mapping`;
  }
  const privateUse = share((c) => PRIVATE_USE.test(c));
  if (privateUse > check.maxPrivateUseShare) {
    return `${percent(privateUse)} of its characters are private-use code points (${sample(chars)}): glyphs without a Unicode mapping`;
  }
  const swapped = share((c) => isSwapped(c.codePointAt(0)!));
  if (swapped > check.maxSwappedShare) {
    const plain = chars.slice(0, 12).map((c) => (isSwapped(c.codePointAt(0)!) ? String.fromCharCode(c.codePointAt(0)! >> 8) : c)).join('');
    return `${percent(swapped)} of its characters are byte-swapped (${sample(chars)} for “${plain}”): a broken Unicode mapping`;
  }
  // Runs of one repeated mark (dot leaders, rules of dashes or underscores) count once.
  const marks = chars.filter((c, i) => WORD_CHAR.test(c) || c !== chars[i - 1]);
  if (marks.length >= check.minCharsForWordShare) {
    const words = marks.filter((c) => WORD_CHAR.test(c)).length / marks.length;
    if (words < check.minWordCharShare) {
      return `only ${percent(words)} of its characters are letters or digits (${sample(chars)}): its glyphs map to the wrong characters`;
    }
  }
  return undefined;
}
