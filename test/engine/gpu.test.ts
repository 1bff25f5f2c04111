/**
 * The GPU switch in the worker's engine, with the real runtime and models: asked for the GPU, a machine without a
 * usable WebGPU adapter (no Vulkan, D3D12 or Metal driver) gets an engine on the CPU that says why, and reads the page
 * as well; a machine with one gets an engine on WebGPU that reads it too. The GPU's shape buckets, forced on the CPU,
 * read the page as exact shapes do.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_MODEL_DIR, loadModelPack, type ModelPack } from '../../app/node/model-pack.ts';
import { decodeImage } from '../../app/worker/decode.ts';
import { OcrEngine } from '../../app/worker/engine/engine.ts';
import type { RgbImage } from '../../app/worker/engine/raster.ts';
import { GPU_SHAPE_BUCKETS } from '../../app/worker/engine/shape-buckets.ts';
import { providerErrorLine, startEngine } from '../../app/worker/start-engine.ts';
import { phototest } from '../helpers.ts';

const words = (text: string) => text.split(/\s+/).filter(Boolean);
const textOf = (page: { lines: readonly { text: string }[] }) => page.lines.map((l) => l.text).join('\n');

describe('the GPU switch (real runtime and models)', () => {
  let pack: ModelPack;
  let page: RgbImage;
  let truth: string[];
  let cpuText: string;
  before(async () => {
    pack = await loadModelPack(DEFAULT_MODEL_DIR);
    page = await decodeImage(phototest, 0, 1e8);
    truth = words(await readFile(phototest.replace(/\.tif$/, '.txt'), 'utf8'));
    const cpu = await OcrEngine.create(pack, { threads: 1 });
    cpuText = textOf(await cpu.recognise(page));
    await cpu.release();
  });

  it('keeps the text of ONNX Runtime’s error, without its source location and checked condition', () => {
    const ort = new Error(
      '/onnxruntime_src/onnxruntime/core/providers/webgpu/webgpu_context.cc:136 onnxruntime::webgpu::WebGpuContext::Initialize(const onnxruntime::webgpu::WebGpuContextConfig&)::<lambda()> adapter_result.status == wgpu::RequestAdapterStatus::Success was false. Failed to get a WebGPU adapter: No supported adapters\n',
    );
    assert.equal(providerErrorLine(ort), 'Failed to get a WebGPU adapter: No supported adapters');
    assert.equal(providerErrorLine(new Error('\n  device lost\nat somewhere')), 'device lost');
    assert.equal(providerErrorLine(new Error('x'.repeat(1000))).length, 300);
  });

  it('asked for the GPU, runs where it can and reads the page; on the CPU it says why', async () => {
    const { engine, device } = await startEngine(pack, { threads: 1, gpu: true });
    try {
      assert.equal(engine.provider, device.provider);
      if (device.provider === 'cpu') {
        // This machine has no usable WebGPU adapter: the reason is ONNX Runtime's, on one line, with what to do.
        assert.match(device.fallback ?? '', /^Failed to get a WebGPU adapter: No supported adapters \(WebGPU needs the GPU's (Vulkan|D3D12|Metal) driver\); OCR runs on the CPU\.$/);
        assert.equal(textOf(await engine.recognise(page)), cpuText, 'the CPU fallback reads exactly as the CPU does');
      } else {
        assert.equal(device.fallback, undefined);
        const got = words(textOf(await engine.recognise(page)));
        const found = truth.filter((w) => got.includes(w)).length;
        assert.ok(found >= 0.95 * truth.length, `${found} of ${truth.length} words on WebGPU: ${got.join(' ')}`);
      }
    } finally {
      await engine.release();
    }
  });

  it('without the GPU, runs on the CPU and says nothing more', async () => {
    const { engine, device } = await startEngine(pack, { threads: 1, gpu: false });
    await engine.release();
    assert.deepEqual(device, { provider: 'cpu' });
  });

  describe('the GPU’s shape buckets, on the CPU', () => {
    let bucketed: OcrEngine;
    before(async () => {
      bucketed = await OcrEngine.create(pack, { threads: 1, shapeBuckets: GPU_SHAPE_BUCKETS });
    });
    after(() => bucketed.release());

    it('read the page as exact shapes do', async () => {
      assert.equal(textOf(await bucketed.recognise(page)), cpuText);
      for (const w of ['quick', 'brown', 'lazy', 'fox.', 'format.']) assert.ok(words(cpuText).includes(w), w);
    });
  });
});
