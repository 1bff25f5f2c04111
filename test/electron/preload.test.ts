/**
 * The preload as it ships: bundled (scripts/build-electron.mjs) and run the way a sandboxed preload runs, as a
 * script whose only `require` is Electron's. It must expose one verb per operation of the contract, the event
 * stream and the shell verbs on `window.ocrDesk`, and nothing that reaches IPC directly.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import vm from 'node:vm';
import { OPERATION_NAME_LIST } from '../../app/common/api/operation-names.ts';
import { OPERATION_NAMES } from '../../app/common/api/operations.ts';
import { BRIDGE_NAME, IPC, IPC_VERSION, invokeRequestSchema, shellRequestSchema } from '../../app/common/ipc.ts';
import { tempDir } from '../helpers.ts';
// @ts-expect-error -- a plain .mjs build script, without typings
import { buildPreload } from '../../scripts/build-electron.mjs';

interface Exposed {
  key: string;
  api: Record<string, unknown>;
}

describe('the bundled preload', () => {
  let source = '';
  let inputs: string[] = [];
  let cleanup: () => Promise<void>;

  before(async () => {
    const temp = await tempDir('electron-preload');
    cleanup = temp.cleanup;
    const built = (await buildPreload(path.join(temp.dir, 'preload.cjs'))) as { outfile: string; inputs: string[] };
    source = await readFile(built.outfile, 'utf8');
    inputs = built.inputs;
  });
  after(() => cleanup());

  /** Runs the bundle as Electron runs a sandboxed preload: a function of require/module/exports, Electron's require only. */
  function load() {
    const exposed: Exposed[] = [];
    const invoked: { channel: string; payload: unknown }[] = [];
    const listeners = new Map<string, ((event: unknown, ...args: unknown[]) => void)[]>();
    const ipcRenderer = {
      invoke: async (channel: string, payload: unknown) => {
        invoked.push({ channel, payload });
        return { ok: true, value: 'answer' };
      },
      on(channel: string, listener: (event: unknown, ...args: unknown[]) => void) {
        listeners.set(channel, [...(listeners.get(channel) ?? []), listener]);
        return ipcRenderer;
      },
      send: () => assert.fail('the preload never uses send'),
      sendSync: () => assert.fail('the preload never uses sendSync'),
    };
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => exposed.push({ key, api }) },
      ipcRenderer,
      webUtils: { getPathForFile: (file: { name: string }) => `/dropped/${file.name}` },
    };
    const required: string[] = [];
    const requireInSandbox = (id: string) => {
      required.push(id);
      if (id === 'electron') return electron;
      throw new Error(`module not found: ${id} (a sandboxed preload can only require electron)`);
    };
    const module = { exports: {} };
    vm.runInNewContext(`(function (require, module, exports) {${source}\n})`, { console })(requireInSandbox, module, module.exports);
    return { exposed, invoked, listeners, required, ipcRenderer };
  }

  test('bundles only zod-free modules and requires nothing but electron', () => {
    assert.deepEqual([...source.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]), ['electron']);
    assert.ok(inputs.every((i) => !i.includes('node_modules')), `no package in the bundle: ${inputs.join(', ')}`);
    assert.doesNotMatch(source, /zod/);
    const { required } = load();
    assert.deepEqual(required, ['electron']);
  });

  test(`exposes window.${BRIDGE_NAME}: one verb per operation of the contract, subscribe, pathForFile and the shell verbs`, () => {
    const { exposed, ipcRenderer } = load();
    assert.equal(exposed.length, 1);
    assert.equal(exposed[0]!.key, BRIDGE_NAME);
    const api = exposed[0]!.api;
    assert.deepEqual(Object.keys(api).sort(), [...OPERATION_NAMES, 'version', 'subscribe', 'pathForFile', 'openPaths', 'choosePaths'].sort());
    assert.equal(api.version, IPC_VERSION);
    assert.ok(Object.isFrozen(api));
    for (const value of Object.values(api)) assert.notEqual(value, ipcRenderer, 'ipcRenderer itself is never exposed');
    assert.ok(Object.values(api).every((v) => typeof v === 'function' || typeof v === 'number'));
  });

  test('each verb sends one request that fits the envelope main expects, on the invoke channel', async () => {
    const { exposed, invoked } = load();
    const api = exposed[0]!.api as Record<string, (input?: unknown) => Promise<unknown>>;
    for (const name of OPERATION_NAMES) assert.deepEqual(await api[name]!({ probe: name }), { ok: true, value: 'answer' });
    assert.equal(invoked.length, OPERATION_NAMES.length);
    for (const [i, name] of OPERATION_NAMES.entries()) {
      assert.equal(invoked[i]!.channel, IPC.invoke);
      assert.deepEqual(invokeRequestSchema.parse(invoked[i]!.payload), { v: IPC_VERSION, operation: name, input: { probe: name } });
    }
    await (api.openPaths as (p: string[]) => Promise<unknown>)(['/scans/a.png']);
    await (api.choosePaths as (k: string) => Promise<unknown>)('folder');
    assert.deepEqual(invoked.slice(-2).map((c) => [c.channel, shellRequestSchema.parse(c.payload)]), [
      [IPC.shell, { v: IPC_VERSION, verb: 'openPaths', paths: ['/scans/a.png'] }],
      [IPC.shell, { v: IPC_VERSION, verb: 'choosePaths', kind: 'folder' }],
    ]);
  });

  test("subscribe hands the page the event's data, never Electron's event object; unsubscribing stops it", () => {
    const { exposed, listeners } = load();
    const api = exposed[0]!.api as { subscribe(l: (e: unknown) => void): () => void; pathForFile(f: unknown): string };
    const ipcListeners = listeners.get(IPC.event)!;
    assert.equal(ipcListeners.length, 1, 'one IPC listener however many subscribers');
    const seen: unknown[][] = [];
    const stop = api.subscribe((...args) => seen.push(args));
    const other: unknown[] = [];
    api.subscribe((e) => other.push(e));
    ipcListeners[0]!({ sender: 'ipcRenderer would leak here' }, { type: 'progress' });
    assert.deepEqual(seen, [[{ type: 'progress' }]]);
    stop();
    ipcListeners[0]!({}, { type: 'job' });
    assert.equal(seen.length, 1);
    assert.equal(other.length, 2);
    assert.throws(() => api.subscribe('not a function' as never), /needs a function/);
    assert.equal(api.pathForFile({ name: 'scan.png' }), '/dropped/scan.png');
  });

  test('the preload list of operations is the contract', () => {
    assert.deepEqual([...OPERATION_NAME_LIST].sort(), [...OPERATION_NAMES].sort());
  });
});
