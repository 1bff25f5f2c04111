/**
 * The LAN node's authentication and authorisation, over real HTTPS on loopback (127.0.0.2 made to act as a LAN
 * address by the test switch): every route but the health checks answers 401 without a key and 403 with a key
 * lacking its scope; a revoked key (and its browser session) fails on the very next request; plain HTTP is refused;
 * only TLS 1.2+ is spoken; the certificate's fingerprint is the one printed; foreign origins are refused; paths
 * named by a key must lie inside the allowed roots; the audit log names the key and the address.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { copyFile, mkdir, stat, symlink, writeFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { X509Certificate } from 'node:crypto';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { scopeAllows } from '../app/common/api/access.ts';
import { OPERATIONS, type OperationSpec } from '../app/common/api/operations.ts';
import { startHttpServer } from '../app/main/http/server.ts';
import { isLanAddress, isLoopback } from '../app/main/http/network.ts';
import { derInteger, loadTls } from '../app/main/http/tls.ts';
import type { OcrService } from '../app/main/service/ocr-service.ts';
import { receipts, tempDir } from './helpers.ts';
import { call, keysCli, newKey, startLanNode, type LanNode } from './lan-fixture.ts';

const fill = (p: string) => p.replace('{format}', 'txt').replace('{keyId}', 'k0000000000').replace(/\{\w+\}/g, '1');
const routes = Object.entries(OPERATIONS).map(([name, o]) => ({ name, method: o.method, path: fill(o.path), scope: (o as OperationSpec).scope }));
const extra = [
  { name: 'events', method: 'GET', path: '/v1/events', scope: 'read' as const },
  { name: 'openapi', method: 'GET', path: '/v1/openapi.json', scope: 'read' as const },
  { name: 'metrics', method: 'GET', path: '/metrics', scope: 'read' as const },
];

describe('the LAN node: keys, scopes, TLS', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let node: LanNode;
  let keys: Record<'read' | 'submit' | 'admin', string>;
  before(async () => {
    ({ dir, cleanup } = await tempDir('lan-auth'));
    await mkdir(path.join(dir, 'root', 'in'), { recursive: true });
    await copyFile(receipts[0]!, path.join(dir, 'root', 'in', 'r.jpg'));
    await writeFile(path.join(dir, 'secret.txt'), 'TOPSECRET');
    await symlink(dir, path.join(dir, 'root', 'escape'));
    node = await startLanNode(path.join(dir, 'data'), ['--allow-root', path.join(dir, 'root')]);
    keys = { read: (await newKey(node, 'read')).key, submit: (await newKey(node, 'submit')).key, admin: (await newKey(node, 'admin')).key };
  });
  after(async () => {
    await node?.stop();
    await cleanup();
  });

  it('classifies addresses: loopback stays local, everything else is a LAN node', () => {
    for (const a of ['127.0.0.1', '127.0.0.2', '::1', 'localhost', '::ffff:127.0.0.1']) assert.equal(isLoopback(a), true, a);
    for (const a of ['0.0.0.0', '::', '192.168.1.20', '10.0.0.5', 'desk.example', 'fe80::1']) assert.equal(isLanAddress(a, {}), true, a);
    assert.equal(isLanAddress('127.0.0.2', {}), false);
    assert.equal(isLanAddress('127.0.0.2', { OCR_DESK_TEST_TREAT_AS_LAN: '127.0.0.2' }), false, 'the test switch needs test mode');
    assert.equal(isLanAddress('127.0.0.2', { OCR_DESK_TEST_MODE: '1', OCR_DESK_TEST_TREAT_AS_LAN: '127.0.0.2' }), true);
  });

  it('refuses to serve plain HTTP on a LAN address (before binding anything)', async () => {
    await assert.rejects(startHttpServer({ service: {} as OcrService, host: '192.168.77.77', port: 0 }), { kind: 'invalid-option', message: /needs TLS/ });
    await assert.rejects(startHttpServer({ service: {} as OcrService, host: '127.0.0.2', port: 0, env: { OCR_DESK_TEST_MODE: '1', OCR_DESK_TEST_TREAT_AS_LAN: '127.0.0.2' } }), { message: /needs TLS/ });
  });

  it('speaks TLS 1.2+ only, with the certificate whose fingerprint it printed; plain HTTP gets no answer', async () => {
    const ok = await call(node, 'GET', '/healthz');
    assert.equal(ok.status, 200);
    assert.equal(new X509Certificate(node.ca).fingerprint256, node.fingerprint);
    await assert.rejects(call(node, 'GET', '/healthz', { tls: { minVersion: 'TLSv1', maxVersion: 'TLSv1.1' } }), 'TLS 1.1 is refused');
    const plain = await new Promise<string>((resolve) => {
      const socket = connect(node.port, '127.0.0.2', () => socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'));
      let got = '';
      socket.on('data', (d) => (got += d.toString('latin1')));
      socket.on('close', () => resolve(got));
      socket.on('error', () => resolve(got));
      socket.setTimeout(5000, () => socket.destroy());
    });
    assert.doesNotMatch(plain, /HTTP\/1\.1 200/, 'no plain-HTTP answer');
  });

  it('every route but the health checks answers 401 without a key (and with a wrong one)', async () => {
    for (const r of [...routes, ...extra]) {
      for (const key of [undefined, 'ocrd_notakey', node.token.slice(1)]) {
        const res = await call(node, r.method, r.path, { ...(key ? { key } : {}) });
        assert.equal(res.status, 401, `${r.method} ${r.path} with ${key ?? 'no key'}: ${res.body}`);
        assert.doesNotMatch(res.body, /\.ts:\d+|\/work\/|node_modules/, 'no stack or path');
      }
    }
    for (const p of ['/healthz', '/readyz']) assert.equal((await call(node, 'GET', p)).status, 200, p);
    const page = await call(node, 'GET', '/');
    assert.equal(page.status, 303, 'a browser without a session is sent to sign in');
    assert.equal(page.headers.location, '/login');
  });

  it('every route answers 403 to a key without its scope, and not to one with it', async () => {
    let refused = 0;
    for (const r of [...routes, ...extra]) {
      for (const held of ['read', 'submit', 'admin'] as const) {
        const res = await call(node, r.method, r.path, { key: keys[held], statusOnly: r.name === 'events', ...(r.method === 'GET' ? {} : { body: '{}' }) });
        if (r.name === 'updateNodeSettings') assert.equal(res.status, 403, 'how the node serves is changed on its own machine only');
        else if (scopeAllows([held], r.scope)) assert.notEqual(res.status, 403, `${r.method} ${r.path} with ${held}: ${res.body}`);
        else {
          assert.equal(res.status, 403, `${r.method} ${r.path} needs ${r.scope}, sent ${held}: ${res.body}`);
          assert.match(JSON.parse(res.body).error.message, new RegExp(`needs an API key with the ${r.scope} scope`));
          refused++;
        }
      }
    }
    assert.ok(refused > 30, `${refused} refusals`);
  });

  it('a revoked key fails on its next request, and so does the browser session made from it', async () => {
    const made = await newKey(node, 'read', 'to revoke');
    assert.equal((await call(node, 'GET', '/v1/progress', { key: made.key })).status, 200);
    const login = await call(node, 'POST', '/login', { body: `key=${encodeURIComponent(made.key)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(login.status, 303);
    const cookie = String(login.headers['set-cookie']);
    for (const attr of ['HttpOnly', 'Secure', 'SameSite=Strict']) assert.match(cookie, new RegExp(attr));
    const session = cookie.split(';')[0]!;
    assert.equal((await call(node, 'GET', '/v1/progress', { headers: { cookie: session } })).status, 200, 'the session works');
    assert.equal((await call(node, 'POST', '/v1/queue/pause', { headers: { cookie: session }, body: '{}' })).status, 403, "with the key's scopes");
    const page = await call(node, 'GET', '/', { headers: { cookie: session } });
    assert.ok(page.status === 200 || (page.status === 404 && /API only/.test(page.body)), `the app (or, unbuilt, the API-only answer) behind the session: ${page.status}`);
    await keysCli(node, ['revoke', made.id]);
    assert.equal((await call(node, 'GET', '/v1/progress', { key: made.key })).status, 401, 'the key');
    assert.equal((await call(node, 'GET', '/v1/progress', { headers: { cookie: session } })).status, 401, 'its session');
    const listed = (await keysCli(node, ['list', '--json'])).trim().split('\n').map((l) => JSON.parse(l) as { id: string; revokedAt: string | null; lastUsedAt: string | null });
    const row = listed.find((k) => k.id === made.id)!;
    assert.ok(row.revokedAt && row.lastUsedAt, 'listed as used and revoked');
    const bad = await call(node, 'POST', '/login', { body: 'key=ocrd_nope', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(bad.status, 401);
  });

  it('refuses other origins; the node’s own origin is fine', async () => {
    const foreign = await call(node, 'GET', '/v1/progress', { key: keys.read, headers: { origin: 'https://evil.example' } });
    assert.equal(foreign.status, 403);
    assert.equal((await call(node, 'GET', '/v1/progress', { key: keys.read, headers: { origin: 'null' } })).status, 403);
    assert.equal((await call(node, 'GET', '/v1/progress', { key: keys.read, headers: { origin: node.url } })).status, 200);
  });

  it('a key may name paths only inside the allowed roots (after following links); the token holder may name any', async () => {
    const root = path.join(dir, 'root');
    const add = (key: string, body: object) => call(node, 'POST', '/v1/jobs', { key, body: JSON.stringify(body) });
    for (const inputs of [[path.join(dir, 'secret.txt')], [path.join(root, '..', 'secret.txt')], [path.join(root, 'escape', 'secret.txt')], ['../secret.txt'], ['/etc/passwd']]) {
      const res = await add(keys.submit, { inputs });
      assert.equal(res.status, 403, `${inputs[0]}: ${res.body}`);
      assert.doesNotMatch(res.body, /TOPSECRET|root:x/, 'nothing read');
    }
    assert.equal((await add(keys.submit, { inputs: [path.join(root, 'in')], outputDir: '/tmp/elsewhere' })).status, 403, 'output folder outside');
    assert.equal((await add(keys.submit, { inputs: [path.join(root, 'escape')] })).status, 403, 'a link out of the root, as a folder');
    const inside = await add(keys.submit, { inputs: ['in/r.jpg'], outputDir: 'out', settings: { formats: ['txt'] } });
    assert.equal(inside.status, 200, inside.body);
    const exported = await call(node, 'POST', '/v1/exports', { key: keys.submit, body: JSON.stringify({ documentIds: [1], formats: ['txt'], folder: '/tmp' }) });
    assert.equal(exported.status, 403);
    const hot = await call(node, 'POST', '/v1/hot-folders', { key: keys.admin, body: JSON.stringify({ settings: { folder: '/etc', out: path.join(root, 'o') } }) });
    assert.equal(hot.status, 403, 'even an admin key');
    const local = await add(node.token, { inputs: [path.join(dir, 'secret.txt')] });
    assert.notEqual(local.status, 403, 'the local admin is not limited');
  });

  it('the audit log records who did what from where, readable by admins only', async () => {
    const made = await newKey(node, 'submit', 'auditor');
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(await (await import('node:fs/promises')).readFile(receipts[1]!))]), 'r.jpg');
    const response = new Response(form);
    const body = Buffer.from(await response.arrayBuffer());
    const up = await call(node, 'POST', '/v1/uploads', { key: made.key, body, headers: { 'content-type': response.headers.get('content-type')! } });
    assert.equal(up.status, 200, up.body);
    assert.equal((await call(node, 'GET', '/v1/audit', { key: keys.submit })).status, 403);
    const log = JSON.parse((await call(node, 'GET', `/v1/audit?keyId=${made.id}`, { key: keys.admin })).body) as { entries: { action: string; keyId: string; address: string; jobId: number | null }[] };
    const actions = log.entries.map((e) => e.action);
    assert.ok(actions.includes('uploadFiles') && actions.includes('job-added'), actions.join(', '));
    assert.ok(log.entries.every((e) => e.keyId === made.id && e.address === '127.0.0.1'), JSON.stringify(log.entries));
  });
});

describe('the network switch', () => {
  it('what the app stores (address, allowed folders) is what serve uses at its next start; flags win', async () => {
    const { dir, cleanup } = await tempDir('lan-switch');
    const data = path.join(dir, 'data');
    const { OcrService } = await import('../app/main/service/ocr-service.ts');
    const service = await OcrService.open({ dataDir: data, env: { OCR_DESK_WORKERS: '1', OCR_DESK_TEST_MODE: '1', OCR_DESK_TEST_TREAT_AS_LAN: '127.0.0.2' }, warmUp: false, hotFolders: false });
    let node: LanNode | undefined;
    try {
      const before = await service.getNodeSettings();
      assert.deepEqual([before.values.listen, before.lan, before.sources.listen], ['127.0.0.1', false, 'default']);
      const saved = await service.updateNodeSettings({ listen: '127.0.0.2', allowedRoots: [dir], retentionDays: 30 });
      assert.deepEqual([saved.values.listen, saved.lan, saved.sources.listen, saved.values.allowedRoots], ['127.0.0.2', true, 'stored', [dir]]);
      await assert.rejects(service.updateNodeSettings({ port: 70_000 }), { kind: 'invalid-option' });
      await service.close();
      node = await startLanNode(data, [], {}, false);
      assert.match(node.url, /^https:\/\/127\.0\.0\.2:/, 'serves where the app said, as a LAN node');
      const key = (await newKey(node, 'admin')).key;
      const view = JSON.parse((await call(node, 'GET', '/v1/node-settings', { key })).body) as { values: { port: number }; sources: Record<string, string>; restartNeeded: boolean };
      assert.deepEqual([view.sources.listen, view.sources.port, view.restartNeeded], ['stored', 'command-line', false]);
      const change = await call(node, 'PATCH', '/v1/node-settings', { key, body: JSON.stringify({ retentionDays: 1 }) });
      assert.equal(change.status, 403, 'a key may not change how the node serves');
    } finally {
      await service.close();
      await node?.stop();
      await cleanup();
    }
  });
});

describe('the LAN node’s certificate', () => {
  it('writes integers in the one form DER allows: no leading zero unless the top bit needs it', () => {
    const der = (...bytes: number[]) => [...derInteger(Buffer.from(bytes))];
    // A random serial whose first byte came out 00: before, written as is, and refused ("illegal padding").
    assert.deepEqual(der(0x00, 0x12, 0x34), [0x02, 0x02, 0x12, 0x34]);
    assert.deepEqual(der(0x00, 0x00, 0x9a), [0x02, 0x02, 0x00, 0x9a]);
    assert.deepEqual(der(0x9a), [0x02, 0x02, 0x00, 0x9a]);
    assert.deepEqual(der(0x00), [0x02, 0x01, 0x00]);
    assert.deepEqual(der(0x02), [0x02, 0x01, 0x02]);
  });

  it('is made once, kept, renewed when the address changes; an admin’s PEM files are used as given', async () => {
    const { dir, cleanup } = await tempDir('lan-tls');
    try {
      const first = await loadTls({ dataDir: dir, listen: '127.0.0.2' });
      assert.equal(first.selfSigned, true);
      const x509 = new X509Certificate(first.cert);
      assert.ok(x509.checkIP('127.0.0.2') && x509.checkHost('localhost'), x509.subjectAltName);
      assert.equal((await loadTls({ dataDir: dir, listen: '127.0.0.2' })).fingerprint, first.fingerprint, 'kept across starts');
      assert.equal(((await stat(path.join(dir, 'tls', 'key.pem'))).mode & 0o077), 0, 'the key is readable by its owner only');
      const moved = await loadTls({ dataDir: dir, listen: '127.0.0.3' });
      assert.notEqual(moved.fingerprint, first.fingerprint, 'a new address, a new certificate');
      const every = new X509Certificate((await loadTls({ dataDir: path.join(dir, 'any'), listen: '0.0.0.0' })).cert);
      for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (a.family === 'IPv4') assert.ok(every.checkIP(a.address), `${a.address} in ${every.subjectAltName}`);
      const given = await loadTls({ dataDir: dir, listen: '127.0.0.2', certFile: path.join(dir, 'tls', 'cert.pem'), keyFile: path.join(dir, 'tls', 'key.pem') });
      assert.deepEqual([given.selfSigned, given.fingerprint], [false, moved.fingerprint]);
      await assert.rejects(loadTls({ dataDir: dir, listen: '127.0.0.2', certFile: path.join(dir, 'nope.pem'), keyFile: path.join(dir, 'nope.key') }), { kind: 'invalid-option', message: /--tls-cert/ });
    } finally {
      await cleanup();
    }
  });
});
