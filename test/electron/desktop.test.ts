/**
 * The desktop shell (desktop.ts) with Electron's API faked: the hardened window and session, the IPC relay's checks,
 * single instance and files opened from outside, the remembered window, menus, tray, notifications and quitting.
 * The service host is the real one (runServiceHost), run in this process on a stub service that records its calls.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { createIpcClient } from '../../app/common/api/ipc-client.ts';
import type { ServiceEvent } from '../../app/common/api/events.ts';
import type { JobState } from '../../app/common/api/resources.ts';
import { DataDirBusyError, InvalidOptionError, NotFoundError } from '../../app/common/errors.ts';
import { IPC, IPC_VERSION, type IpcResult } from '../../app/common/ipc.ts';
import { jobSettingsSchema } from '../../app/common/job-settings.ts';
import { startDesktop, type DesktopPaths } from '../../app/main/electron/desktop.ts';
import { pathsFromArgv } from '../../app/main/electron/open-paths.ts';
import { createBridge } from '../../app/main/electron/preload-bridge.ts';
import { APP_URL, BLOCKED_URLS, CONTENT_SECURITY_POLICY } from '../../app/main/electron/security.ts';
import { fitToScreens } from '../../app/main/electron/window-state.ts';
import type { OcrServiceOptions } from '../../app/main/service/ocr-service.ts';
import type { HostedService } from '../../app/main/electron/host/service-host.ts';
import { tempDir } from '../helpers.ts';
import { fakeElectron, FakeFrame, inProcessHosting, stubService, until, type FakeElectron, type FakeWebContents } from './fake-electron.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface StartOptions {
  argv?: string[];
  cwd?: string;
  lock?: boolean;
  isPackaged?: boolean;
  platform?: NodeJS.Platform;
  userData?: string;
  displays?: { x: number; y: number; width: number; height: number }[];
  dialogAnswers?: { canceled: boolean; filePaths: string[] }[];
  open?: (options: OcrServiceOptions) => Promise<HostedService>;
  answers?: Parameters<typeof stubService>[0];
}

async function startApp(o: StartOptions = {}) {
  const temp = await tempDir('electron-desktop');
  cleanups.push(temp.cleanup);
  const rendererDir = path.join(temp.dir, 'renderer');
  await mkdir(path.join(rendererDir, 'assets'), { recursive: true });
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><script type="module" src="/assets/app.js"></script>');
  await writeFile(path.join(rendererDir, 'assets', 'app.js'), 'console.log("app")');
  const stub = stubService(o.answers);
  const hosting = inProcessHosting(o.open ?? stub.open);
  const userData = o.userData ?? path.join(temp.dir, 'userData');
  const fake = fakeElectron({ hosting, userData, lock: o.lock, isPackaged: o.isPackaged, displays: o.displays, dialogAnswers: o.dialogAnswers });
  const paths: DesktopPaths = {
    rendererDir,
    preload: path.join(temp.dir, 'preload.cjs'),
    serviceHost: path.join(temp.dir, 'service-host-main.ts'),
    worker: path.join(temp.dir, 'worker-main.ts'),
    icon: path.join(temp.dir, 'icon.png'),
    trayIcon: path.join(temp.dir, 'tray.png'),
  };
  const desktop = await startDesktop(fake.electron, {
    paths,
    dataDir: path.join(temp.dir, 'data'),
    argv: o.argv ?? ['/opt/electron/electron', '.'],
    cwd: o.cwd ?? '/home/ada/scans',
    platform: o.platform ?? 'linux',
    defaultApp: true,
    log: () => undefined,
    gatherMs: 20,
  });
  if (desktop) cleanups.push(() => desktop.stop());
  return { fake, stub, hosting, desktop, paths, userData, temp };
}

const windowOf = (fake: FakeElectron) => fake.windows[0]!;
const trusted = (fake: FakeElectron) => windowOf(fake).webContents;
const invoke = (fake: FakeElectron, request: unknown, sender: FakeWebContents = trusted(fake), frame: FakeFrame | null = sender.mainFrame) =>
  fake.invoke(IPC.invoke, sender, frame, request) as Promise<IpcResult<unknown>>;
const shell = (fake: FakeElectron, request: unknown, sender: FakeWebContents = trusted(fake)) => fake.invoke(IPC.shell, sender, sender.mainFrame, request) as Promise<IpcResult<unknown>>;
const addJobs = (stub: ReturnType<typeof stubService>) => stub.calls.filter((c) => c.operation === 'addJob').map((c) => (c.input as { inputs: string[] }).inputs);

const progress = (p: Partial<{ remainingPages: number; pagesPerSecond: number; etaSeconds: number | null; inFlight: number; paused: boolean }> = {}) => ({
  remainingPages: 0,
  pagesPerSecond: 0,
  etaSeconds: null,
  inFlight: 0,
  paused: false,
  ...p,
});

function job(id: number, state: JobState, kind: 'interactive' | 'hotfolder' = 'interactive', documents: Partial<Record<'done' | 'failed', number>> = {}) {
  const { password: _password, ...settings } = jobSettingsSchema.parse({});
  return {
    id,
    kind,
    state,
    priority: 10,
    label: `batch ${id}`,
    createdAt: '2026-11-24T06:00:00.000Z',
    updatedAt: '2026-11-24T06:00:00.000Z',
    settings: { ...settings, passwordSet: false },
    outputDir: null,
    documents: { queued: 0, running: 0, writing: 0, done: 0, failed: 0, cancelled: 0, ...documents },
    pages: { total: 3, done: 3 },
    probed: true,
  };
}

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

describe('files opened from outside the window become jobs', () => {
  test('command-line paths (made absolute, switches left out) are added once the service is ready', async () => {
    const { stub } = await startApp({ argv: ['/opt/electron/electron', '.', 'scan.png', '--enable-logging', 'folder', '../other/b.pdf'], cwd: '/home/ada/scans' });
    await until(() => addJobs(stub)[0], 2000, 'the job');
    assert.deepEqual(addJobs(stub), [['/home/ada/scans/scan.png', '/home/ada/scans/folder', '/home/ada/other/b.pdf']]);
  });

  test("a second launch's files go to the running instance, whose window comes to the front", async () => {
    const { fake, stub } = await startApp();
    windowOf(fake).minimized = true;
    fake.app.fire('second-instance', ['/opt/electron/electron', '.', 'b.pdf', '--allow-file-access-from-files', '--original-process-start-time=1'], '/tmp/elsewhere', {});
    await until(() => addJobs(stub)[0], 2000, 'the job');
    assert.deepEqual(addJobs(stub), [['/tmp/elsewhere/b.pdf']]);
    assert.equal(windowOf(fake).minimized, false);
    assert.equal(windowOf(fake).focused, true);
  });

  test("macOS's open-file events arriving together make one job", async () => {
    const { fake, stub } = await startApp({ platform: 'darwin' });
    const first = fake.app.fire('open-file', '/Users/ada/a.png');
    const second = fake.app.fire('open-file', '/Users/ada/b.png');
    assert.equal(first.defaultPrevented && second.defaultPrevented, true);
    await until(() => addJobs(stub)[0], 2000, 'the job');
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(addJobs(stub), [['/Users/ada/a.png', '/Users/ada/b.png']]);
  });

  test('files that arrive before the service is ready wait for it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const stub = stubService();
    const { fake } = await startApp({ open: async (options) => (await gate, stub.open(options)), argv: ['/opt/electron/electron', '.', '/scans/early.png'] });
    fake.app.fire('open-file', '/scans/later.png');
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(addJobs(stub).length, 0);
    release();
    await until(() => addJobs(stub)[0], 2000, 'the job');
    assert.deepEqual(addJobs(stub), [['/scans/early.png', '/scans/later.png']]);
  });

  test('pathsFromArgv: packaged and development launches', () => {
    assert.deepEqual(pathsFromArgv(['/opt/OCR Desk/ocr-desk', 'a.jpg', '-psn_0_1234'], '/home/ada', { defaultApp: false }), ['/home/ada/a.jpg']);
    assert.deepEqual(pathsFromArgv(['/opt/electron/electron', '--inspect', 'app', 'a.jpg'], '/w', { defaultApp: true }), ['/w/a.jpg']);
    assert.deepEqual(pathsFromArgv(['/opt/electron/electron', '.'], '/w', { defaultApp: true }), []);
    assert.deepEqual(pathsFromArgv(['/opt/OCR Desk/ocr-desk'], '/w', { defaultApp: false }), []);
  });
});

describe('the window remembers its place', () => {
  test('size and position are saved when the window closes and restored at the next start', async () => {
    const first = await startApp();
    const win = windowOf(first.fake);
    assert.equal(win.options.width, 1280);
    assert.equal(win.options.x, undefined, 'first start: centred');
    win.setBounds({ x: 50, y: 60, width: 1000, height: 700 });
    win.close();
    const file = path.join(first.userData, 'window-state.json');
    await until(() => (existsSync(file) ? true : undefined), 2000, 'the saved state');
    assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), { x: 50, y: 60, width: 1000, height: 700, maximized: false });

    const second = await startApp({ userData: first.userData });
    const options = windowOf(second.fake).options;
    assert.deepEqual([options.x, options.y, options.width, options.height], [50, 60, 1000, 700]);
  });

  test('a maximised window opens maximised; a position on a screen that is gone is dropped', async () => {
    const temp = await tempDir('electron-state');
    cleanups.push(temp.cleanup);
    await mkdir(temp.dir, { recursive: true });
    await writeFile(path.join(temp.dir, 'window-state.json'), JSON.stringify({ x: 4000, y: 3000, width: 3000, height: 900, maximized: true }));
    const { fake } = await startApp({ userData: temp.dir, displays: [{ x: 0, y: 0, width: 1920, height: 1040 }] });
    const options = windowOf(fake).options;
    assert.equal(options.x, undefined);
    assert.equal(options.width, 1920, 'shrunk to the screen');
    assert.equal(windowOf(fake).maximized, true);
  });

  test('fitToScreens keeps a window that is on a second screen, and ignores a broken file', async () => {
    assert.deepEqual(fitToScreens({ x: 2000, y: 100, width: 800, height: 600, maximized: false }, [{ x: 0, y: 0, width: 1920, height: 1080 }, { x: 1920, y: 0, width: 1920, height: 1080 }]), {
      x: 2000,
      y: 100,
      width: 800,
      height: 600,
      maximized: false,
    });
    const temp = await tempDir('electron-state');
    cleanups.push(temp.cleanup);
    await writeFile(path.join(temp.dir, 'window-state.json'), '{"width": "huge"');
    const { fake } = await startApp({ userData: temp.dir });
    assert.equal(windowOf(fake).options.width, 1280);
  });
});

describe('menus, tray and notifications', () => {
  const item = (fake: FakeElectron, menu: string, label: string) => fake.Menu.applicationMenu!.template.find((m) => m.label === menu)!.submenu!.find((i) => i.label === label)!;

  test('the File menu opens files and folders with the usual shortcuts; the Queue menu pauses the queue', async () => {
    const { fake, stub } = await startApp({ dialogAnswers: [{ canceled: false, filePaths: ['/scans/x.png'] }] });
    assert.equal(item(fake, '&File', 'Open Files…').accelerator, 'CmdOrCtrl+O');
    assert.equal(item(fake, '&File', 'Open Folder…').accelerator, 'CmdOrCtrl+Shift+O');
    assert.equal(item(fake, '&File', 'Quit').accelerator, 'CmdOrCtrl+Q');
    item(fake, '&File', 'Open Files…').click!();
    await until(() => addJobs(stub)[0], 2000, 'the job');
    assert.deepEqual(addJobs(stub), [['/scans/x.png']]);
    item(fake, '&Queue', 'Pause Queue').click!();
    await until(() => stub.calls.find((c) => c.operation === 'pauseQueue'), 2000, 'pauseQueue');
    const edit = fake.Menu.applicationMenu!.template.find((m) => m.label === '&Edit')!;
    assert.ok(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll'].every((role) => edit.submenu!.some((i) => i.role === role)));
  });

  test("macOS gets the application menu first, without a Quit item under File", async () => {
    const { fake } = await startApp({ platform: 'darwin' });
    assert.equal(fake.Menu.applicationMenu!.template[0]!.label, 'OCR Desk');
    assert.equal(fake.Menu.applicationMenu!.template.find((m) => m.label === '&File')!.submenu!.some((i) => i.label === 'Quit'), false);
  });

  test('the tray shows the queue state; a paused queue flips the menus to Resume', async () => {
    const { fake, stub, desktop } = await startApp();
    const tray = fake.trays[0]!;
    assert.equal(tray.tooltip, 'OCR Desk: starting');
    await desktop!.service.ready;
    stub.emit({ type: 'progress', progress: progress({ remainingPages: 12, pagesPerSecond: 2.5, etaSeconds: 300, inFlight: 2 }) });
    await until(() => (tray.tooltip.includes('12 pages') ? true : undefined), 2000, 'the tooltip');
    assert.equal(tray.tooltip, 'OCR Desk: 12 pages to go, 2.5 pages/s, about 5 min left');
    stub.emit({ type: 'progress', progress: progress({ remainingPages: 12, paused: true }) });
    await until(() => (tray.tooltip.includes('paused') ? true : undefined), 2000, 'the paused tooltip');
    assert.equal(item(fake, '&Queue', 'Resume Queue').enabled, true);
    assert.equal(item(fake, '&Queue', 'Pause Queue').enabled, false);
    assert.ok(tray.menu!.template.some((i) => i.label === 'Resume Queue'));
    stub.emit({ type: 'progress', progress: progress() });
    await until(() => (tray.tooltip === 'OCR Desk: idle' ? true : undefined), 2000, 'idle');
  });

  test('a notification when a batch finishes or fails, once, not for hot folders, not while the window has focus', async () => {
    const { fake, stub, desktop } = await startApp();
    await desktop!.service.ready;
    const shown = () => fake.notifications.filter((n) => n.shown).map((n) => `${n.options.title}: ${n.options.body}`);
    stub.emit({ type: 'job', job: job(1, 'queued') });
    stub.emit({ type: 'job', job: job(1, 'running') });
    stub.emit({ type: 'job', job: job(1, 'done', 'interactive', { done: 2, failed: 1 }) });
    stub.emit({ type: 'job', job: job(1, 'done', 'interactive', { done: 2, failed: 1 }) });
    stub.emit({ type: 'job', job: job(2, 'running') });
    stub.emit({ type: 'job', job: job(2, 'failed', 'interactive', { failed: 3 }) });
    stub.emit({ type: 'job', job: job(3, 'running', 'hotfolder') });
    stub.emit({ type: 'job', job: job(3, 'done', 'hotfolder', { done: 1 }) });
    stub.emit({ type: 'job', job: job(4, 'done', 'interactive', { done: 1 }) });
    await until(() => (shown().length >= 2 ? true : undefined), 2000, 'the notifications');
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(shown(), ['OCR Desk: batch finished: batch 1: 2 files read, 1 file failed (3 pages).', 'OCR Desk: batch failed: batch 2: 3 files could not be read.']);
    windowOf(fake).focused = true;
    stub.emit({ type: 'job', job: job(5, 'running') });
    stub.emit({ type: 'job', job: job(5, 'done', 'interactive', { done: 1 }) });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(shown().length, 2);
  });
});

describe('the service process from the shell', () => {
  test('service events go to the window', async () => {
    const { fake, stub, desktop } = await startApp();
    await desktop!.service.ready;
    stub.emit({ type: 'progress', progress: progress({ remainingPages: 3 }) });
    const sent = await until(() => trusted(fake).sent.find((s) => s.channel === IPC.event), 2000, 'the event');
    assert.equal((sent.args[0] as ServiceEvent).type, 'progress');
  });

  test('the service host is forked with its module, the data folder and a name', async () => {
    const { hosting, paths, stub, temp } = await startApp();
    await until(() => stub.options, 2000, 'the service to open');
    assert.equal(hosting.forks[0]!.modulePath, paths.serviceHost);
    assert.equal(hosting.forks[0]!.options.serviceName, 'OCR Desk service');
    assert.equal(stub.options!.dataDir, path.join(temp.dir, 'data'));
    assert.equal(stub.options!.workerEntry, paths.worker);
    assert.equal(typeof stub.options!.transport, 'function', 'workers come through main');
  });

  test('quitting closes the service first, then quits', async () => {
    const { fake, stub, desktop } = await startApp();
    await desktop!.service.ready;
    fake.app.quit();
    await until(() => (fake.app.quits >= 2 ? true : undefined), 2000, 'the second quit');
    assert.equal(stub.closed, true);
    assert.equal(desktop!.service.running, false);
    assert.equal(fake.trays[0]!.destroyed, true);
  });

  test('a data folder in use by another OCR Desk: an error box, then quit', async () => {
    const { fake } = await startApp({
      open: async (options) => {
        throw new DataDirBusyError(options.dataDir, 1234);
      },
    });
    await until(() => fake.errorBoxes[0], 2000, 'the error box');
    assert.equal(fake.errorBoxes[0]!.title, 'OCR Desk cannot start');
    assert.match(fake.errorBoxes[0]!.content, /in use by another OCR Desk \(process 1234\)/);
    assert.ok(fake.app.quits >= 1);
  });

  test('a service that stops unexpectedly is started again, and calls work afterwards', async () => {
    const { fake, hosting, desktop } = await startApp();
    await desktop!.service.ready;
    (hosting.forks[0]!.process as unknown as { kill(): boolean }).kill();
    await until(() => hosting.forks[1], 2000, 'a new service process');
    await desktop!.service.ready;
    const result = await invoke(fake, { v: IPC_VERSION, operation: 'getProgress', input: {} });
    assert.equal(result.ok, true);
  });
});
