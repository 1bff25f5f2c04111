/**
 * The desktop shell (desktop.ts) with Electron's API faked: single instance, the hardened window and session, and
 * the IPC relay's checks. The service host is the real one (runServiceHost), run in this process on a stub service
 * that records its calls (desktop-harness.ts).
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { createIpcClient } from '../../app/common/api/ipc-client.ts';
import type { ServiceEvent } from '../../app/common/api/events.ts';
import { InvalidOptionError, NotFoundError } from '../../app/common/errors.ts';
import { IPC, IPC_VERSION } from '../../app/common/ipc.ts';
import { createBridge } from '../../app/main/electron/preload-bridge.ts';
import { APP_URL, BLOCKED_URLS, CONTENT_SECURITY_POLICY } from '../../app/main/electron/security.ts';
import { FakeFrame, until } from './fake-electron.ts';
import { addJobs, cleanUp, invoke, progress, shell, startApp, trusted, windowOf } from './desktop-harness.ts';

afterEach(cleanUp);

describe('single instance', () => {
  test('a second instance does nothing but quit (the first gets its arguments)', async () => {
    const { fake, desktop, hosting } = await startApp({ lock: false, argv: ['/opt/electron/electron', '.', 'scan.png'] });
    assert.equal(desktop, undefined);
    assert.equal(fake.app.quits, 1);
    assert.equal(fake.windows.length, 0);
    assert.equal(hosting.forks.length, 0);
    assert.equal(fake.handlers.size, 0);
  });
});

describe('the window and its session are hardened', () => {
  test('webPreferences: context isolation, sandbox, no Node, the preload, no webviews, no drag-drop navigation', async () => {
    const { fake, paths } = await startApp();
    const options = windowOf(fake).options;
    assert.deepEqual(options.webPreferences, {
      preload: paths.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      devTools: true,
    });
    assert.equal(options.show, false, 'shown once ready, without a white flash');
    assert.equal(fake.app.sandboxEnabled, true, 'every renderer sandboxed');
    assert.deepEqual(windowOf(fake).loaded, [APP_URL]);
    await until(() => (windowOf(fake).shown ? true : undefined), 1000, 'the window to show');
  });

  test('a packaged app has no developer tools', async () => {
    const { fake } = await startApp({ isPackaged: true });
    assert.equal(windowOf(fake).options.webPreferences?.devTools, false);
    const view = fake.Menu.applicationMenu!.template.find((m) => m.label === '&View')!;
    assert.ok(!view.submenu!.some((i) => i.role === 'toggleDevTools' || i.role === 'reload'));
  });

  test('the app:// scheme is made privileged before ready, the lock taken first', async () => {
    const { fake } = await startApp();
    assert.deepEqual(fake.log.slice(0, 4), ['requestSingleInstanceLock', 'enableSandbox', 'registerSchemesAsPrivileged', 'whenReady']);
    assert.deepEqual(fake.protocol.privileged, [{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
  });

  test('navigation away, redirects, new windows and webviews are blocked, in every web contents', async () => {
    const { fake } = await startApp();
    const later = fake.newContents();
    for (const contents of [trusted(fake), later]) {
      assert.equal(contents.fire('will-navigate', 'https://example.com/').defaultPrevented, true);
      assert.equal(contents.fire('will-navigate', 'file:///etc/passwd').defaultPrevented, true);
      assert.equal(contents.fire('will-navigate', 'app://ocr-desk/other.html').defaultPrevented, true);
      assert.equal(contents.fire('will-redirect', 'https://example.com/').defaultPrevented, true);
      assert.equal(contents.fire('will-attach-webview', {}, {}).defaultPrevented, true);
      assert.deepEqual(contents.windowOpenHandler!({ url: 'https://example.com/', frameName: '', disposition: 'new-window' }), { action: 'deny' });
    }
  });

  test('every permission request and check is denied, devices too, and no request reaches the network', async () => {
    const { fake } = await startApp();
    const s = fake.session;
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'clipboard-sanitized-write', 'openExternal', 'fullscreen', 'unknown']) {
      let granted: boolean | undefined;
      s.permissionRequestHandler!(trusted(fake), permission, (g) => (granted = g), { requestingUrl: APP_URL });
      assert.equal(granted, false, permission);
      assert.equal(s.permissionCheckHandler!(trusted(fake), permission, 'app://ocr-desk', {}), false, permission);
    }
    assert.equal(s.devicePermissionHandler!({ deviceType: 'usb' }), false);
    assert.deepEqual(s.beforeRequest!.filter.urls, BLOCKED_URLS);
    for (const scheme of ['http', 'https', 'ws', 'wss', 'file']) assert.ok(BLOCKED_URLS.some((u) => u.startsWith(`${scheme}://`)), scheme);
    let response: { cancel?: boolean } | undefined;
    s.beforeRequest!.listener({ url: 'https://example.com/' }, (r) => (response = r));
    assert.deepEqual(response, { cancel: true });
  });

  test('app://ocr-desk serves the built renderer with the CSP, and nothing outside it', async () => {
    const { fake, paths } = await startApp();
    const handler = fake.protocol.handlers.get('app')!;
    const get = (url: string, method = 'GET') => Promise.resolve(handler(new Request(url, { method })));
    const index = await get('app://ocr-desk/index.html');
    assert.equal(index.status, 200);
    assert.equal(index.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
    assert.equal(index.headers.get('x-content-type-options'), 'nosniff');
    assert.match(await index.text(), /assets\/app\.js/);
    const script = await get('app://ocr-desk/assets/app.js');
    assert.equal(script.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(script.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
    assert.match(await (await get('app://ocr-desk/jobs/12')).text(), /assets\/app\.js/, 'a route of the page gets index.html');
    assert.equal((await get('app://ocr-desk/..%2f..%2fservice-host-main.ts')).status, 404, 'no escape from the renderer folder');
    assert.equal((await get('app://ocr-desk/%2e%2e/preload.cjs')).status, 404);
    assert.equal((await get('app://elsewhere/index.html')).status, 404, 'another host');
    assert.equal((await get('app://ocr-desk/missing.js')).status, 404);
    assert.equal((await get('app://ocr-desk/index.html', 'POST')).status, 405);
    await writeFile(path.join(path.dirname(paths.rendererDir), 'secret.txt'), 'secret');
    assert.equal((await get('app://ocr-desk/../secret.txt')).status, 404);
  });

  test('the CSP allows only the app itself: no inline script, no eval, no frames, nothing remote', () => {
    const directives = new Map(CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0]!, d.split(' ').slice(1)]));
    assert.deepEqual(directives.get('default-src'), ["'none'"]);
    assert.deepEqual(directives.get('script-src'), ["'self'"]);
    assert.deepEqual(directives.get('connect-src'), ["'self'"]);
    for (const d of ['object-src', 'frame-src', 'frame-ancestors', 'base-uri', 'form-action']) assert.deepEqual(directives.get(d), ["'none'"], d);
    assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe-inline|unsafe-eval|https?:|\*/);
  });

  test('a renderer that has not been built gets a page saying so, without any script', async () => {
    const { fake, paths } = await startApp();
    const { rm } = await import('node:fs/promises');
    await rm(path.join(paths.rendererDir, 'index.html'));
    const page = await fake.protocol.handlers.get('app')!(new Request('app://ocr-desk/index.html'));
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /has not been built/);
    assert.match(html, /npm run build:ui/);
    assert.doesNotMatch(html, /<script/);
    assert.match(page.headers.get('content-security-policy')!, /default-src 'none'/);
    assert.doesNotMatch(page.headers.get('content-security-policy')!, /script-src/);
  });
});

describe('IPC: only the window, only the contract', () => {
  test('a call from the window reaches the service with its validated input', async () => {
    const { fake, stub } = await startApp();
    const result = await invoke(fake, { v: IPC_VERSION, operation: 'addJob', input: { inputs: ['/scans/a.png'], evil: 'dropped' } });
    assert.equal(result.ok, true);
    assert.deepEqual(stub.calls.at(-1), { operation: 'addJob', input: { inputs: ['/scans/a.png'] } }, 'unknown fields are stripped by the schema');
  });

  test('refuses, as forbidden, calls from another web contents, a sub-frame, a foreign page or a frame gone', async () => {
    const { fake, stub } = await startApp();
    const request = { v: IPC_VERSION, operation: 'getProgress', input: {} };
    const stranger = fake.newContents();
    stranger.mainFrame.url = APP_URL;
    const sub = new FakeFrame();
    sub.url = APP_URL;
    sub.parent = trusted(fake).mainFrame;
    const foreign = new FakeFrame();
    foreign.url = 'https://evil.example/';
    const fileFrame = new FakeFrame();
    fileFrame.url = 'file:///home/ada/index.html';
    for (const [sender, frame] of [
      [stranger, stranger.mainFrame],
      [trusted(fake), sub],
      [trusted(fake), foreign],
      [trusted(fake), fileFrame],
      [trusted(fake), null],
    ] as const) {
      const result = await invoke(fake, request, sender, frame);
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.error.kind, 'forbidden');
    }
    const shellResult = await shell(fake, { v: IPC_VERSION, verb: 'openPaths', paths: ['/etc'] }, stranger);
    assert.equal(!shellResult.ok && shellResult.error.kind, 'forbidden');
    assert.equal(stub.calls.length, 0, 'nothing reached the service');
  });

  test('refuses unknown operations (inherited names too), bad envelopes and bad input, each with its kind', async () => {
    const { fake, stub } = await startApp();
    const kindOf = async (request: unknown) => {
      const result = await invoke(fake, request);
      assert.equal(result.ok, false, JSON.stringify(request));
      return !result.ok && result.error;
    };
    for (const operation of ['dropTables', '__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      assert.equal((await kindOf({ v: IPC_VERSION, operation, input: {} }))!.kind, 'not-found', operation);
    }
    assert.equal((await kindOf({ v: 999, operation: 'getProgress' }))!.kind, 'protocol');
    assert.equal((await kindOf({ v: IPC_VERSION, operation: 'getProgress', extra: 1 }))!.kind, 'protocol');
    assert.equal((await kindOf('getProgress'))!.kind, 'protocol');
    assert.equal((await kindOf(null))!.kind, 'protocol');
    const badId = (await kindOf({ v: IPC_VERSION, operation: 'getJob', input: { jobId: -1 } }))!;
    assert.equal(badId.kind, 'invalid-option');
    assert.match(badId.message, /jobId/);
    assert.equal((await kindOf({ v: IPC_VERSION, operation: 'addJob', input: { inputs: [] } }))!.kind, 'invalid-option');
    assert.equal((await kindOf({ v: IPC_VERSION, operation: 'getJob', input: 'everything' }))!.kind, 'invalid-option');
    assert.equal(stub.calls.length, 0);
  });

  test('shell verbs: dropped paths must be absolute; the dialog adds what is chosen, or nothing when cancelled', async () => {
    const { fake, stub } = await startApp({ dialogAnswers: [{ canceled: false, filePaths: ['/scans/a.pdf', '/scans/b.tif'] }, { canceled: true, filePaths: [] }] });
    const relative = await shell(fake, { v: IPC_VERSION, verb: 'openPaths', paths: ['scans/a.png'] });
    assert.equal(!relative.ok && relative.error.kind, 'invalid-option');
    const bad = await shell(fake, { v: IPC_VERSION, verb: 'rm', paths: ['/'] });
    assert.equal(!bad.ok && bad.error.kind, 'invalid-option');
    const dropped = await shell(fake, { v: IPC_VERSION, verb: 'openPaths', paths: ['/scans/dropped.png', '/scans/folder'] });
    assert.equal(dropped.ok, true);
    const chosen = await shell(fake, { v: IPC_VERSION, verb: 'choosePaths', kind: 'files' });
    assert.equal(chosen.ok && (chosen.value as { documents: number }).documents, 2);
    assert.deepEqual(fake.dialogs[0]!.options.properties, ['openFile', 'multiSelections']);
    const cancelled = await shell(fake, { v: IPC_VERSION, verb: 'choosePaths', kind: 'folder' });
    assert.deepEqual(cancelled, { ok: true, value: null });
    assert.deepEqual(fake.dialogs[1]!.options.properties, ['openDirectory', 'multiSelections']);
    assert.deepEqual(addJobs(stub), [['/scans/dropped.png', '/scans/folder'], ['/scans/a.pdf', '/scans/b.tif']]);
  });

  test('the renderer side: preload verbs and the IPC client revive typed errors and deliver events', async () => {
    const { fake, stub } = await startApp();
    const listeners: ((event: unknown, data: unknown) => void)[] = [];
    const ipcRenderer = {
      invoke: (channel: string, payload: unknown) => Promise.resolve(fake.invoke(channel, trusted(fake), trusted(fake).mainFrame, structuredClone(payload))),
      on(channel: string, listener: (event: unknown, data: unknown) => void) {
        if (channel === IPC.event) listeners.push(listener);
        return this;
      },
    };
    const client = createIpcClient(createBridge({ ipcRenderer: ipcRenderer as never, webUtils: { getPathForFile: () => '/dropped/scan.png' } }));
    assert.deepEqual(await client.getProgress(), progress());
    await assert.rejects(client.getJob({ jobId: -1 }), (e: unknown) => e instanceof InvalidOptionError && e.kind === 'invalid-option');
    await assert.rejects(client.addJob({} as never), (e: unknown) => e instanceof InvalidOptionError && /inputs/.test(e.message));
    const opened = await client.openPaths([client.pathForFile({} as File)]);
    assert.equal(opened.documents, 1);
    assert.deepEqual(addJobs(stub).at(-1), ['/dropped/scan.png']);

    const seen: ServiceEvent[] = [];
    const stop = client.subscribe((e) => seen.push(e));
    stub.emit({ type: 'progress', progress: progress({ remainingPages: 5 }) });
    const sent = await until(() => trusted(fake).sent.find((s) => s.channel === IPC.event), 1000, 'an event sent to the window');
    for (const listener of listeners) listener({ sender: 'the IPC event object' }, sent.args[0]);
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.type === 'progress' && seen[0]!.progress.remainingPages, 5);
    stop();
    for (const listener of listeners) listener({}, sent.args[0]);
    assert.equal(seen.length, 1, 'unsubscribed');
  });

  test('errors from the service keep their class across the relay', async () => {
    const { fake } = await startApp({
      answers: {
        getJob: () => {
          throw new NotFoundError('There is no job 7.');
        },
      },
    });
    const result = await invoke(fake, { v: IPC_VERSION, operation: 'getJob', input: { jobId: 7 } });
    assert.equal(!result.ok && result.error.kind, 'not-found');
    assert.equal(!result.ok && result.error.message, 'There is no job 7.');
  });
});
