/**
 * A LAN node for tests: `ocr-desk serve --listen 127.0.0.2` as a child process, made to behave as a non-loopback
 * node (TLS, API keys) by the test switch OCR_DESK_TEST_TREAT_AS_LAN (read only with OCR_DESK_TEST_MODE=1). All
 * traffic stays on loopback. Requests go over HTTPS trusting only the node's own self-signed certificate.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { request, type RequestOptions } from 'node:https';
import path from 'node:path';
import { promisify } from 'node:util';
import { cliMain, repoRoot } from './helpers.ts';

export const LAN_HOST = '127.0.0.2';

export interface LanNode {
  readonly child: ChildProcess;
  readonly url: string;
  readonly port: number;
  readonly token: string;
  readonly fingerprint: string;
  readonly ca: string;
  readonly dataDir: string;
  readonly env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export function lanEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OCR_DESK_'))),
    OCR_DESK_DATA_DIR: dataDir,
    OCR_DESK_WORKERS: '1',
    OCR_DESK_TEST_MODE: '1',
    OCR_DESK_TEST_TREAT_AS_LAN: LAN_HOST,
    ...extra,
  };
}

/** Starts the node; `args` are more serve flags. */
export async function startLanNode(dataDir: string, args: string[] = [], extraEnv: Record<string, string> = {}, listenFlag = true): Promise<LanNode> {
  const env = lanEnv(dataDir, extraEnv);
  const child = spawn(process.execPath, [cliMain, 'serve', ...(listenFlag ? ['--listen', LAN_HOST] : []), '--port', '0', ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const printed = await new Promise<{ url: string; token: string; fingerprint: string }>((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const url = out.match(/on (https:\/\/127\.0\.0\.2:\d+)/)?.[1];
      const token = out.match(/Bearer (\S+)\n/)?.[1];
      const fingerprint = out.match(/fingerprint ([0-9A-F:]+)/)?.[1];
      if (url && token && fingerprint && out.includes('Stop with')) resolve({ url, token, fingerprint });
    });
  });
  child.removeAllListeners('exit');
  const ca = await readFile(path.join(dataDir, 'tls', 'cert.pem'), 'utf8');
  return {
    child,
    ...printed,
    port: Number(new URL(printed.url).port),
    ca,
    dataDir,
    env,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** One HTTPS request to the node, trusting its certificate only. */
export function call(node: Pick<LanNode, 'url' | 'ca'>, method: string, pathname: string, o: { headers?: Record<string, string>; body?: string | Buffer; key?: string; tls?: Partial<RequestOptions>; statusOnly?: boolean } = {}): Promise<Answer> {
  const u = new URL(node.url);
  const headers: Record<string, string> = { ...(o.key ? { authorization: `Bearer ${o.key}` } : {}), ...o.headers };
  if (o.body !== undefined && headers['content-type'] === undefined) headers['content-type'] = 'application/json';
  if (o.body !== undefined) headers['content-length'] = String(Buffer.byteLength(o.body));
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path: pathname, method, headers, ca: node.ca, agent: false, ...o.tls }, (res) => {
      // An event stream never ends: its status is the answer.
      if (o.statusOnly && res.statusCode === 200) {
        resolve({ status: 200, headers: res.headers, body: '' });
        return void req.destroy();
      }
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${pathname}: no answer in 30 s`)));
    req.end(o.body);
  });
}

/** `ocr-desk keys …` on the node's data folder; returns stdout. */
export async function keysCli(node: Pick<LanNode, 'env'>, args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [cliMain, 'keys', ...args], { cwd: repoRoot, env: node.env });
  return stdout;
}

/** A new key with these scopes, made with the CLI. */
export async function newKey(node: Pick<LanNode, 'env'>, scopes: string, name = scopes): Promise<{ id: string; key: string; webhookSecret: string }> {
  return JSON.parse(await keysCli(node, ['create', '--scope', scopes, '--name', name, '--json'])) as { id: string; key: string; webhookSecret: string };
}
