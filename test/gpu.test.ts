/**
 * The GPU switch end to end, with real workers, models and ONNX Runtime (issue 14). Switched on (OCR_DESK_GPU=1, the
 * settings, `--gpu`), every worker tries WebGPU; on a machine without a usable adapter (this one: no Vulkan driver)
 * it runs on the CPU, the page is still read, and the diagnostics, the settings screen's source, say why. Off, they
 * say it is off. Changing the switch in the settings starts new workers that follow it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Diagnostics } from '../app/common/api/resources.ts';
import { gpuStatus, UNNAMED_ADAPTER } from '../app/main/service/diagnostics.ts';
import { OcrService } from '../app/main/service/ocr-service.ts';
import { cliMain, phototest, repoRoot, tempDir } from './helpers.ts';

/** What the diagnostics must say of the GPU once a worker has tried it: on it, or why not. */
function assertTried(gpu: Diagnostics['gpu']): void {
  assert.equal(gpu.enabled, true);
  if (gpu.available) {
    assert.ok(gpu.adapter, 'a worker on the GPU names its adapter (or says it has no name)');
  } else {
    assert.equal(gpu.adapter, null);
    assert.match(gpu.reason ?? '', /^Failed to get a WebGPU adapter: No supported adapters \(WebGPU needs the GPU's (Vulkan|D3D12|Metal) driver\); OCR runs on the CPU\.$/);
  }
}

async function readPhototest(service: OcrService, out: string): Promise<string> {
  const job = await service.addJob({ inputs: [phototest], outputDir: out, settings: { formats: ['txt'] } });
  await service.idle();
  const doc = (await service.getJob({ jobId: job.jobId })).documentList[0]!;
  assert.equal(doc.state, 'done', JSON.stringify(doc.error));
  return new TextDecoder().decode((await service.exportDocument({ documentId: doc.id, format: 'txt' })).data);
}

describe('the GPU switch', () => {
  /** Whether this machine ran the workers on the GPU (the first test finds out). */
  let onGpu: boolean | undefined;
  it('the diagnostics follow the workers: on the GPU when one is, else the reason one gave', () => {
    const fallback = 'Failed to get a WebGPU adapter: No supported adapters; OCR runs on the CPU.';
    assert.deepEqual(gpuStatus(false, [{ provider: 'webgpu' }]), { enabled: false, available: false, adapter: null, reason: 'GPU is off in settings.' });
    assert.deepEqual(gpuStatus(true, [{ provider: 'webgpu', adapter: 'NVIDIA H200' }]), { enabled: true, available: true, adapter: 'NVIDIA H200', reason: null });
    assert.deepEqual(gpuStatus(true, [{ provider: 'cpu', fallback }, { provider: 'webgpu' }]), { enabled: true, available: true, adapter: UNNAMED_ADAPTER, reason: fallback });
    assert.deepEqual(gpuStatus(true, [undefined, { provider: 'cpu', fallback }]), { enabled: true, available: false, adapter: null, reason: fallback });
    assert.match(gpuStatus(true, [undefined]).reason ?? '', /^Not known yet/);
  });

  it('with OCR_DESK_GPU=1 a page is read, on the GPU or on the CPU with the reason in the diagnostics', async () => {
    const { dir, cleanup } = await tempDir('gpu-env');
    const service = await OcrService.open({ dataDir: path.join(dir, 'data'), env: { OCR_DESK_WORKERS: '1', OCR_DESK_GPU: '1' }, hotFolders: false });
    try {
      assert.match(await readPhototest(service, path.join(dir, 'out')), /The quick brown dog jumped over the\s+lazy fox/);
      const diagnostics = await service.getDiagnostics();
      assertTried(diagnostics.gpu);
      onGpu = diagnostics.gpu.available;
      assert.equal((await service.getSettings()).sources.gpu, 'environment');
      await assert.rejects(service.updateSettings({ gpu: false }), { kind: 'invalid-option', message: /OCR_DESK_GPU/ });
    } finally {
      await service.close();
      await cleanup();
    }
  });

  it('off, the diagnostics say so; switched on in the settings, new workers try the GPU; off again, they do not', async () => {
    const { dir, cleanup } = await tempDir('gpu-settings');
    const service = await OcrService.open({ dataDir: path.join(dir, 'data'), env: { OCR_DESK_WORKERS: '1' }, hotFolders: false });
    try {
      assert.deepEqual((await service.getDiagnostics()).gpu, { enabled: false, available: false, adapter: null, reason: 'GPU is off in settings.' });
      await service.updateSettings({ gpu: true });
      // The diagnostics wait for the new pool's first worker to say where its models run.
      assertTried((await service.getDiagnostics()).gpu);
      assert.match(await readPhototest(service, path.join(dir, 'out')), /quick brown dog/);
      await service.updateSettings({ gpu: false });
      assert.equal((await service.getDiagnostics()).gpu.reason, 'GPU is off in settings.');
      assert.match(await readPhototest(service, path.join(dir, 'out2')), /quick brown dog/);
    } finally {
      await service.close();
      await cleanup();
    }
  });

  it('a batch with --gpu reads the page and, when the GPU was not used, says why', async () => {
    const { dir, cleanup } = await tempDir('gpu-cli');
    try {
      const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OCR_DESK_'))), OCR_DESK_DATA_DIR: path.join(dir, 'data'), OCR_DESK_WORKERS: '1' };
      const run = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [cliMain, phototest, '--out', path.join(dir, 'out'), '-f', 'txt', '--gpu'], { cwd: repoRoot, env, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stderr }));
      });
      assert.equal(run.code, 0, run.stderr);
      assert.match(await readFile(path.join(dir, 'out', 'phototest.txt'), 'utf8'), /quick brown dog/);
      const note = /ocr-desk: the GPU was not used: (.*)/.exec(run.stderr)?.[1];
      if (onGpu) assert.equal(note, undefined, run.stderr);
      else assert.match(note ?? '', /^Failed to get a WebGPU adapter: No supported adapters/, run.stderr);
    } finally {
      await cleanup();
    }
  });
});
