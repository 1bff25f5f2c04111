/**
 * Starts the desktop shell (desktop.ts) with Electron's API faked, for the desktop tests: a built renderer stand-in,
 * a stub service run by the real service host in this process, and helpers to call the IPC relay as a window would.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { JobState } from '../../app/common/api/resources.ts';
import { IPC, type IpcResult } from '../../app/common/ipc.ts';
import { jobSettingsSchema } from '../../app/common/job-settings.ts';
import { startDesktop, type DesktopPaths } from '../../app/main/electron/desktop.ts';
import type { HostedService } from '../../app/main/electron/host/service-host.ts';
import type { OcrServiceOptions } from '../../app/main/service/ocr-service.ts';
import { tempDir } from '../helpers.ts';
import { fakeElectron, type FakeElectron, type FakeFrame, type FakeWebContents } from './fake-electron.ts';
import { inProcessHosting, stubService } from './stub-service-host.ts';

const cleanups: (() => Promise<void>)[] = [];
/** Runs `cleanup` after the current test, before those registered earlier. */
export function onCleanUp(cleanup: () => Promise<void>): void {
  cleanups.push(cleanup);
}

/** Stops every app the test started and removes its folders: each test file runs it after each test. */
export async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

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

export async function startApp(o: StartOptions = {}) {
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

export const windowOf = (fake: FakeElectron) => fake.windows[0]!;
export const trusted = (fake: FakeElectron) => windowOf(fake).webContents;
export const invoke = (fake: FakeElectron, request: unknown, sender: FakeWebContents = trusted(fake), frame: FakeFrame | null = sender.mainFrame) =>
  fake.invoke(IPC.invoke, sender, frame, request) as Promise<IpcResult<unknown>>;
export const shell = (fake: FakeElectron, request: unknown, sender: FakeWebContents = trusted(fake)) => fake.invoke(IPC.shell, sender, sender.mainFrame, request) as Promise<IpcResult<unknown>>;
export const addJobs = (stub: ReturnType<typeof stubService>) => stub.calls.filter((c) => c.operation === 'addJob').map((c) => (c.input as { inputs: string[] }).inputs);

export const progress = (p: Partial<{ remainingPages: number; pagesPerSecond: number; etaSeconds: number | null; inFlight: number; paused: boolean }> = {}) => ({
  remainingPages: 0,
  pagesPerSecond: 0,
  etaSeconds: null,
  inFlight: 0,
  paused: false,
  ...p,
});

export function job(id: number, state: JobState, kind: 'interactive' | 'hotfolder' = 'interactive', documents: Partial<Record<'done' | 'failed', number>> = {}) {
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
