/** Describes the machine a benchmark ran on, as a markdown list. */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './ocr-desk.ts';
import { tesseractVersion } from './tesseract.ts';

function readOr(file: string, fallback: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

export async function machineMarkdown(): Promise<string> {
  const cpu = /^model name\s*:\s*(.+)$/m.exec(readOr('/proc/cpuinfo', ''))?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  const distro = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(readOr('/etc/os-release', ''))?.[1] ?? os.type();
  const ort = JSON.parse(readOr(path.join(REPO_ROOT, 'node_modules/onnxruntime-node/package.json'), '{}')) as { version?: string };
  return [
    `- CPU: ${cpu}, ${os.availableParallelism()} cores`,
    `- RAM: ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    `- OS: ${distro}, Linux ${os.release()}`,
    `- Node ${process.version}, Tesseract ${await tesseractVersion()}, onnxruntime-node ${ort.version ?? 'not installed'}`,
  ].join('\n');
}
