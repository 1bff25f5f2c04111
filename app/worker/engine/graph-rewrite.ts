/**
 * Exact algebraic rewrites of PaddleOCR's exported ONNX graphs, applied in memory before the session is built.
 *
 * PP-LCNetV3 (the backbone of the PP-OCRv4 mobile models) follows every convolution with a learnable affine
 * block (x·a + b), a hard-swish spelled out as Add → Clip → Mul → Div, and a second affine block. The exporter left
 * each as separate elementwise nodes (opset 9, constants as Constant nodes), and ONNX Runtime fuses none of them:
 * profiled, those elementwise nodes took ~40% of recognition time. Here:
 *  - affine ops right after a Conv fold into its weights and bias;
 *  - the hard-swish becomes HardSigmoid(α=1/6, β=0.5) · x (two passes instead of four);
 *  - an affine op right before a Conv folds into it (fully when the Conv has no padding; otherwise the scale only,
 *    since padded borders must keep seeing zeros).
 * Every rewrite is exact up to float rounding; the tests compare outputs before and after.
 */
import { keepNchwc } from './graph-nchwc.ts';
import { attrInt, attrInts, attrFloat, channelConst, convWeights, Graph, onnx, scalarConst, type Node } from './onnx-graph.ts';

export interface RewriteStats {
  readonly foldedAfterConv: number;
  readonly foldedBeforeConv: number;
  readonly hardSwish: number;
  /** graph-nchwc.ts: affine ops turned into depthwise 1×1 convs, and x + x·s turned into x·(s + 1). */
  readonly affineAsConv: number;
  readonly residualScale: number;
  readonly nodesBefore: number;
  readonly nodesAfter: number;
}

/** Conv → (Mul c | Add c)* : fold the per-output-channel affine chain into the conv. */
function foldAfterConv(g: Graph): number {
  let folded = 0;
  for (const conv of g.nodes.filter((n) => n.opType === 'Conv')) {
    const cw = convWeights(g, conv);
    if (!cw) continue;
    const outC = cw.w.dims[0]!;
    const per = cw.w.data.length / outC;
    const w = Float32Array.from(cw.w.data);
    const bias = Float32Array.from(cw.bias);
    let out = conv.output![0]!;
    const eaten: Node[] = [];
    for (;;) {
      const next = g.only(out);
      if (!next || (next.opType !== 'Mul' && next.opType !== 'Add')) break;
      const c = channelConst(g, next, out, outC);
      if (!c) break;
      for (let o = 0; o < outC; o++) {
        if (next.opType === 'Mul') {
          for (let k = 0; k < per; k++) w[o * per + k]! *= c[o]!;
          bias[o]! *= c[o]!;
        } else bias[o]! += c[o]!;
      }
      eaten.push(next);
      out = next.output![0]!;
    }
    if (!eaten.length) continue;
    // Weights may be shared by another conv: write fresh constants.
    conv.input![1] = g.addConst('w', cw.w.dims, w);
    const bName = g.addConst('b', [outC], bias);
    if (conv.input!.length > 2) conv.input![2] = bName;
    else conv.input!.push(bName);
    conv.output![0] = out;
    g.remove(...eaten);
    folded += eaten.length;
  }
  return folded;
}

/** Clip bounds are attributes up to opset 10 and constant inputs from opset 11. */
function clipsTo(g: Graph, clip: Node, min: number, max: number): boolean {
  const inputs = clip.input ?? [];
  if (inputs.length === 1) return attrFloat(clip, 'min') === min && attrFloat(clip, 'max') === max;
  const bound = (name: string | undefined) => (name ? g.consts.get(name) : undefined);
  const lo = bound(inputs[1]);
  const hi = bound(inputs[2]);
  return lo?.data.length === 1 && hi?.data.length === 1 && lo.data[0] === min && hi.data[0] === max;
}

/** Add(x, 3) → Clip(0, 6) → Mul(x, ·) → Div(·, 6)  ⇒  HardSigmoid(x; 1/6, 0.5) → Mul(x, ·). */
function fuseHardSwish(g: Graph): number {
  let fused = 0;
  for (const add of g.nodes.filter((n) => n.opType === 'Add')) {
    const x = add.input?.find((i) => !g.consts.has(i));
    if (x === undefined || scalarConst(g, add, x) !== 3) continue;
    const clip = g.only(add.output![0]!);
    if (!clip || clip.opType !== 'Clip' || !clipsTo(g, clip, 0, 6)) continue;
    const mul = g.only(clip.output![0]!);
    if (!mul || mul.opType !== 'Mul' || !mul.input?.includes(x)) continue;
    const div = g.only(mul.output![0]!);
    if (!div || div.opType !== 'Div' || div.input?.[0] !== mul.output![0] || scalarConst(g, div, mul.output![0]!) !== 6) continue;
    const hs = `ocrdesk.hardsigmoid.${fused}`;
    const hsNode = onnx.NodeProto.create({
      opType: 'HardSigmoid',
      input: [x],
      output: [hs],
      attribute: [
        onnx.AttributeProto.create({ name: 'alpha', type: onnx.AttributeProto.AttributeType.FLOAT, f: 1 / 6 }),
        onnx.AttributeProto.create({ name: 'beta', type: onnx.AttributeProto.AttributeType.FLOAT, f: 0.5 }),
      ],
    });
    const mulNode = onnx.NodeProto.create({ opType: 'Mul', input: [x, hs], output: [div.output![0]!] });
    const at = g.nodes.indexOf(add);
    g.nodes.splice(at, 0, hsNode, mulNode);
    g.remove(add, clip, mul, div);
    fused++;
  }
  return fused;
}

/** Mul(z, a) → Add(·, b) → Conv  ⇒  Conv with the affine folded in (see the module comment for padded convs). */
function foldBeforeConv(g: Graph): number {
  let folded = 0;
  for (const mul of g.nodes.filter((n) => n.opType === 'Mul')) {
    const z = mul.input?.find((i) => !g.consts.has(i));
    if (z === undefined) continue;
    const add = g.only(mul.output![0]!);
    if (!add || add.opType !== 'Add') continue;
    const conv = g.only(add.output![0]!);
    if (!conv || conv.opType !== 'Conv' || conv.input?.[0] !== add.output![0]) continue;
    const cw = convWeights(g, conv);
    if (!cw) continue;
    const [outC, inPerGroup, kh, kw] = cw.w.dims as [number, number, number, number];
    const group = attrInt(conv, 'group') ?? 1;
    const inC = inPerGroup * group;
    const a = channelConst(g, mul, z, inC);
    const b = channelConst(g, add, mul.output![0]!, inC);
    if (!a || !b) continue;
    const padded = attrInts(conv, 'pads').some((p) => p !== 0) || (conv.attribute?.some((x) => x.name === 'auto_pad' && String(x.s ?? '') !== 'NOTSET' && (x.s?.length ?? 0) > 0) ?? false);
    if (padded && a.some((v) => v === 0)) continue;
    const w = Float32Array.from(cw.w.data);
    const bias = Float32Array.from(cw.bias);
    const outPerGroup = outC / group;
    const k = kh * kw;
    for (let o = 0; o < outC; o++) {
      const gi = Math.floor(o / outPerGroup);
      for (let i = 0; i < inPerGroup; i++) {
        const ch = gi * inPerGroup + i;
        for (let t = 0; t < k; t++) {
          const idx = (o * inPerGroup + i) * k + t;
          if (!padded) bias[o]! += w[idx]! * b[ch]!;
          w[idx]! *= a[ch]!;
        }
      }
    }
    conv.input![1] = g.addConst('w', cw.w.dims, w);
    const bName = g.addConst('b', [outC], bias);
    if (conv.input!.length > 2) conv.input![2] = bName;
    else conv.input!.push(bName);
    if (padded) {
      // conv(a·z + b) = conv_a(z + b/a): keep the Add, with b/a, feeding the conv directly from z.
      const shifted = new Float32Array(inC);
      for (let c = 0; c < inC; c++) shifted[c] = b[c]! / a[c]!;
      add.input = [z, g.addConst('shift', [1, inC, 1, 1], shifted)];
      g.remove(mul);
    } else {
      conv.input![0] = z;
      g.remove(mul, add);
    }
    folded++;
  }
  return folded;
}

/** Applies the rewrites to a serialized ONNX model and returns the new bytes with what was done. */
export function rewriteGraph(bytes: Uint8Array): { bytes: Uint8Array; stats: RewriteStats } {
  const model = onnx.ModelProto.decode(bytes);
  const g = new Graph(model);
  const nodesBefore = g.nodes.filter((n) => n.opType !== 'Constant').length;
  const foldedAfterConv = foldAfterConv(g);
  const hardSwish = fuseHardSwish(g);
  const foldedBeforeConv = foldBeforeConv(g);
  const nchwc = keepNchwc(g);
  g.prune();
  g.finish();
  const nodesAfter = g.nodes.filter((n) => n.opType !== 'Constant').length;
  return {
    bytes: onnx.ModelProto.encode(model).finish(),
    stats: { foldedAfterConv, foldedBeforeConv, hardSwish, ...nchwc, nodesBefore, nodesAfter },
  };
}

/**
 * Keeps only some output classes of a CTC recognition model: the head's MatMul weights and bias lose the other
 * columns, and the softmax normalises over the kept classes alone. For an English page this cuts 6,625 classes to
 * ~200, which shrinks the largest matrix product of the head and the output every line copies and scans.
 * `keep` lists class indices in the order the new output should have them.
 */
export function keepClasses(bytes: Uint8Array, keep: readonly number[], classes?: number): Uint8Array {
  const model = onnx.ModelProto.decode(bytes);
  const g = new Graph(model);
  const outName = model.graph!.output![0]!.name!;
  const softmax = g.nodes.find((n) => n.output?.[0] === outName && n.opType === 'Softmax');
  const add = softmax && g.nodes.find((n) => n.output?.[0] === softmax.input?.[0] && n.opType === 'Add');
  const matmul = add && g.nodes.find((n) => add.input?.includes(n.output![0]!) && n.opType === 'MatMul');
  const wName = matmul?.input?.[1];
  const bName = add?.input?.find((i) => g.consts.has(i));
  const w = wName ? g.consts.get(wName) : undefined;
  const b = bName ? g.consts.get(bName) : undefined;
  if (!w || !b || w.dims.length !== 2 || b.data.length !== w.dims[1]) {
    throw new RangeError('keepClasses: the model does not end in MatMul → Add → Softmax with constant weights');
  }
  const [rows, cols] = w.dims as [number, number];
  if ((classes !== undefined && cols !== classes) || keep.some((c) => c >= cols)) {
    throw new RangeError(`the model has ${cols} output classes, not the ${classes ?? Math.max(...keep) + 1} its dictionary gives`);
  }
  const kw = new Float32Array(rows * keep.length);
  for (let r = 0; r < rows; r++) keep.forEach((c, j) => (kw[r * keep.length + j] = w.data[r * cols + c]!));
  matmul!.input![1] = g.addConst('head.w', [rows, keep.length], kw);
  add!.input = add!.input!.map((i) => (i === bName ? g.addConst('head.b', [keep.length], Float32Array.from(keep, (c) => b.data[c]!)) : i));
  const dims = model.graph!.output![0]!.type?.tensorType?.shape?.dim;
  const last = dims?.[dims.length - 1];
  if (last?.dimValue) last.dimValue = keep.length;
  g.prune();
  g.finish();
  return onnx.ModelProto.encode(model).finish();
}
