/**
 * The service's event fan-out: every adapter (CLI progress, SSE, Electron IPC) subscribes here. Events are numbered
 * in order; a listener that throws is skipped, never the others.
 */
import type { ServiceEvent, ServiceEventInput } from '../../common/api/events.ts';

export type EventListener = (event: ServiceEvent) => void;

export class EventHub {
  readonly #listeners = new Set<EventListener>();
  #seq = 0;

  emit(event: ServiceEventInput): void {
    const numbered = { ...event, seq: ++this.#seq } as ServiceEvent;
    for (const listener of [...this.#listeners]) {
      try {
        listener(numbered);
      } catch {
        // One subscriber's failure must not stop the others.
      }
    }
  }

  /** Adds a listener; returns the function that removes it (also called when `signal` aborts). */
  subscribe(listener: EventListener, signal?: AbortSignal): () => void {
    this.#listeners.add(listener);
    const stop = () => {
      this.#listeners.delete(listener);
      signal?.removeEventListener('abort', stop);
    };
    if (signal?.aborted) stop();
    else signal?.addEventListener('abort', stop, { once: true });
    return stop;
  }

  get size(): number {
    return this.#listeners.size;
  }
}

/**
 * Calls `fn` at most once per `ms`, the last call winning (for progress events). `cancel` drops a pending call;
 * `stop` does too and makes every later call do nothing (for what `fn` reads that is about to go away).
 */
export function throttle(fn: () => void, ms: number): { (): void; cancel(): void; stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let last = 0;
  let stopped = false;
  const call = () => {
    if (stopped) return;
    const wait = last + ms - Date.now();
    if (wait <= 0) {
      last = Date.now();
      fn();
    } else if (!timer) {
      timer = setTimeout(() => {
        timer = undefined;
        last = Date.now();
        fn();
      }, wait);
      timer.unref?.();
    }
  };
  call.cancel = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };
  call.stop = () => {
    stopped = true;
    call.cancel();
  };
  return call;
}
