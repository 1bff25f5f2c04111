/**
 * Pages per second over a sliding window, and the time left at that rate. Pure: the caller passes the clock.
 */
export interface RateOptions {
  /** Width of the window the rate is measured over. @default 30000 */
  readonly windowMs?: number;
}

export class RateMeter {
  readonly #windowMs: number;
  readonly #events: { at: number; pages: number }[] = [];

  constructor(options: RateOptions = {}) {
    this.#windowMs = options.windowMs ?? 30_000;
  }

  /** Records `pages` finished at time `at` (ms). */
  add(at: number, pages = 1): void {
    this.#events.push({ at, pages });
    this.#trim(at);
  }

  /** Pages per second over the window ending at `now`; 0 until two moments are known. */
  rate(now: number): number {
    this.#trim(now);
    const first = this.#events[0];
    if (!first) return 0;
    const span = Math.max(now - first.at, 1);
    const pages = this.#events.reduce((n, e) => n + e.pages, 0);
    return span < 1000 && this.#events.length < 2 ? 0 : (pages * 1000) / Math.max(span, 1000);
  }

  /** Seconds until `remaining` pages are done at the current rate; undefined while the rate is unknown. */
  etaSeconds(now: number, remaining: number): number | undefined {
    if (remaining <= 0) return 0;
    const r = this.rate(now);
    return r > 0 ? remaining / r : undefined;
  }

  #trim(now: number): void {
    while (this.#events.length > 0 && this.#events[0]!.at < now - this.#windowMs) this.#events.shift();
  }
}
