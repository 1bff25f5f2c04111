/**
 * Limits that keep one client from taking the node down: a rate per API key (token bucket: `rate` requests a
 * second, `burst` at once; 429 with Retry-After), a cap on uploads in progress (503 with Retry-After), and JSON
 * bodies bounded in size and depth (a body nested 100,000 deep is refused before it is parsed).
 */
import type { IncomingMessage } from 'node:http';
import { BusyError, InvalidOptionError, PayloadTooLargeError, RateLimitedError } from '../../common/errors.ts';

export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #rate: number;
  readonly #burst: number;

  /** `rate` 0: no limit. */
  constructor(rate: number, burst: number) {
    this.#rate = rate;
    this.#burst = Math.max(1, burst);
  }

  /** Takes one request from `who`'s bucket; throws {@link RateLimitedError} when it is empty. */
  take(who: string, now = performance.now()): void {
    if (this.#rate <= 0) return;
    let b = this.#buckets.get(who);
    if (!b) {
      if (this.#buckets.size > 100_000) this.#buckets.clear();
      b = { tokens: this.#burst, at: now };
      this.#buckets.set(who, b);
    }
    b.tokens = Math.min(this.#burst, b.tokens + ((now - b.at) / 1000) * this.#rate);
    b.at = now;
    if (b.tokens < 1) {
      const wait = Math.max(1, Math.ceil((1 - b.tokens) / this.#rate));
      throw new RateLimitedError(`Too many requests for this API key (at most ${this.#rate} a second, ${this.#burst} at once); try again in ${wait} s.`, wait);
    }
    b.tokens -= 1;
  }
}

/** At most `max` of something at once (uploads being received). */
export class Gate {
  #active = 0;
  readonly #max: number;
  constructor(max: number) {
    this.#max = max;
  }

  get active(): number {
    return this.#active;
  }

  /** Enters, or throws {@link BusyError}; returns the function that leaves. */
  enter(what: string): () => void {
    if (this.#active >= this.#max) throw new BusyError(`${this.#max} ${what} are in progress, the most this OCR Desk takes at once; try again shortly.`, 2);
    this.#active++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.#active--;
    };
  }
}

export const MAX_JSON_BYTES = 1024 * 1024;
export const MAX_JSON_DEPTH = 32;

/** How deep a JSON text nests (brackets outside strings). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) max = Math.max(max, ++depth);
    else if (c === 93 || c === 125) depth--;
  }
  return max;
}

/** A JSON object body (empty: `{}`); size, type, syntax, depth and shape each refused with their own message. */
export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = req.headers['content-type'] ?? '';
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_JSON_BYTES) throw new PayloadTooLargeError(`A request body may be at most ${MAX_JSON_BYTES / 1024} KiB of JSON.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_JSON_BYTES) throw new PayloadTooLargeError(`A request body may be at most ${MAX_JSON_BYTES / 1024} KiB of JSON.`);
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  if (!type.toLowerCase().startsWith('application/json')) throw new InvalidOptionError('Send the request body as application/json.');
  const text = Buffer.concat(chunks).toString('utf8');
  if (jsonDepth(text) > MAX_JSON_DEPTH) throw new InvalidOptionError(`The request body nests deeper than ${MAX_JSON_DEPTH} levels; no request needs that.`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidOptionError('The request body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidOptionError('The request body must be a JSON object.');
  return value as Record<string, unknown>;
}
