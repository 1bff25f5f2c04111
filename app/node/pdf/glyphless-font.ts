/**
 * The "GlyphLessFont" of searchable PDFs (the technique Tesseract's PDF renderer uses): a TrueType font whose only
 * real glyph is empty, with a fixed advance of half an em. Text set in it draws nothing, whatever the characters,
 * so one tiny embedded font carries any script (Chinese included) for search and copy, with the characters
 * themselves given by the PDF font's ToUnicode CMap.
 *
 * Built here table by table (about 600 bytes): head, hhea, maxp, OS/2, hmtx, loca, glyf, cmap, name, post. Glyph 0
 * is .notdef and glyph 1 the empty glyph every character maps to; both are empty outlines, 500/1000 em wide.
 * Ascent 800 and descent −200 are what text extraction (poppler's `pdftotext -bbox`) uses for word boxes, so a word
 * set at font size = box height with its baseline 20% above the box bottom gets exactly its OCR box back.
 */

export const UNITS_PER_EM = 1000;
export const ADVANCE = 500;
export const ASCENT = 800;
export const DESCENT = -200;
export const FONT_NAME = 'GlyphLessFont';

class Writer {
  readonly bytes: number[] = [];
  u8(v: number): this {
    this.bytes.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v >> 8).u8(v);
  }
  i16(v: number): this {
    return this.u16(v < 0 ? v + 0x10000 : v);
  }
  u32(v: number): this {
    return this.u16(Math.floor(v / 0x10000) & 0xffff).u16(v & 0xffff);
  }
  /** 64-bit LONGDATETIME, seconds since 1904: always 0 (not known), which keeps the font bytes constant. */
  date(): this {
    return this.u32(0).u32(0);
  }
  tag(s: string): this {
    for (const c of s) this.u8(c.charCodeAt(0));
    return this;
  }
  get array(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

function head(): Uint8Array {
  return new Writer()
    .u32(0x00010000) // version
    .u32(0x00010000) // fontRevision
    .u32(0) // checkSumAdjustment, set once the font is assembled
    .u32(0x5f0f3cf5) // magicNumber
    .u16(0x000b) // flags: baseline at y=0, lsb at x=0, integer scaling
    .u16(UNITS_PER_EM)
    .date()
    .date()
    .i16(0) // xMin
    .i16(DESCENT) // yMin
    .i16(ADVANCE) // xMax
    .i16(ASCENT) // yMax
    .u16(0) // macStyle
    .u16(3) // lowestRecPPEM
    .i16(2) // fontDirectionHint
    .i16(0) // indexToLocFormat: short offsets
    .i16(0).array; // glyphDataFormat
}

function hhea(): Uint8Array {
  const w = new Writer().u32(0x00010000).i16(ASCENT).i16(DESCENT).i16(0).u16(ADVANCE).i16(0).i16(0).i16(ADVANCE);
  w.i16(1).i16(0).i16(0); // caret slope rise/run, offset
  for (let i = 0; i < 4; i++) w.i16(0); // reserved
  return w.i16(0).u16(2).array; // metricDataFormat, numberOfHMetrics
}

function maxp(): Uint8Array {
  const w = new Writer().u32(0x00010000).u16(2); // version 1.0, numGlyphs
  w.u16(0).u16(0).u16(0).u16(0); // maxPoints, maxContours, maxCompositePoints, maxCompositeContours
  w.u16(1); // maxZones
  for (let i = 0; i < 8; i++) w.u16(0); // twilight points … component depth
  return w.array;
}

function os2(): Uint8Array {
  const w = new Writer().u16(4).i16(ADVANCE).u16(400).u16(5).u16(0); // version, xAvgCharWidth, weight, width, fsType: installable
  for (let i = 0; i < 10; i++) w.i16(i < 4 ? 500 : i < 8 ? 0 : i === 8 ? 50 : 250); // sub/superscript sizes and offsets, strikeout
  w.i16(0); // sFamilyClass
  for (let i = 0; i < 10; i++) w.u8(0); // panose
  w.u32(0).u32(0).u32(0).u32(0); // ulUnicodeRange1-4
  w.tag('NONE').u16(0x0040); // achVendID, fsSelection: REGULAR
  w.u16(0x20).u16(0xfffd); // usFirstCharIndex, usLastCharIndex
  w.i16(ASCENT).i16(DESCENT).i16(0).u16(ASCENT).u16(-DESCENT); // typo ascender/descender/gap, win ascent/descent
  w.u32(1).u32(0); // ulCodePageRange1-2: Latin 1
  w.i16(400).i16(700).u16(0).u16(0x20).u16(1); // sxHeight, sCapHeight, usDefaultChar, usBreakChar, usMaxContext
  return w.array;
}

function hmtx(): Uint8Array {
  return new Writer().u16(ADVANCE).i16(0).u16(ADVANCE).i16(0).array;
}

/** Short offsets (÷2): both glyphs are empty, so every offset is 0. */
function loca(): Uint8Array {
  return new Writer().u16(0).u16(0).u16(0).array;
}

/** Empty glyphs have no data; a few zero bytes keep readers that dislike an empty table happy. */
function glyf(): Uint8Array {
  return new Uint8Array(4);
}

/** A (3,1) format 4 subtable with only the final 0xFFFF segment: no character is mapped (the PDF maps CIDs). */
function cmap(): Uint8Array {
  return new Writer()
    .u16(0).u16(1) // version, numTables
    .u16(3).u16(1).u32(12) // platform 3 (Windows), encoding 1 (Unicode BMP), offset
    .u16(4).u16(24).u16(0) // format 4, length, language
    .u16(2).u16(2).u16(0).u16(0) // segCountX2, searchRange, entrySelector, rangeShift
    .u16(0xffff) // endCode
    .u16(0) // reservedPad
    .u16(0xffff) // startCode
    .i16(1) // idDelta
    .u16(0).array; // idRangeOffset
}

function name(): Uint8Array {
  const records: [number, string][] = [
    [1, FONT_NAME],
    [2, 'Regular'],
    [4, FONT_NAME],
    [6, FONT_NAME],
  ];
  const strings = records.map(([, s]) => {
    const w = new Writer();
    for (const c of s) w.u16(c.charCodeAt(0));
    return w.bytes;
  });
  const w = new Writer().u16(0).u16(records.length).u16(6 + 12 * records.length);
  let offset = 0;
  records.forEach(([id], i) => {
    w.u16(3).u16(1).u16(0x409).u16(id).u16(strings[i]!.length).u16(offset);
    offset += strings[i]!.length;
  });
  for (const s of strings) w.bytes.push(...s);
  return w.array;
}

function post(): Uint8Array {
  return new Writer().u32(0x00030000).u32(0).i16(-100).i16(50).u32(0).u32(0).u32(0).u32(0).u32(0).array;
}

function checksum(data: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < data.length; i += 4) {
    sum = (sum + (((data[i] ?? 0) << 24) >>> 0) + ((data[i + 1] ?? 0) << 16) + ((data[i + 2] ?? 0) << 8) + (data[i + 3] ?? 0)) >>> 0;
  }
  return sum;
}

let built: Uint8Array | undefined;

/** The font program (a complete TrueType file), built once. */
export function glyphLessFont(): Uint8Array {
  if (built) return built;
  const tables: [string, Uint8Array][] = (
    [
      ['OS/2', os2()],
      ['cmap', cmap()],
      ['glyf', glyf()],
      ['head', head()],
      ['hhea', hhea()],
      ['hmtx', hmtx()],
      ['loca', loca()],
      ['maxp', maxp()],
      ['name', name()],
      ['post', post()],
    ] as [string, Uint8Array][]
  ).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const n = tables.length;
  const entrySelector = Math.floor(Math.log2(n));
  const searchRange = 2 ** entrySelector * 16;
  const dir = new Writer().u32(0x00010000).u16(n).u16(searchRange).u16(entrySelector).u16(n * 16 - searchRange);
  let offset = 12 + 16 * n;
  const body: number[] = [];
  let headOffset = 0;
  for (const [tag, data] of tables) {
    if (tag === 'head') headOffset = offset;
    dir.tag(tag).u32(checksum(data)).u32(offset).u32(data.length);
    const padded = (data.length + 3) & ~3;
    body.push(...data, ...new Array<number>(padded - data.length).fill(0));
    offset += padded;
  }
  const font = Uint8Array.from([...dir.bytes, ...body]);
  const adjust = (0xb1b0afba - checksum(font)) >>> 0;
  new DataView(font.buffer).setUint32(headOffset + 8, adjust);
  built = font;
  return font;
}
