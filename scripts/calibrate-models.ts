/**
 * Measures the value ranges that graph-quantize.ts needs: the input and output of every pointwise convolution of the
 * recognition model, on line crops from pages that are in no evaluation set (Tesseract's test images and the
 * scanned and mixed PDFs of ../shared/data, rendered with pdftoppm at 150 and 300 dpi). Each range is the one whose
 * uint8 grid gives the least squared error over a sample of the values seen (clipping rare outliers buys precision
 * for all the rest). Writes the pack's `int8-ranges.json`; run again after changing the model or graph-rewrite.ts.
 *
 *   node scripts/calibrate-models.ts [--models <pack folder>] [--out <file>]
 *
 * The default pack's folder and, in it, int8-ranges.json are the defaults. A pack with another recognition model
 * names the file written here in its manifest (`models.recognition.int8`, with the file's sha256).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { DEFAULT_MODEL_DIR, loadModelPack } from '../app/node/model-pack.ts';
import { decodeImage } from '../app/worker/decode.ts';
import { OcrEngine } from '../app/worker/engine/engine.ts';
import { DEFAULT_ENGINE_PARAMS } from '../app/worker/engine/params.ts';
import { pointwiseConvs, uint8Params } from '../app/worker/engine/graph-quantize.ts';
import type { TensorRange } from '../app/worker/engine/quantize-options.ts';
import { rewriteGraph } from '../app/worker/engine/graph-rewrite.ts';
import { Graph, onnx } from '../app/worker/engine/onnx-graph.ts';

const shared = path.resolve(import.meta.dirname, '..', '..', 'shared', 'data');
const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const packDir = path.resolve(arg('--models') ?? DEFAULT_MODEL_DIR);
const out = path.resolve(arg('--out') ?? path.join(packDir, 'int8-ranges.json'));

// 1. Pages: the test images, and the first two pages of each scanned or mixed PDF at 150 and 300 dpi.
const tmp = mkdtempSync(path.join(tmpdir(), 'ocr-desk-calibrate-'));
const pages: string[] = readdirSync(path.join(shared, 'images'))
  .filter((f) => /\.(png|tif)$/.test(f))
  .map((f) => path.join(shared, 'images', f));
for (const kind of ['scanned', 'mixed']) {
  for (const pdf of readdirSync(path.join(shared, 'pdfs', kind)).filter((f) => f.endsWith('.pdf') && f !== '2400dpi.pdf')) {
    for (const dpi of [150, 300]) {
      const prefix = path.join(tmp, `${kind}-${path.basename(pdf, '.pdf')}-${dpi}`);
      try {
        execFileSync('pdftoppm', ['-r', String(dpi), '-l', '2', '-png', path.join(shared, 'pdfs', kind, pdf), prefix], { stdio: 'ignore', timeout: 60_000 });
      } catch {
        continue;
      }
    }
  }
}
pages.push(...readdirSync(tmp).map((f) => path.join(tmp, f)));

// 2. Every recognition input the engine makes while reading them: (N, 3, 48, W) batches of line crops.
type Input = { data: Float32Array; dims: readonly number[] };
const seen: Input[] = [];
// The engine's sessions are onnxruntime-node's: their shared prototype's run is wrapped while the pages are read.
type Run = (this: ort.InferenceSession, feeds: ort.InferenceSession.FeedsType, ...rest: never[]) => Promise<ort.InferenceSession.ReturnType>;
const proto = (ort.InferenceSession as unknown as { prototype: { run: Run } }).prototype;
const run = proto.run;
proto.run = function (this: ort.InferenceSession, feeds: ort.InferenceSession.FeedsType, ...rest: never[]) {
  const t = Object.values(feeds)[0] as ort.Tensor;
  if (t.dims[2] === 48 && t.dims[3] !== 192) seen.push({ data: new Float32Array(t.data as Float32Array), dims: [...t.dims] });
  return run.call(this, feeds, ...rest);
};
const pack = await loadModelPack(packDir);
// In float, so that the crops' reading does not depend on earlier ranges.
const engine = await OcrEngine.create(pack, { threads: 2, params: { ...DEFAULT_ENGINE_PARAMS, int8: { ...DEFAULT_ENGINE_PARAMS.int8, enabled: false } } });
for (const page of pages) {
  try {
    await engine.recognise(await decodeImage(page, 0, 1e8));
  } catch (error) {
    console.error(`skipped ${path.basename(page)}: ${(error as Error).message}`);
  }
}
await engine.release();
proto.run = run;
rmSync(tmp, { recursive: true, force: true });

// 3. The rewritten float model with every pointwise convolution's input and output made graph outputs; for each,
// its extremes and a uniform sample of its values (reservoir sampling, so memory stays bounded).
const SAMPLE = 200_000;
const m = pack.manifest.models.recognition;
const model = onnx.ModelProto.decode(rewriteGraph(readFileSync(pack.file(m.file))).bytes);
const names = [...new Set(pointwiseConvs(new Graph(model), { minInputChannels: 1 }).flatMap((c) => [c.input![0]!, c.output![0]!]))];
for (const name of names) model.graph!.output!.push(onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: 1 } } }));
const probe = await ort.InferenceSession.create(onnx.ModelProto.encode(model).finish(), { intraOpNumThreads: 2, graphOptimizationLevel: 'basic' });
const stats = new Map(names.map((n) => [n, { min: Infinity, max: -Infinity, seen: 0, sample: new Float32Array(SAMPLE) }]));
let state = 12345;
const random = () => ((state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32);
for (const input of seen) {
  const results = await probe.run({ [probe.inputNames[0]!]: new ort.Tensor('float32', input.data, input.dims) });
  for (const name of names) {
    const data = results[name]!.data as Float32Array;
    const s = stats.get(name)!;
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (v < s.min) s.min = v;
      if (v > s.max) s.max = v;
      if (s.seen < SAMPLE) s.sample[s.seen] = v;
      else {
        const j = Math.floor(random() * (s.seen + 1));
        if (j < SAMPLE) s.sample[j] = v;
      }
      s.seen++;
    }
  }
}
await probe.release();

/** Squared error of rounding `values` onto the uint8 grid of `r` (values outside it clipped). */
function gridError(values: Float32Array, r: TensorRange): number {
  const { scale, zeroPoint } = uint8Params(r);
  let e = 0;
  for (const v of values) {
    const q = Math.min(255, Math.max(0, Math.round(v / scale) + zeroPoint));
    const d = (q - zeroPoint) * scale - v;
    e += d * d;
  }
  return e;
}

// 4. Per tensor, the clipped range of least error: each end pulled in by 0–70% of its extreme, independently.
const FRACTIONS = [1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3];
const ranges: Record<string, TensorRange> = {};
for (const [name, s] of stats) {
  const values = s.sample.subarray(0, Math.min(s.seen, SAMPLE));
  let best: { r: TensorRange; e: number } | undefined;
  for (const fl of FRACTIONS)
    for (const fh of FRACTIONS) {
      const r = { min: s.min * fl, max: s.max * fh };
      const e = gridError(values, r);
      if (!best || e < best.e) best = { r, e };
    }
  ranges[name] = { min: Number(best!.r.min.toPrecision(6)), max: Number(best!.r.max.toPrecision(6)) };
}
const crops = seen.reduce((n, i) => n + i.dims[0]!, 0);
const result = {
  $comment: "Written by scripts/calibrate-models.ts: value ranges of the recognition model's pointwise convolutions, for graph-quantize.ts.",
  model: m.sha256,
  pages: pages.length,
  crops,
  ranges,
};
writeFileSync(out, JSON.stringify(result, null, 1) + '\n');
console.log(`${out}: ${names.length} tensors from ${crops} line crops of ${pages.length} pages`);
