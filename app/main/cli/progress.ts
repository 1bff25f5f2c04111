/**
 * Progress on stderr. On a terminal: one bar redrawn in place (pages done/total, pages/s, ETA), with failed files
 * printed above it as they happen. Elsewhere (a pipe, a log file, CI): one line per finished file.
 */
import { displayText, formatDuration } from './summary.ts';

export type FileOutcome =
  | { readonly path: string; readonly ok: true; readonly pages: number; readonly ms: number }
  | { readonly path: string; readonly ok: false; readonly kind: string; readonly message: string };

export interface ProgressReporter {
  /** Called once the page count is known. */
  start(files: number, pages: number): void;
  page(): void;
  /** Pages that will not be done after all (their file failed): they leave the total. */
  drop(pages: number): void;
  /** Files (and their pages) an earlier, interrupted run of the same batch finished. */
  resumed(files: number, pages: number): void;
  file(outcome: FileOutcome): void;
  /** Removes the bar (if any) so the summary starts on a clean line. */
  finish(): void;
}

export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export function createProgress(stream: ProgressStream, now: () => number = () => performance.now()): ProgressReporter {
  return stream.isTTY ? new BarProgress(stream, now) : new LineProgress(stream);
}

class LineProgress implements ProgressReporter {
  readonly #out: ProgressStream;
  #done = 0;
  #files = 0;
  constructor(out: ProgressStream) {
    this.#out = out;
  }
  start(files: number, pages: number): void {
    this.#files = files;
    this.#out.write(`OCR of ${files} file${files === 1 ? '' : 's'}, ${pages} page${pages === 1 ? '' : 's'}\n`);
  }
  page(): void {}
  drop(): void {}
  resumed(files: number): void {
    this.#done += files;
    this.#out.write(`Resuming: ${files} file${files === 1 ? ' was' : 's were'} done by an earlier run\n`);
  }
  file(o: FileOutcome): void {
    this.#done++;
    const n = `[${this.#done}/${this.#files}]`;
    if (o.ok) this.#out.write(`${n} ok     ${o.path} (${o.pages} page${o.pages === 1 ? '' : 's'}, ${formatDuration(o.ms)})\n`);
    else this.#out.write(`${n} FAILED ${o.path}: ${o.kind}: ${displayText(o.message)}\n`);
  }
  finish(): void {}
}

const REDRAW_MS = 100;

class BarProgress implements ProgressReporter {
  readonly #out: ProgressStream;
  readonly #now: () => number;
  #pages = 0;
  #done = 0;
  #failed = 0;
  /** Pages done by an earlier run: in the bar, not in the rate. */
  #carried = 0;
  #started = 0;
  #drawn = 0;
  #visible = false;
  constructor(out: ProgressStream, now: () => number) {
    this.#out = out;
    this.#now = now;
  }
  start(_files: number, pages: number): void {
    this.#pages = pages;
    this.#started = this.#now();
    this.#draw(true);
  }
  page(): void {
    this.#done++;
    this.#draw(this.#done === this.#pages);
  }
  drop(pages: number): void {
    this.#pages -= pages;
    this.#draw(this.#done === this.#pages);
  }
  resumed(_files: number, pages: number): void {
    this.#done += pages;
    this.#carried += pages;
    this.#draw(true);
  }
  file(o: FileOutcome): void {
    if (o.ok) return;
    this.#failed++;
    this.#clear();
    this.#out.write(`FAILED ${o.path}: ${displayText(o.message)}\n`);
    this.#draw(true);
  }
  finish(): void {
    this.#clear();
  }
  #clear(): void {
    if (this.#visible) this.#out.write('\r\x1b[2K');
    this.#visible = false;
  }
  #draw(force: boolean): void {
    const t = this.#now();
    if (!force && t - this.#drawn < REDRAW_MS) return;
    this.#drawn = t;
    const elapsed = t - this.#started;
    const rate = elapsed > 0 ? ((this.#done - this.#carried) * 1000) / elapsed : 0;
    const eta = rate > 0 ? formatDuration(((this.#pages - this.#done) / rate) * 1000) : '–';
    const tail = ` ${this.#done}/${this.#pages} pages  ${rate.toFixed(2)} pages/s  ETA ${eta}${this.#failed ? `  ${this.#failed} failed` : ''}`;
    const width = Math.max(10, Math.min(40, (this.#out.columns || 80) - tail.length - 3));
    const filled = this.#pages > 0 ? Math.round((width * this.#done) / this.#pages) : width;
    this.#out.write(`\r\x1b[2K[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]${tail}`);
    this.#visible = true;
  }
}
