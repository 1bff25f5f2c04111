/**
 * Reading order and blocks, by recursive XY-cut over line rectangles in upright page coordinates.
 * A vertical cut (columns) is taken only where the lines on both sides are long compared with the gap between them,
 * as prose columns are, so columns are read one after the other; short cells side by side (a table's row, a
 * receipt's label and amount) are read row by row instead, left to right, and reported as rows to be joined into
 * one line each. Within a column, left edges that nearly agree are made to agree (a justified column's margin).
 */

export interface Rect {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

export interface LayoutParams {
  /** A vertical gutter is a column break only if the median line on each side is this many gutters wide. @default 2.5 */
  readonly columnLineToGap: number;
  /**
   * Smallest gutter, in median line heights, considered as a column break. Boxes are padded by about a quarter of
   * their height on each side, so a typeset 3-column page's gutters measure under half a line height.
   * @default 0.4
   */
  readonly minGutter: number;
  /** A column's median line is at least this many median line heights long (prose, not table cells). @default 5 */
  readonly columnMinWidth: number;
  /** A vertical gap over this many median line heights starts a new block (paragraph). @default 0.9 */
  readonly paragraphGap: number;
  /**
   * Lines side by side (not overlapping horizontally) are one row when their vertical centres are at most this
   * share of the shorter one's height apart: cells on one baseline. @default 0.15
   */
  readonly rowOffset: number;
  /** Left edges of a column's lines within this many median line heights of each other are aligned. @default 0.3 */
  readonly alignTolerance: number;
}

export const DEFAULT_LAYOUT: LayoutParams = { columnLineToGap: 2.5, minGutter: 0.4, columnMinWidth: 5, paragraphGap: 0.9, rowOffset: 0.15, alignTolerance: 0.3 };

export interface Layout {
  /** Line indices in reading order. */
  readonly order: readonly number[];
  /** Block index of each line, by input index. */
  readonly blockOf: readonly number[];
  readonly blockCount: number;
  /** Rows of two or more lines side by side (table cells, a label and its amount), each left to right, in reading order. */
  readonly rows: readonly (readonly number[])[];
  /** Left edge each line should have (its own, or the shared edge of the lines aligned with it), by input index. */
  readonly alignedX1: readonly number[];
}

const median = (v: readonly number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length ? s[s.length >> 1]! : 0;
};

/** Free intervals along one axis: gaps not covered by any [lo, hi] span, widest first. */
function gaps(spans: readonly (readonly [number, number])[]): { at: number; size: number }[] {
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  const out: { at: number; size: number }[] = [];
  let reach = -Infinity;
  for (const [lo, hi] of sorted) {
    if (reach !== -Infinity && lo > reach) out.push({ at: (lo + reach) / 2, size: lo - reach });
    reach = Math.max(reach, hi);
  }
  return out.sort((a, b) => b.size - a.size);
}

export function readingOrder(rects: readonly Rect[], params: LayoutParams = DEFAULT_LAYOUT): Layout {
  const lineH = Math.max(1, median(rects.map((r) => r.y2 - r.y1)));
  const columns: number[][] = [];

  const overlapsVertically = (a: Rect, b: Rect) => Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1) > 0;
  const isColumnBreak = (left: number[], right: number[]): boolean => {
    const l = left.filter((i) => right.some((j) => overlapsVertically(rects[i]!, rects[j]!)));
    const r = right.filter((j) => left.some((i) => overlapsVertically(rects[i]!, rects[j]!)));
    if (l.length < 2 || r.length < 2) return false;
    const gutter = Math.min(...r.map((j) => rects[j]!.x1)) - Math.max(...l.map((i) => rects[i]!.x2));
    const wide = (side: number[]) => {
      const width = median(side.map((i) => rects[i]!.x2 - rects[i]!.x1));
      return width >= params.columnLineToGap * gutter && width >= params.columnMinWidth * lineH;
    };
    return gutter >= params.minGutter * lineH && wide(l) && wide(r);
  };

  const visit = (ids: number[], columnStart: boolean): void => {
    if (ids.length === 0) return;
    if (columnStart) columns.push([]);
    if (ids.length === 1) {
      columns[columns.length - 1]!.push(ids[0]!);
      return;
    }
    // Columns first: a wide gutter with long lines on both sides. The gutter is measured only between lines that
    // stand side by side, so a title that happens to end near the right column does not narrow it.
    for (const gap of gaps(ids.map((i) => [rects[i]!.x1, rects[i]!.x2] as const))) {
      if (gap.size < params.minGutter * lineH) break;
      const left = ids.filter((i) => rects[i]!.x2 <= gap.at);
      const right = ids.filter((i) => rects[i]!.x1 >= gap.at);
      if (isColumnBreak(left, right)) {
        visit(left, true);
        visit(right, true);
        return;
      }
    }
    // Then rows: cut at the widest horizontal gaps (within 80% of the widest) and look again inside each band, so
    // the gap under a title is cut before the narrower gaps between lines of side-by-side columns.
    const allRowGaps = gaps(ids.map((i) => [rects[i]!.y1, rects[i]!.y2] as const));
    const widest = allRowGaps[0]?.size ?? 0;
    const rowGaps = allRowGaps.filter((g) => g.size >= 0.8 * widest).map((g) => g.at).sort((a, b) => a - b);
    if (rowGaps.length > 0) {
      const bands: number[][] = Array.from({ length: rowGaps.length + 1 }, () => []);
      for (const i of ids) {
        const cy = (rects[i]!.y1 + rects[i]!.y2) / 2;
        let b = 0;
        while (b < rowGaps.length && cy > rowGaps[b]!) b++;
        bands[b]!.push(i);
      }
      for (const band of bands) visit(band, false);
      return;
    }
    // Overlapping lines with no clean cut: group into rows by vertical overlap, left to right within a row.
    const sorted = [...ids].sort((a, b) => rects[a]!.y1 - rects[b]!.y1);
    const rows: number[][] = [];
    for (const i of sorted) {
      const r = rects[i]!;
      const row = rows.find((row) => row.some((j) => {
        const o = rects[j]!;
        const overlap = Math.min(o.y2, r.y2) - Math.max(o.y1, r.y1);
        return overlap > 0.5 * Math.min(o.y2 - o.y1, r.y2 - r.y1);
      }));
      if (row) row.push(i);
      else rows.push([i]);
    }
    for (const row of rows) columns[columns.length - 1]!.push(...row.sort((a, b) => rects[a]!.x1 - rects[b]!.x1));
  };

  visit(rects.map((_, i) => i), true);

  const order: number[] = [];
  const blockOf: number[] = new Array(rects.length).fill(0);
  let block = -1;
  for (const column of columns) {
    if (column.length === 0) continue;
    block++;
    let prevBottom = -Infinity;
    for (const i of column) {
      const r = rects[i]!;
      if (prevBottom !== -Infinity && r.y1 - prevBottom > params.paragraphGap * lineH) block++;
      prevBottom = Math.max(prevBottom === -Infinity ? r.y2 : prevBottom, r.y2);
      blockOf[i] = block;
      order.push(i);
    }
  }
  const rows = sideBySide(rects, columns, params.rowOffset);
  return { order, blockOf, blockCount: block + 1, rows, alignedX1: alignLeftEdges(rects, columns, rows, params.alignTolerance * lineH) };
}

/**
 * Runs of consecutive lines of a column (in reading order) that stand side by side: each next one to the right of
 * the last, their vertical centres within `maxOffset` of the shorter one's height, and no other line between them.
 */
function sideBySide(rects: readonly Rect[], columns: readonly (readonly number[])[], maxOffset: number): number[][] {
  const rows: number[][] = [];
  // Another line standing in the gap between a and b (a form's field between a label and the next label): over a
  // tenth of its height level with them. Boxes of neighbouring rows touch (DB pads each by a share of its height),
  // and a pixel or two in common is the next row of a table, not a line in this one.
  const between = (a: Rect, b: Rect) =>
    rects.some((c) => c !== a && c !== b && c.x1 < b.x1 && c.x2 > a.x2 && Math.min(c.y2, a.y2, b.y2) - Math.max(c.y1, Math.min(a.y1, b.y1)) > 0.1 * (c.y2 - c.y1));
  for (const column of columns) {
    let row: number[] = [];
    column.forEach((i, k) => {
      const prev = k > 0 ? rects[column[k - 1]!]! : undefined;
      const r = rects[i]!;
      const offset = prev ? Math.abs((prev.y1 + prev.y2) / 2 - (r.y1 + r.y2) / 2) : Infinity;
      if (prev && r.x1 >= prev.x2 - 0.1 * (prev.x2 - prev.x1) && offset <= maxOffset * Math.min(prev.y2 - prev.y1, r.y2 - r.y1) && !between(prev, r)) row.push(i);
      else {
        if (row.length > 1) rows.push(row);
        row = [i];
      }
    });
    if (row.length > 1) rows.push(row);
  }
  return rows;
}

/**
 * Left edges of lines that start a row (or stand alone) in one column, clustered from the leftmost: an edge within
 * `tolerance` of its cluster's leftmost takes that edge. Detected boxes of a justified column start a pixel or
 * two apart (their padding follows each line's ascenders and descenders); its margin is one. An indented first
 * line is its own cluster.
 */
function alignLeftEdges(rects: readonly Rect[], columns: readonly (readonly number[])[], rows: readonly (readonly number[])[], tolerance: number): number[] {
  const x1 = rects.map((r) => r.x1);
  const inner = new Set(rows.flatMap((row) => row.slice(1)));
  for (const column of columns) {
    const starts = column.filter((i) => !inner.has(i)).sort((a, b) => rects[a]!.x1 - rects[b]!.x1);
    let anchor = -Infinity;
    for (const i of starts) {
      if (rects[i]!.x1 - anchor > tolerance) anchor = rects[i]!.x1;
      x1[i] = anchor;
    }
  }
  return x1;
}
