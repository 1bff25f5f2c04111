/**
 * Removes an earlier OCR layer from a decoded content stream (and tells whether a stream shows text visibly): every text object (BT … ET) that shows text only in
 * an invisible render mode (3, or 7: clip only) and none visibly. Visible text, graphics and images are left as
 * they are, byte for byte; a removed object that changed the text render mode is replaced by that `Tr`, so what
 * follows draws in the same state.
 *
 * The tokenizer knows just enough PDF syntax to find operators reliably: strings (nested, escaped), hex strings,
 * names, arrays, dictionaries, comments, and inline images (their binary data between ID and EI).
 */

const WHITE = new Set([0, 9, 10, 12, 13, 32]);
const DELIM = new Set([...'()<>[]{}/%'].map((c) => c.charCodeAt(0)));
const SHOWS = new Set(['Tj', 'TJ', "'", '"']);

/** The stream without invisible-only text objects, or undefined when it has none. */
export function stripInvisibleText(data: Uint8Array): Uint8Array | undefined {
  return scan(data).stripped;
}

/**
 * Whether the stream shows text that can be seen: in any render mode but 3. Mode 7 draws nothing itself but clips
 * what follows to the glyphs (Photoshop draws coloured text so), so its text is seen too.
 */
export function showsVisibleText(data: Uint8Array): boolean {
  return scan(data).visible > 0;
}

function scan(data: Uint8Array): { stripped: Uint8Array | undefined; visible: number } {
  let visible = 0;
  const cuts: { from: number; to: number; replace: string }[] = [];
  const stack: number[] = [];
  let mode = 0;
  let lastNumber = 0;
  let block: { start: number; modeIn: number; visible: number; invisible: number } | undefined;
  let i = 0;
  const n = data.length;
  while (i < n) {
    const c = data[i]!;
    if (WHITE.has(c)) {
      i++;
    } else if (c === 0x25) {
      // % comment
      while (i < n && data[i] !== 10 && data[i] !== 13) i++;
    } else if (c === 0x28) {
      // ( string )
      let depth = 0;
      for (; i < n; i++) {
        const d = data[i]!;
        if (d === 0x5c) i++;
        else if (d === 0x28) depth++;
        else if (d === 0x29 && --depth === 0) break;
      }
      i++;
    } else if (c === 0x3c && data[i + 1] === 0x3c) {
      i += 2;
    } else if (c === 0x3e && data[i + 1] === 0x3e) {
      i += 2;
    } else if (c === 0x3c) {
      while (i < n && data[i] !== 0x3e) i++;
      i++;
    } else if (c === 0x2f) {
      i++;
      while (i < n && !WHITE.has(data[i]!) && !DELIM.has(data[i]!)) i++;
    } else if (DELIM.has(c)) {
      i++;
    } else {
      const start = i;
      while (i < n && !WHITE.has(data[i]!) && !DELIM.has(data[i]!)) i++;
      const token = String.fromCharCode(...data.subarray(start, i));
      if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(token)) {
        lastNumber = Number(token);
        continue;
      }
      switch (token) {
        case 'q':
          stack.push(mode);
          break;
        case 'Q':
          mode = stack.pop() ?? mode;
          break;
        case 'Tr':
          mode = lastNumber & 7;
          break;
        case 'BT':
          block = { start, modeIn: mode, visible: 0, invisible: 0 };
          break;
        case 'ET':
          if (block && block.invisible > 0 && block.visible === 0) {
            cuts.push({ from: block.start, to: i, replace: mode !== block.modeIn ? `${mode} Tr` : '' });
          }
          block = undefined;
          break;
        case 'ID': {
          // Inline image data: skip to an EI that stands alone between white space.
          i++;
          while (i < n && !(WHITE.has(data[i - 1]!) && data[i] === 0x45 && data[i + 1] === 0x49 && (i + 2 >= n || WHITE.has(data[i + 2]!)))) i++;
          i += 2;
          break;
        }
        default:
          if (SHOWS.has(token)) {
            if (mode !== 3) visible++;
            if (block) {
              if (mode === 3 || mode === 7) block.invisible++;
              else block.visible++;
            }
          }
      }
    }
  }
  if (cuts.length === 0) return { stripped: undefined, visible };
  const parts: Uint8Array[] = [];
  let at = 0;
  const encoder = new TextEncoder();
  for (const cut of cuts) {
    parts.push(data.subarray(at, cut.from), encoder.encode(cut.replace));
    at = cut.to;
  }
  parts.push(data.subarray(at));
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return { stripped: out, visible };
}
