/**
 * int8 pointwise convolutions for the recogniser on the CPU. In PP-LCNetV3, 1×1 convolutions that mix channels are
 * three quarters of the recogniser's time (ONNX Runtime profile: Conv 95% of kernel time; the 1×1 ones with group 1
 * about 75%, the wide late ones with 240 or 480 channels in most of it). Each chosen convolution is wrapped in
 * QuantizeLinear → DequantizeLinear pairs (QDQ) with ranges measured beforehand on line crops of pages in no
 * evaluation set (scripts/calibrate-models.ts), which ONNX Runtime fuses into QLinearConv: uint8 activations, int8
 * weights per output channel, int32 accumulation (VNNI where the CPU has it). Everything else (depthwise
 * convolutions, hard-swish, attention, the head) stays float: those have no int8 kernels in ONNX Runtime, so each
 * would pay a float round trip, and detection (3×3 convolutions at full resolution) gained nothing this way.
 */
import { attrInt, attrInts, Graph, onnx, type Node, type TensorProto } from './onnx-graph.ts';
import { DEFAULT_QUANTIZE, type QuantizeOptions, type Ranges, type TensorRange } from './quantize-options.ts';

const INT64 = 7;

/**
 * QLinearConv, which ONNX Runtime fuses the Q/DQ pairs into, needs opset 10; the recogniser is opset 9. Between the two
 * only Slice changed among the operators these models use (its starts, ends and axes became inputs), so a model is
 * raised to opset 10 by moving those attributes into constant inputs.
 */
function raiseToOpset10(model: InstanceType<typeof onnx.ModelProto>): void {
  const main = (model.opsetImport ?? []).find((o) => (o.domain ?? '') === '');
  if (!main || Number(main.version) >= 10) return;
  const inits = model.graph!.initializer!;
  let n = 0;
  for (const node of model.graph!.node ?? []) {
    if (node.opType !== 'Slice') continue;
    const ints = (name: string) => node.attribute?.find((a) => a.name === name)?.ints?.map(Number);
    const starts = ints('starts');
    const ends = ints('ends');
    if (!starts || !ends) continue;
    const axes = ints('axes') ?? starts.map((_, i) => i);
    const names = [starts, ends, axes].map((values) => {
      const name = `ocrdesk.slice.${n++}`;
      inits.push(tensor(name, [values.length], INT64, BigInt64Array.from(values, (v) => BigInt(v))));
      return name;
    });
    node.input = [node.input![0]!, ...names];
    node.attribute = (node.attribute ?? []).filter((a) => !['starts', 'ends', 'axes'].includes(a.name!));
  }
  main.version = 10;
}

const UINT8 = 2;
const INT8 = 3;
const INT32 = 6;
const FLOAT = 1;
/**
 * The models are opset 9, whose QuantizeLinear has no `axis` (per-channel weights need opset 13, which would change
 * the meaning of other operators in the graph): ONNX Runtime's own Q/DQ operators take it, and its QDQ fusion reads them.
 */
const MS = 'com.microsoft';

function tensor(name: string, dims: number[], dataType: number, data: ArrayBufferView): TensorProto {
  return onnx.TensorProto.create({ name, dims, dataType, rawData: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)) });
}

/** uint8 scale and zero point covering `r` (and 0, which must be exact for padding). */
export function uint8Params(r: TensorRange): { scale: number; zeroPoint: number } {
  const lo = Math.min(0, r.min);
  const hi = Math.max(0, r.max);
  const scale = hi > lo ? (hi - lo) / 255 : 1;
  return { scale, zeroPoint: Math.min(255, Math.max(0, Math.round(-lo / scale))) };
}

/** Symmetric int8 weights per output channel of an (O, I, kH, kW) kernel. */
export function quantizeWeights(w: Float32Array, outChannels: number): { q: Int8Array; scales: Float32Array } {
  const per = w.length / outChannels;
  const q = new Int8Array(w.length);
  const scales = new Float32Array(outChannels);
  for (let o = 0; o < outChannels; o++) {
    let amax = 0;
    for (let i = 0; i < per; i++) amax = Math.max(amax, Math.abs(w[o * per + i]!));
    const s = amax > 0 ? amax / 127 : 1;
    scales[o] = s;
    for (let i = 0; i < per; i++) q[o * per + i] = Math.max(-127, Math.min(127, Math.round(w[o * per + i]! / s)));
  }
  return { q, scales };
}

/**
 * The convolutions that {@link quantizePointwise} would rewrite: 1×1 with group 1, constant weights and at least
 * `minInputChannels` channels in, except the squeeze-and-excite ones that read a pooled (N, C, 1, 1) vector, which
 * are too small to gain anything.
 */
export function pointwiseConvs(g: Graph, options: QuantizeOptions = DEFAULT_QUANTIZE): Node[] {
  return g.nodes.filter((n) => {
    if (n.opType !== 'Conv') return false;
    const w = g.consts.get(n.input?.[1] ?? '');
    if (!w || w.dims.length !== 4) return false;
    const group = attrInt(n, 'group') ?? 1;
    const inC = w.dims[1]! * group;
    if (inC < options.minInputChannels) return false;
    const k = attrInts(n, 'kernel_shape');
    if (group !== 1 || k[0] !== 1 || k[1] !== 1) return false;
    return g.producer(n.input![0]!)?.opType !== 'GlobalAveragePool';
  });
}

/**
 * Rewrites each chosen pointwise convolution that has a range for its input and output into QDQ form. Returns the new
 * model bytes and how many convolutions were rewritten. Convolutions without both ranges stay float.
 */
export function quantizePointwise(bytes: Uint8Array, ranges: Ranges, options: QuantizeOptions = DEFAULT_QUANTIZE): { bytes: Uint8Array; quantized: number } {
  const model = onnx.ModelProto.decode(bytes);
  const g = new Graph(model);
  const inits = model.graph!.initializer!;
  raiseToOpset10(model);
  if (!(model.opsetImport ?? []).some((o) => o.domain === MS)) model.opsetImport = [...(model.opsetImport ?? []), onnx.OperatorSetIdProto.create({ domain: MS, version: 1 })];
  const added: Node[] = [];
  // One Q → DQ per float tensor, shared by every convolution that reads it.
  const dequantized = new Map<string, string>();
  const qdq = (name: string, r: TensorRange): string => {
    const have = dequantized.get(name);
    if (have) return have;
    const { scale, zeroPoint } = uint8Params(r);
    const s = `${name}.q.scale`;
    const z = `${name}.q.zero`;
    inits.push(tensor(s, [], FLOAT, new Float32Array([scale])), tensor(z, [], UINT8, new Uint8Array([zeroPoint])));
    added.push(
      onnx.NodeProto.create({ opType: 'QuantizeLinear', domain: MS, input: [name, s, z], output: [`${name}.q`] }),
      onnx.NodeProto.create({ opType: 'DequantizeLinear', domain: MS, input: [`${name}.q`, s, z], output: [`${name}.dq`] }),
    );
    dequantized.set(name, `${name}.dq`);
    return `${name}.dq`;
  };
  let quantized = 0;
  for (const conv of pointwiseConvs(g, options)) {
    const [x, wName, bName] = conv.input as string[];
    const y = conv.output![0]!;
    const rx = ranges[x!];
    const ry = ranges[y];
    if (!rx || !ry) continue;
    const w = g.consts.get(wName!)!;
    const out = w.dims[0]!;
    const { scale: sx } = uint8Params(rx);
    const { q, scales } = quantizeWeights(w.data, out);
    const bias = bName ? g.consts.get(bName)?.data : undefined;
    const id = `${y}.pw`;
    inits.push(
      tensor(`${id}.w`, w.dims, INT8, q),
      tensor(`${id}.w.scale`, [out], FLOAT, scales),
      tensor(`${id}.w.zero`, [out], INT8, new Int8Array(out)),
    );
    added.push(onnx.NodeProto.create({ opType: 'DequantizeLinear', domain: MS, input: [`${id}.w`, `${id}.w.scale`, `${id}.w.zero`], output: [`${id}.wdq`], attribute: [{ name: 'axis', type: 2, i: 0 }] }));
    const inputs = [qdq(x!, rx), `${id}.wdq`];
    if (bias) {
      // int32 bias at the scale of input × weight, as QLinearConv expects.
      const bs = Float32Array.from(scales, (s) => s * sx);
      inits.push(
        tensor(`${id}.b`, [out], INT32, Int32Array.from(bias, (b, o) => Math.round(b / bs[o]!))),
        tensor(`${id}.b.scale`, [out], FLOAT, bs),
        tensor(`${id}.b.zero`, [out], INT32, new Int32Array(out)),
      );
      added.push(onnx.NodeProto.create({ opType: 'DequantizeLinear', domain: MS, input: [`${id}.b`, `${id}.b.scale`, `${id}.b.zero`], output: [`${id}.bdq`], attribute: [{ name: 'axis', type: 2, i: 0 }] }));
      inputs.push(`${id}.bdq`);
    }
    conv.input = inputs;
    // The float result keeps its name for the nodes that read it; the convolution writes the quantized one.
    const { scale, zeroPoint } = uint8Params(ry);
    conv.output = [`${y}.raw`];
    inits.push(tensor(`${id}.y.scale`, [], FLOAT, new Float32Array([scale])), tensor(`${id}.y.zero`, [], UINT8, new Uint8Array([zeroPoint])));
    added.push(
      onnx.NodeProto.create({ opType: 'QuantizeLinear', domain: MS, input: [`${y}.raw`, `${id}.y.scale`, `${id}.y.zero`], output: [`${y}.yq`] }),
      onnx.NodeProto.create({ opType: 'DequantizeLinear', domain: MS, input: [`${y}.yq`, `${id}.y.scale`, `${id}.y.zero`], output: [y] }),
    );
    quantized++;
  }
  // Nodes in topological order: each added node right after the producer of its first input.
  const order: Node[] = [];
  const pending = new Set(added);
  const ready = new Set<string>([...(model.graph!.input ?? []).map((i) => i.name!), ...inits.map((i) => i.name!)]);
  const all = [...g.nodes, ...added];
  const remaining = new Set(all);
  while (remaining.size) {
    let progressed = false;
    for (const n of remaining) {
      if ((n.input ?? []).every((i) => i === '' || ready.has(i))) {
        order.push(n);
        for (const o of n.output ?? []) ready.add(o);
        remaining.delete(n);
        pending.delete(n);
        progressed = true;
      }
    }
    if (!progressed) throw new Error('quantizePointwise: the graph has a cycle or a missing input');
  }
  g.nodes = order;
  g.finish();
  // The float weights and biases of the rewritten convolutions are read by nothing now (ONNX Runtime would warn
  // about each one at every start).
  const used = new Set([...(model.graph!.node ?? []).flatMap((n) => n.input ?? []), ...[...(model.graph!.input ?? []), ...(model.graph!.output ?? [])].map((v) => v.name!)]);
  model.graph!.initializer = inits.filter((t) => used.has(t.name!));
  return { bytes: onnx.ModelProto.encode(model).finish(), quantized };
}
