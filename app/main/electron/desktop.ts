/**
 * The desktop shell, composed: single-instance lock, the hardened window on app://ocr-desk, the service process
 * (and, through it, the OCR workers), the IPC relay, menus, the tray, notifications, and files opened from outside.
 * Main stays thin: it owns windows and processes and relays between the preload and the service; everything the
 * service does happens in the service's utility process.
 *
 * Every Electron API arrives in `electron` (main.ts passes the real module; tests pass fakes).
 */
import path from 'node:path';
import type * as Electron from 'electron';
import type { ServiceEvent } from '../../common/api/events.ts';
import type { Progress } from '../../common/api/resources.ts';
import { IPC, type AddJobOutput, type IpcResult } from '../../common/ipc.ts';
import { handleAppProtocol, registerAppScheme } from './app-protocol.ts';
import { registerIpc } from './ipc-relay.ts';
import { applicationMenu, trayMenu, trayTooltip, type MenuActions } from './menus.ts';
import { JobWatcher } from './notifications.ts';
import { PathOpener, pathsFromArgv } from './open-paths.ts';
import { APP_URL, hardenSession, hardenWebContents, secureWebPreferences } from './security.ts';
import { ServiceProcess, type HostingApi } from './service-process.ts';
import { fitToScreens, loadWindowState, trackWindowState, WINDOW_STATE_FILE } from './window-state.ts';

/** The parts of Electron's main-process API the shell uses. */
export interface ElectronMain extends HostingApi {
  readonly app: typeof Electron.app;
  readonly BrowserWindow: typeof Electron.BrowserWindow;
  readonly ipcMain: typeof Electron.ipcMain;
  readonly Menu: typeof Electron.Menu;
  readonly Tray: typeof Electron.Tray;
  readonly Notification: typeof Electron.Notification;
  readonly nativeImage: { createFromPath: typeof Electron.nativeImage.createFromPath };
  readonly session: { readonly defaultSession: Electron.Session };
  readonly protocol: typeof Electron.protocol;
  readonly dialog: typeof Electron.dialog;
  readonly screen: { getAllDisplays: typeof Electron.screen.getAllDisplays };
}

/** Where the shell's files are. */
export interface DesktopPaths {
  /** The built renderer (index.html and its assets). */
  readonly rendererDir: string;
  /** The bundled preload script (CommonJS, self-contained: sandboxed preloads cannot load modules). */
  readonly preload: string;
  /** Module of the service's utility process. */
  readonly serviceHost: string;
  /** Module of an OCR worker. */
  readonly worker: string;
  /** Window and tray icons. */
  readonly icon: string;
  readonly trayIcon: string;
}

export interface DesktopOptions {
  readonly paths: DesktopPaths;
  /** The data folder the service opens. */
  readonly dataDir: string;
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly platform: NodeJS.Platform;
  /** `process.defaultApp`: run as `electron <app folder>` (development). */
  readonly defaultApp: boolean;
  readonly env?: NodeJS.ProcessEnv;
  readonly log?: (line: string) => void;
  /** How long an opened file waits for more to join its job. @default 150 */
  readonly gatherMs?: number;
  /** How often the service may stop unexpectedly within a minute before the app gives up. @default 3 */
  readonly maxRestarts?: number;
}

export interface Desktop {
  /** The service process now running. */
  readonly service: ServiceProcess;
  readonly window: Electron.BrowserWindow | undefined;
  readonly opener: PathOpener;
  /** Opens paths as one job (what drops, the dialog and "open with" come to). */
  openPaths(paths: string[]): Promise<IpcResult<AddJobOutput>>;
  /** Stops the service and its workers (the app quits after it). */
  stop(): Promise<void>;
}

const IMAGE_EXTENSIONS = ['pdf', 'jpg', 'jpeg', 'png', 'tif', 'tiff', 'webp', 'bmp', 'gif'];

/**
 * Starts the shell; resolves once the window exists, or with undefined when another instance holds the lock (that
 * instance gets this one's arguments through `second-instance`, and this one quits).
 */
export async function startDesktop(electron: ElectronMain, options: DesktopOptions): Promise<Desktop | undefined> {
  const { app } = electron;
  const log = options.log ?? ((line: string) => console.error(line));
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return undefined;
  }
  app.enableSandbox();
  registerAppScheme(electron.protocol);

  let window: Electron.BrowserWindow | undefined;
  let service: ServiceProcess;
  let progress: Progress | undefined;
  let stopping: Promise<void> | undefined;
  let tray: Electron.Tray | undefined;
  const restarts: number[] = [];

  const showWindow = () => {
    if (!window) window = createWindow();
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };

  const openPaths = async (paths: string[]): Promise<IpcResult<AddJobOutput>> => (await service.call('addJob', { inputs: paths })) as IpcResult<AddJobOutput>;

  const notify = (title: string, body: string) => {
    if (!electron.Notification.isSupported()) return;
    const notification = new electron.Notification({ title, body });
    notification.on('click', showWindow);
    notification.show();
  };

  const opener = new PathOpener(async (paths) => {
    const result = await openPaths(paths);
    if (!result.ok) notify('OCR Desk could not open the files', result.error.message);
    else if (result.value.failures[0]) notify('OCR Desk could not read some files', result.value.failures[0].message);
    showWindow();
  }, options.gatherMs);

  // Files given on the command line, by a second launch, or by macOS's "open with".
  opener.add(pathsFromArgv(options.argv, options.cwd, { defaultApp: options.defaultApp }));
  app.on('second-instance', (_event, argv, workingDirectory) => {
    showWindow();
    opener.add(pathsFromArgv(argv, workingDirectory, { defaultApp: options.defaultApp }));
  });
  app.on('open-file', (event, file) => {
    event.preventDefault();
    opener.add([file]);
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, log));
  app.on('window-all-closed', () => {
    if (options.platform !== 'darwin') app.quit();
  });

  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      tray?.destroy();
      await service.shutdown();
    })());
  app.on('before-quit', (event) => {
    if (!service.running) return;
    event.preventDefault();
    void stop().then(() => app.quit());
  });

  await app.whenReady();
  if (options.platform === 'win32') app.setAppUserModelId('org.ocr-desk.app');
  hardenSession(electron.session.defaultSession);
  handleAppProtocol(electron.protocol, options.paths.rendererDir);

  const startService = (): ServiceProcess => {
    const started = ServiceProcess.start(electron, {
      hostEntry: options.paths.serviceHost,
      workerEntry: options.paths.worker,
      dataDir: options.dataDir,
      env: options.env ?? process.env,
      log,
    });
    started.subscribe(onEvent);
    started.ready.then(
      () => opener.ready(),
      (error: unknown) => {
        if (stopping || !started.running) return;
        electron.dialog.showErrorBox('OCR Desk cannot start', error instanceof Error ? error.message : String(error));
        app.quit();
      },
    );
    void started.exited.then((code) => {
      if (stopping || started !== service) return;
      const now = Date.now();
      restarts.push(now);
      while (restarts[0]! < now - 60_000) restarts.shift();
      if (restarts.length > (options.maxRestarts ?? 3)) {
        electron.dialog.showErrorBox('OCR Desk stopped', `The OCR service stopped ${restarts.length} times within a minute (last exit code ${code}). Nothing is lost: unfinished pages are done when OCR Desk starts again.`);
        app.quit();
        return;
      }
      log(`ocr-desk: the OCR service stopped (exit code ${code}); starting it again.`);
      service = startService();
    });
    return started;
  };

  const watcher = new JobWatcher((notice) => {
    if (!window?.isFocused()) notify(notice.title, notice.body);
  });

  function onEvent(event: ServiceEvent): void {
    if (window && !window.isDestroyed()) window.webContents.send(IPC.event, event);
    watcher.onEvent(event);
    const next = event.type === 'progress' ? event.progress : undefined;
    if (next && (!progress || next.paused !== progress.paused)) {
      progress = next;
      refreshMenus();
    } else if (next) {
      progress = next;
      updateTray();
    }
  }

  const choosePaths = async (kind: 'files' | 'folder'): Promise<IpcResult<AddJobOutput | null>> => {
    const dialogOptions: Electron.OpenDialogOptions =
      kind === 'folder'
        ? { title: 'Open folders', properties: ['openDirectory', 'multiSelections'] }
        : { title: 'Open files', properties: ['openFile', 'multiSelections'], filters: [{ name: 'Images and PDFs', extensions: IMAGE_EXTENSIONS }] };
    const chosen = window ? await electron.dialog.showOpenDialog(window, dialogOptions) : await electron.dialog.showOpenDialog(dialogOptions);
    if (chosen.canceled || chosen.filePaths.length === 0) return { ok: true, value: null };
    return openPaths(chosen.filePaths);
  };

  const queueCall = (operation: 'pauseQueue' | 'resumeQueue') => {
    void service.call(operation, {}).then((result) => {
      if (!result.ok) notify('OCR Desk', result.error.message);
    });
  };

  const actions: MenuActions = {
    openFiles: () => void choosePaths('files'),
    openFolder: () => void choosePaths('folder'),
    pauseQueue: () => queueCall('pauseQueue'),
    resumeQueue: () => queueCall('resumeQueue'),
    showWindow,
    quit: () => app.quit(),
  };

  function updateTray(): void {
    if (!tray || tray.isDestroyed()) return;
    tray.setToolTip(trayTooltip(progress));
    tray.setContextMenu(electron.Menu.buildFromTemplate(trayMenu(progress, actions)));
  }

  function refreshMenus(): void {
    electron.Menu.setApplicationMenu(
      electron.Menu.buildFromTemplate(applicationMenu({ platform: options.platform, isPackaged: app.isPackaged, paused: progress?.paused ?? false }, actions)),
    );
    updateTray();
  }

  function createWindow(): Electron.BrowserWindow {
    const stateFile = path.join(app.getPath('userData'), WINDOW_STATE_FILE);
    const state = fitToScreens(
      loadWindowState(stateFile),
      electron.screen.getAllDisplays().map((d) => d.workArea),
    );
    const created = new electron.BrowserWindow({
      ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
      width: state.width,
      height: state.height,
      minWidth: 640,
      minHeight: 420,
      show: false,
      title: 'OCR Desk',
      icon: options.paths.icon,
      backgroundColor: '#ffffff',
      webPreferences: secureWebPreferences(options.paths.preload, !app.isPackaged),
    });
    hardenWebContents(created.webContents, log);
    if (state.maximized) created.maximize();
    trackWindowState(created, stateFile, 500, (error) => log(`ocr-desk: the window's size could not be saved: ${String(error)}`));
    created.once('ready-to-show', () => created.show());
    created.on('closed', () => {
      if (window === created) window = undefined;
    });
    created.webContents.on('did-fail-load', (_event, code, description, url) => log(`ocr-desk: the window could not load ${url}: ${description} (${code})`));
    void created.loadURL(APP_URL).catch((error: unknown) => log(`ocr-desk: the window could not load ${APP_URL}: ${String(error)}`));
    return created;
  }

  service = startService();
  registerIpc(electron.ipcMain, {
    trustedContents: () => (window && !window.isDestroyed() ? window.webContents : undefined),
    call: (operation, input) => service.call(operation, input),
    openPaths,
    choosePaths,
    log,
  });
  window = createWindow();
  refreshMenus();
  try {
    tray = new electron.Tray(electron.nativeImage.createFromPath(options.paths.trayIcon));
    tray.on('click', showWindow);
    updateTray();
  } catch (error) {
    // Some Linux desktops have no tray; the app works without it.
    log(`ocr-desk: no tray icon: ${error instanceof Error ? error.message : String(error)}`);
  }
  app.on('activate', () => {
    if (!window) window = createWindow();
  });

  return {
    get service() {
      return service;
    },
    get window() {
      return window;
    },
    opener,
    openPaths,
    stop,
  };
}
