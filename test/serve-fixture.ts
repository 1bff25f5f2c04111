/** `ocr-desk serve` as a child process on a data folder of the test's, for tests over real HTTP. */
import { spawn, type ChildProcess } from 'node:child_process';
import { cliMain, repoRoot } from './helpers.ts';

export interface Served {
  readonly child: ChildProcess;
  readonly url: string;
  readonly token: string;
}

/** Starts `ocr-desk serve --port 0` on a data folder and reads its URL and token from what it prints. */
export async function serve(dataDir: string, extraEnv: Record<string, string> = {}): Promise<Served> {
  const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OCR_DESK_'))), OCR_DESK_DATA_DIR: dataDir, OCR_DESK_WORKERS: '1', ...extraEnv };
  const child = spawn(process.execPath, [cliMain, 'serve', '--port', '0'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const url = out.match(/on (http:\/\/127\.0\.0\.1:\d+)/)?.[1];
      const token = out.match(/Bearer (\S+)/)?.[1];
      if (url && token) resolve({ child, url, token });
    });
  });
}

