/**
 * Page pictures from the service (`getPageImage`) as blob URLs, cached per document, page and size. At most two
 * are fetched at a time: the service renders them on its OCR workers, and a browser holds only six connections
 * per host, so a burst of thumbnails must not hold back the requests that show text.
 */
import type { OcrClient } from '../../common/api/client.ts';

export class PageImages {
  readonly #cache = new Map<string, Promise<string>>();
  readonly #waiting: (() => void)[] = [];
  /** Deleted documents: their pictures still waiting for a turn are not asked for. */
  readonly #forgotten = new Set<number>();
  readonly #client: OcrClient;
  readonly #concurrency: number;
  #active = 0;

  constructor(client: OcrClient, concurrency = 2) {
    this.#client = client;
    this.#concurrency = concurrency;
  }

  /** A blob URL of the page's picture with its longer side at most `maxSide`. */
  url(documentId: number, page: number, maxSide: number): Promise<string> {
    const key = `${documentId}:${page}:${maxSide}`;
    let entry = this.#cache.get(key);
    if (!entry) {
      entry = this.#limited(async () => {
        if (this.#forgotten.has(documentId)) throw new Error(`document ${documentId} was deleted`);
        const image = await this.#client.getPageImage({ documentId, page, maxSide });
        return URL.createObjectURL(new Blob([image.data as Uint8Array<ArrayBuffer>], { type: image.mediaType }));
      });
      entry.catch(() => this.#cache.delete(key)); // a failed picture is asked for again next time
      this.#cache.set(key, entry);
    }
    return entry;
  }

  /** Frees the pictures of a deleted document. */
  forget(documentId: number): void {
    this.#forgotten.add(documentId);
    for (const [key, entry] of this.#cache) {
      if (!key.startsWith(`${documentId}:`)) continue;
      this.#cache.delete(key);
      void entry.then((url) => URL.revokeObjectURL(url), () => undefined);
    }
  }

  async #limited<T>(task: () => Promise<T>): Promise<T> {
    if (this.#active >= this.#concurrency) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#active++;
    try {
      return await task();
    } finally {
      this.#active--;
      this.#waiting.shift()?.();
    }
  }
}
