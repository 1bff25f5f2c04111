/**
 * The desktop shell (desktop.ts) with Electron's API faked: files opened from outside, the remembered window, menus,
 * tray, notifications, and the service process seen from the shell (starting, quitting, a busy data folder, restarts).
 * The service host is the real one, run in this process on a stub service that records its calls (desktop-harness.ts).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, test } from 'node:test';
import type { ServiceEvent } from '../../app/common/api/events.ts';
import { DataDirBusyError } from '../../app/common/errors.ts';
import { IPC, IPC_VERSION } from '../../app/common/ipc.ts';
import { pathsFromArgv } from '../../app/main/electron/open-paths.ts';
import { fitToScreens } from '../../app/main/electron/window-state.ts';
import { tempDir } from '../helpers.ts';
import { until, type FakeElectron } from './fake-electron.ts';
import { stubService } from './stub-service-host.ts';
import { addJobs, cleanUp, onCleanUp, invoke, job, progress, startApp, trusted, windowOf } from './desktop-harness.ts';

afterEach(cleanUp);

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
    onCleanUp(temp.cleanup);
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
    onCleanUp(temp.cleanup);
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
