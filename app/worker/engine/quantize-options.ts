/**
 * The options and value ranges of graph-quantize.ts, apart from it: the engine's parameters and a worker's start read
 * these, and graph-quantize.ts loads the ONNX protobuf code (~15 ms of a start) that only a model being rewritten needs.
 */

/** Observed value range of a tensor, by name. */
export interface TensorRange {
  readonly min: number;
  readonly max: number;
}

export type Ranges = Readonly<Record<string, TensorRange>>;

export interface QuantizeOptions {
  /**
   * Pointwise convolutions with fewer input channels stay float. The early, narrow ones are a small share of the work
   * and cost the most accuracy: on sroie-dev, 240 kept the CER within 0.0016 of float's and 16 lost 0.0026.
   * @default 240
   */
  readonly minInputChannels: number;
}

export const DEFAULT_QUANTIZE: QuantizeOptions = { minInputChannels: 240 };
