/**
 * A small mutable view of an ONNX graph for the exact rewrites in graph-rewrite.ts and graph-nchwc.ts: constants
 * (Constant nodes and initializers) decoded to float32, single-consumer lookups, and fresh constants.
 */
import onnxProto from 'onnx-proto';

export const { onnx } = onnxProto;
type Model = InstanceType<typeof onnx.ModelProto>;
export type Node = InstanceType<typeof onnx.NodeProto>;
export type TensorProto = InstanceType<typeof onnx.TensorProto>;

const FLOAT = 1;

export interface ConstTensor {
  readonly dims: number[];
  readonly data: Float32Array;
}


export function readTensor(t: TensorProto): ConstTensor | undefined {
  if (t.dataType !== FLOAT) return undefined;
  const dims = (t.dims ?? []).map(Number);
  if (t.rawData && t.rawData.length) {
    const copy = new Uint8Array(t.rawData);
    return { dims, data: new Float32Array(copy.buffer, 0, copy.length / 4) };
  }
  return { dims, data: Float32Array.from(t.floatData ?? []) };
}

export function makeTensor(name: string, dims: number[], data: Float32Array): TensorProto {
  return onnx.TensorProto.create({ name, dims, dataType: FLOAT, rawData: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)) });
}

export class Graph {
  readonly model: Model;
  readonly consts = new Map<string, ConstTensor>();
  readonly constNodes = new Map<string, Node>();
  nodes: Node[];
  #counter = 0;

  constructor(model: Model) {
    this.model = model;
    const g = model.graph!;
    this.nodes = [...(g.node ?? [])] as Node[];
    for (const n of this.nodes) {
      if (n.opType !== 'Constant') continue;
      const attr = n.attribute?.find((a) => a.name === 'value');
      const t = attr?.t ? readTensor(attr.t as TensorProto) : undefined;
      if (t) {
        this.consts.set(n.output![0]!, t);
        this.constNodes.set(n.output![0]!, n);
      }
    }
    for (const init of g.initializer ?? []) {
      const t = readTensor(init as TensorProto);
      if (t) this.consts.set(init.name!, t);
    }
  }

  producer(name: string): Node | undefined {
    return this.nodes.find((n) => n.output?.includes(name));
  }

  consumers(name: string): Node[] {
    return this.nodes.filter((n) => n.input?.includes(name));
  }

  isGraphOutput(name: string): boolean {
    return (this.model.graph!.output ?? []).some((o) => o.name === name);
  }

  /** The single consumer of `name`, if there is exactly one and `name` is not a graph output. */
  only(name: string): Node | undefined {
    if (this.isGraphOutput(name)) return undefined;
    const c = this.consumers(name);
    return c.length === 1 ? c[0] : undefined;
  }

  addConst(prefix: string, dims: number[], data: Float32Array): string {
    const name = `ocrdesk.${prefix}.${this.#counter++}`;
    const node = onnx.NodeProto.create({
      opType: 'Constant',
      output: [name],
      attribute: [onnx.AttributeProto.create({ name: 'value', type: onnx.AttributeProto.AttributeType.TENSOR, t: makeTensor(name, dims, data) })],
    });
    this.nodes.unshift(node);
    this.consts.set(name, { dims, data });
    this.constNodes.set(name, node);
    return name;
  }

  setConst(name: string, data: Float32Array): void {
    const t = this.consts.get(name)!;
    this.consts.set(name, { dims: t.dims, data });
    const node = this.constNodes.get(name);
    if (node) node.attribute![0]!.t = makeTensor(name, t.dims, data);
    else {
      const init = this.model.graph!.initializer!.find((i) => i.name === name)!;
      Object.assign(init, makeTensor(name, t.dims, data));
    }
  }

  remove(...nodes: Node[]): void {
    const drop = new Set(nodes);
    this.nodes = this.nodes.filter((n) => !drop.has(n));
  }

  /** Drops Constant nodes nothing reads any more. */
  prune(): void {
    const used = new Set(this.nodes.flatMap((n) => n.input ?? []));
    for (const o of this.model.graph!.output ?? []) used.add(o.name!);
    this.nodes = this.nodes.filter((n) => n.opType !== 'Constant' || used.has(n.output![0]!));
  }

  finish(): void {
    this.model.graph!.node = this.nodes;
  }
}

export const attrInt = (n: Node, name: string): number | undefined => {
  const a = n.attribute?.find((x) => x.name === name);
  return a ? Number(a.i) : undefined;
};
export const attrInts = (n: Node, name: string): number[] => (n.attribute?.find((x) => x.name === name)?.ints ?? []).map(Number);
export const attrFloat = (n: Node, name: string): number | undefined => n.attribute?.find((x) => x.name === name)?.f ?? undefined;

/** The constant operand of a binary node whose other operand is `name`, as per-channel values for `channels`. */
export function channelConst(g: Graph, node: Node, name: string, channels: number): Float32Array | undefined {
  const inputs = node.input ?? [];
  if (inputs.length !== 2) return undefined;
  const other = inputs[0] === name ? inputs[1]! : inputs[1] === name ? inputs[0]! : undefined;
  if (other === undefined) return undefined;
  const t = g.consts.get(other);
  if (!t) return undefined;
  if (t.data.length === 1) return new Float32Array(channels).fill(t.data[0]!);
  // Broadcast over (N, C, H, W): only shapes that are per-channel.
  const d = t.dims;
  const perChannel =
    t.data.length === channels &&
    ((d.length === 4 && d[0] === 1 && d[1] === channels && d[2] === 1 && d[3] === 1) || (d.length === 3 && d[0] === channels && d[1] === 1 && d[2] === 1));
  return perChannel ? t.data : undefined;
}

export function scalarConst(g: Graph, node: Node, name: string): number | undefined {
  const other = node.input?.find((i) => i !== name);
  const t = other !== undefined ? g.consts.get(other) : undefined;
  return t && t.data.length === 1 ? t.data[0] : undefined;
}

export function convWeights(g: Graph, conv: Node): { w: ConstTensor; wName: string; bias: Float32Array; bName?: string } | undefined {
  const [, wName, bName] = conv.input ?? [];
  const w = wName ? g.consts.get(wName) : undefined;
  if (!w || w.dims.length !== 4) return undefined;
  const outC = w.dims[0]!;
  if (bName) {
    const b = g.consts.get(bName);
    if (!b || b.data.length !== outC) return undefined;
    return { w, wName: wName!, bias: b.data, bName };
  }
  return { w, wName: wName!, bias: new Float32Array(outC) };
}
