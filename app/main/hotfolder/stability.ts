/**
 * When a file is complete: its size and modification time have not changed for `stableMs`. Pure; the caller
 * passes what it saw and when. (The hot folder also checks that the file opens for reading before taking it.)
 */
export interface Observation {
  readonly size: number;
  readonly mtimeMs: number;
}

interface Seen extends Observation {
  /** When this size and mtime were first seen. */
  readonly since: number;
}

export class StabilityTracker {
  readonly stableMs: number;
  readonly #seen = new Map<string, Seen>();

  constructor(stableMs: number) {
    this.stableMs = stableMs;
  }

  /**
   * Records what `key` looks like at `now`; true when it has looked the same for at least stableMs. A change of
   * size or mtime restarts the wait.
   */
  observe(key: string, o: Observation, now: number): boolean {
    const prev = this.#seen.get(key);
    if (!prev || prev.size !== o.size || prev.mtimeMs !== o.mtimeMs) {
      this.#seen.set(key, { size: o.size, mtimeMs: o.mtimeMs, since: now });
      return false; // never on first sight: a file must be seen unchanged twice
    }
    return now - prev.since >= this.stableMs;
  }

  /** When `key` will be stable if it does not change; undefined if it is not being watched. */
  stableAt(key: string): number | undefined {
    const s = this.#seen.get(key);
    return s && s.since + this.stableMs;
  }

  forget(key: string): void {
    this.#seen.delete(key);
  }

  get size(): number {
    return this.#seen.size;
  }

  keys(): IterableIterator<string> {
    return this.#seen.keys();
  }
}
