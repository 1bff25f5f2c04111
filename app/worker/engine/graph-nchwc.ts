/**
 * Exact rewrites that keep ONNX Runtime's CPU convolutions in its blocked NCHWc layout.
 *
 * With `graphOptimizationLevel: 'all'` ONNX Runtime runs Conv in NCHWc, but an elementwise op with a per-channel
 * or scalar constant (Add(x, c[1,C,1,1]), Mul → Add) is not an NCHWc op: each one costs a ReorderOutput, the op
 * in NCHW, and a ReorderInput. PP-LCNetV3 leaves such an op after most activations (the shift of its learnable
 * affine block that cannot fold into the next conv because that conv pads with zeros), and profiled they took ~20%
 * of recognition and ~30% of detection. Here:
 *  - a per-channel affine x·a + b on a conv's output becomes a depthwise 1×1 Conv (weight a, bias b), which stays
 *    in NCHWc;
 *  - the squeeze-excite residual x + x·s becomes x·(s + 1), one full-size pass instead of two.
 * Both are exact up to float rounding; test/engine/graph-rewrite.test.ts compares outputs before and after.
 */
import type { Graph} from './onnx-graph.ts';
import { convWeights, onnx, type Node } from './onnx-graph.ts';

export interface NchwcStats {
  readonly affineAsConv: number;
  readonly residualScale: number;
}

/** Ops that keep their input's channel count: the activations the exporter and fuseHardSwish leave after a conv. */
const CHANNEL_PRESERVING = new Set(['HardSigmoid', 'Mul', 'Relu', 'Sigmoid', 'HardSwish']);

/** C of an (N, C, H, W) tensor produced by a Conv, possibly through channel-preserving activations; else undefined. */
function convChannels(g: Graph, name: string, depth = 0): number | undefined {
  const producer = g.producer(name);
  if (!producer || depth > 4) return undefined;
  if (producer.opType === 'Conv') return convWeights(g, producer)?.w.dims[0];
  if (!CHANNEL_PRESERVING.has(producer.opType ?? '')) return undefined;
  for (const input of producer.input ?? []) {
    if (g.consts.has(input)) continue;
    const c = convChannels(g, input, depth + 1);
    if (c !== undefined) return c;
  }
  return undefined;
}

/** A binary node's constant operand as C per-channel values (scalar or (1,C,1,1)/(C,1,1)); else undefined. */
function perChannel(g: Graph, node: Node, x: string, channels: number): Float32Array | undefined {
  const inputs = node.input ?? [];
  if (inputs.length !== 2 || !inputs.includes(x)) return undefined;
  const t = g.consts.get(inputs[0] === x ? inputs[1]! : inputs[0]!);
  if (!t) return undefined;
  if (t.data.length === 1) return new Float32Array(channels).fill(t.data[0]!);
  const d = t.dims;
  const ok = t.data.length === channels && ((d.length === 4 && d[0] === 1 && d[2] === 1 && d[3] === 1) || (d.length === 3 && d[1] === 1 && d[2] === 1));
  return ok ? t.data : undefined;
}

/** [Mul(x, a) →] Add(·, b) on a conv output  ⇒  Conv(x; weight a as (C,1,1,1), bias b, group C). */
function affineAsConv(g: Graph): number {
  let replaced = 0;
  for (const add of g.nodes.filter((n) => n.opType === 'Add')) {
    const x0 = add.input?.find((i) => !g.consts.has(i));
    if (x0 === undefined) continue;
    // The Mul is taken along only when the Add is its one consumer.
    const mul = g.producer(x0);
    const withMul = mul?.opType === 'Mul' && g.only(x0) === add ? mul : undefined;
    const mulX = withMul?.input?.find((i) => !g.consts.has(i));
    const x = mulX !== undefined && (withMul!.input ?? []).some((i) => g.consts.has(i)) ? mulX : x0;
    const channels = convChannels(g, x);
    if (channels === undefined) continue;
    const b = perChannel(g, add, x0, channels);
    if (!b) continue;
    const a = x === x0 ? new Float32Array(channels).fill(1) : perChannel(g, withMul!, x, channels);
    if (!a) continue;
    const conv = onnx.NodeProto.create({
      opType: 'Conv',
      input: [x, g.addConst('dw.w', [channels, 1, 1, 1], Float32Array.from(a)), g.addConst('dw.b', [channels], Float32Array.from(b))],
      output: [add.output![0]!],
      attribute: [
        onnx.AttributeProto.create({ name: 'group', type: onnx.AttributeProto.AttributeType.INT, i: channels }),
        onnx.AttributeProto.create({ name: 'kernel_shape', type: onnx.AttributeProto.AttributeType.INTS, ints: [1, 1] }),
      ],
    });
    g.nodes.splice(g.nodes.indexOf(add), 1, conv);
    if (x !== x0) g.remove(withMul!);
    replaced++;
  }
  return replaced;
}

/** Add(x, Mul(x, s)), the Mul read only there  ⇒  Mul(x, Add(s, 1)): s is (N,C,1,1), so the new Add is tiny. */
function residualScale(g: Graph): number {
  let rewritten = 0;
  for (const add of g.nodes.filter((n) => n.opType === 'Add' && n.input?.length === 2)) {
    const [p, q] = add.input as [string, string];
    for (const [x, m] of [[p, q], [q, p]] as const) {
      const mul = g.producer(m);
      if (!mul || mul.opType !== 'Mul' || g.only(m) !== add || !mul.input?.includes(x)) continue;
      const s = mul.input.find((i) => i !== x);
      if (s === undefined || g.consts.has(s) || g.consts.has(x)) continue;
      const s1 = `${m}.plus1`;
      const plusOne = onnx.NodeProto.create({ opType: 'Add', input: [s, g.addConst('one', [1], new Float32Array([1]))], output: [s1] });
      const scale = onnx.NodeProto.create({ opType: 'Mul', input: [x, s1], output: [add.output![0]!] });
      g.nodes.splice(g.nodes.indexOf(add), 1, plusOne, scale);
      g.remove(mul);
      rewritten++;
      break;
    }
  }
  return rewritten;
}

/** Applies both rewrites to `g` (after the folds of graph-rewrite.ts, so only unfoldable affines remain). */
export function keepNchwc(g: Graph): NchwcStats {
  const residual = residualScale(g);
  return { affineAsConv: affineAsConv(g), residualScale: residual };
}
