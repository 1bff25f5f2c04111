/**
 * Reusable float buffers for model inputs. A page allocates ~15 MB of short-lived input tensors (detection input,
 * recognition batches); reusing them spares the garbage collector, which took ~2.5% of a worker's time.
 */
export class FloatScratch {
  #spare: Float32Array | undefined;

  /**
   * A buffer of exactly `length` floats with unspecified contents, the spare one when it is free and big enough.
   * Hand it back with {@link release} once the model has run; concurrent borrowers get fresh buffers.
   */
  borrow(length: number): Float32Array {
    const spare = this.#spare;
    if (spare && spare.length >= length) {
      this.#spare = undefined;
      return spare.subarray(0, length);
    }
    return new Float32Array(length);
  }

  /** Keeps the larger of `buffer`'s storage and the current spare for the next borrower. */
  release(buffer: Float32Array): void {
    const whole = new Float32Array(buffer.buffer, 0, buffer.buffer.byteLength / 4);
    if (!this.#spare || whole.length > this.#spare.length) this.#spare = whole;
  }
}
