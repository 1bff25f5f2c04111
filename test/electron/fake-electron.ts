/**
 * Stand-ins for Electron's main-process API, for the shell's unit tests. Only Electron's own objects are faked;
 * the shell's code, the service host, the service and the workers are real.
 *
 * - fake-utility-process.ts: `utilityProcess.fork` on real child processes, and `MessageChannelMain`.
 * - stub-service-host.ts: a utility process whose service host runs in this process on a stub service.
 * - {@link fakeElectron}: app, BrowserWindow, webContents, frames, ipcMain, session, protocol, menus, tray,
 *   notifications, dialogs and screens that record what the shell does with them.
 */
import { EventEmitter } from 'node:events';
import path from 'node:path';
import type * as Electron from 'electron';
import type { ElectronMain } from '../../app/main/electron/desktop.ts';
import type { HostingApi } from '../../app/main/electron/service-process.ts';

export class FakeEvent {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

export class FakeFrame {
  url = '';
  parent: FakeFrame | null = null;
  processId = 1;
  routingId = 1;
  get origin(): string {
    try {
      return new URL(this.url).origin;
    } catch {
      return '';
    }
  }
}

let lastContentsId = 0;

export class FakeWebContents extends EventEmitter {
  readonly id = ++lastContentsId;
  readonly mainFrame = new FakeFrame();
  readonly sent: { channel: string; args: unknown[] }[] = [];
  windowOpenHandler: ((details: { url: string; frameName: string; disposition: string }) => { action: string }) | undefined;
  destroyed = false;
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  getURL(): string {
    return this.mainFrame.url;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setWindowOpenHandler(handler: FakeWebContents['windowOpenHandler']): void {
    this.windowOpenHandler = handler;
  }
  openDevTools(): void {}
  /** Emits `name` with a fresh event; returns the event (was it prevented?). */
  fire(name: string, ...args: unknown[]): FakeEvent {
    const event = new FakeEvent();
    this.emit(name, event, ...args);
    return event;
  }
}

export interface FakeElectronOptions {
  readonly hosting: HostingApi;
  readonly userData: string;
  /** Whether this instance gets the single-instance lock. @default true */
  readonly lock?: boolean;
  readonly isPackaged?: boolean;
  readonly displays?: Electron.Rectangle[];
  /** Answers of the open dialog, in order. */
  readonly dialogAnswers?: Electron.OpenDialogReturnValue[];
}

export function fakeElectron(o: FakeElectronOptions) {
  const log: string[] = [];
  const windows: FakeBrowserWindow[] = [];
  const contents: FakeWebContents[] = [];
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  const menus: { template: Electron.MenuItemConstructorOptions[] }[] = [];
  const trays: FakeTray[] = [];
  const notifications: { options: Electron.NotificationConstructorOptions; shown: boolean }[] = [];
  const errorBoxes: { title: string; content: string }[] = [];
  const dialogs: { options: Electron.OpenDialogOptions }[] = [];
  const dialogAnswers = [...(o.dialogAnswers ?? [])];
  let ready = false;

  const app = Object.assign(new EventEmitter(), {
    isPackaged: o.isPackaged ?? false,
    quits: 0,
    exits: [] as (number | undefined)[],
    sandboxEnabled: false,
    requestSingleInstanceLock: () => (log.push('requestSingleInstanceLock'), o.lock ?? true),
    enableSandbox() {
      log.push('enableSandbox');
      app.sandboxEnabled = true;
    },
    whenReady: async () => {
      log.push('whenReady');
      ready = true;
    },
    isReady: () => ready,
    getPath: (name: string) => (name === 'userData' ? o.userData : path.join(o.userData, name)),
    getAppPath: () => process.cwd(),
    setAppUserModelId: () => undefined,
    quit() {
      log.push('quit');
      app.quits++;
      const event = new FakeEvent();
      app.emit('before-quit', event);
    },
    exit: (code?: number) => void app.exits.push(code),
    /** Emits `name` with a fresh event; returns the event. */
    fire(name: string, ...args: unknown[]): FakeEvent {
      const event = new FakeEvent();
      app.emit(name, event, ...args);
      return event;
    },
  });

  const newContents = () => {
    const c = new FakeWebContents();
    contents.push(c);
    app.emit('web-contents-created', new FakeEvent(), c);
    return c;
  };

  class FakeBrowserWindow extends EventEmitter {
    static getAllWindows = () => windows.filter((w) => !w.destroyed);
    readonly id = windows.length + 1;
    readonly options: Electron.BrowserWindowConstructorOptions;
    readonly webContents: FakeWebContents;
    bounds: Electron.Rectangle;
    maximized = false;
    minimized = false;
    focused = false;
    shown = false;
    destroyed = false;
    loaded: string[] = [];
    constructor(options: Electron.BrowserWindowConstructorOptions = {}) {
      super();
      this.options = options;
      this.bounds = { x: options.x ?? 100, y: options.y ?? 100, width: options.width ?? 800, height: options.height ?? 600 };
      windows.push(this);
      this.webContents = newContents();
    }
    async loadURL(url: string): Promise<void> {
      this.loaded.push(url);
      this.webContents.mainFrame.url = url;
      setImmediate(() => this.emit('ready-to-show'));
    }
    show() {
      this.shown = true;
    }
    focus() {
      this.focused = true;
    }
    restore() {
      this.minimized = false;
    }
    maximize() {
      this.maximized = true;
      this.emit('maximize');
    }
    isMinimized() {
      return this.minimized;
    }
    isMaximized() {
      return this.maximized;
    }
    isFocused() {
      return this.focused;
    }
    isDestroyed() {
      return this.destroyed;
    }
    getNormalBounds() {
      return { ...this.bounds };
    }
    setProgressBar() {}
    /** Moves or resizes the window as a person would. */
    setBounds(bounds: Partial<Electron.Rectangle>) {
      this.bounds = { ...this.bounds, ...bounds };
      this.emit('move');
      this.emit('resize');
    }
    close() {
      const event = new FakeEvent();
      this.emit('close', event);
      if (event.defaultPrevented) return;
      this.destroyed = true;
      this.webContents.destroyed = true;
      this.emit('closed');
      if (FakeBrowserWindow.getAllWindows().length === 0) app.emit('window-all-closed');
    }
  }

  class FakeTray extends EventEmitter {
    tooltip = '';
    menu: { template: Electron.MenuItemConstructorOptions[] } | null = null;
    destroyed = false;
    readonly image: unknown;
    constructor(image: unknown) {
      super();
      this.image = image;
      trays.push(this);
    }
    setToolTip(text: string) {
      this.tooltip = text;
    }
    setContextMenu(menu: { template: Electron.MenuItemConstructorOptions[] } | null) {
      this.menu = menu;
    }
    destroy() {
      this.destroyed = true;
    }
    isDestroyed() {
      return this.destroyed;
    }
  }

  class FakeNotification extends EventEmitter {
    static isSupported = () => true;
    readonly record: { options: Electron.NotificationConstructorOptions; shown: boolean };
    constructor(options: Electron.NotificationConstructorOptions = {}) {
      super();
      this.record = { options, shown: false };
      notifications.push(this.record);
    }
    show() {
      this.record.shown = true;
    }
  }

  const Menu = {
    applicationMenu: undefined as { template: Electron.MenuItemConstructorOptions[] } | undefined,
    buildFromTemplate: (template: Electron.MenuItemConstructorOptions[]) => {
      const menu = { template };
      menus.push(menu);
      return menu;
    },
    setApplicationMenu: (menu: { template: Electron.MenuItemConstructorOptions[] }) => void (Menu.applicationMenu = menu),
  };

  type RequestHandler = ((wc: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void) | null;
  type CheckHandler = ((wc: unknown, permission: string, origin: string, details: unknown) => boolean) | null;
  type BeforeRequest = { filter: Electron.WebRequestFilter; listener: (details: unknown, callback: (r: Electron.CallbackResponse) => void) => void };
  const session: {
    permissionRequestHandler?: RequestHandler;
    permissionCheckHandler?: CheckHandler;
    devicePermissionHandler?: ((details: unknown) => boolean) | null;
    beforeRequest?: BeforeRequest;
    [method: string]: unknown;
  } = {};
  Object.assign(session, {
    setPermissionRequestHandler: (h: RequestHandler) => void (session.permissionRequestHandler = h),
    setPermissionCheckHandler: (h: CheckHandler) => void (session.permissionCheckHandler = h),
    setDevicePermissionHandler: (h: ((details: unknown) => boolean) | null) => void (session.devicePermissionHandler = h),
    webRequest: { onBeforeRequest: (filter: Electron.WebRequestFilter, listener: BeforeRequest['listener']) => void (session.beforeRequest = { filter, listener }) },
  });

  const protocol = {
    privileged: [] as Electron.CustomScheme[],
    handlers: new Map<string, (request: Request) => Response | Promise<Response>>(),
    registerSchemesAsPrivileged: (schemes: Electron.CustomScheme[]) => {
      log.push(`registerSchemesAsPrivileged${ready ? ' (after ready!)' : ''}`);
      protocol.privileged.push(...schemes);
    },
    handle: (scheme: string, handler: (request: Request) => Response | Promise<Response>) => void protocol.handlers.set(scheme, handler),
    unhandle: (scheme: string) => void protocol.handlers.delete(scheme),
  };

  const electron = {
    app,
    BrowserWindow: FakeBrowserWindow,
    ipcMain: {
      handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) => void handlers.set(channel, handler),
      removeHandler: (channel: string) => void handlers.delete(channel),
    },
    Menu,
    Tray: FakeTray,
    Notification: FakeNotification,
    nativeImage: { createFromPath: (p: string) => ({ path: p, isEmpty: () => false }) },
    session: { defaultSession: session },
    protocol,
    dialog: {
      showOpenDialog: async (...args: unknown[]) => {
        const options = (args.length > 1 ? args[1] : args[0]) as Electron.OpenDialogOptions;
        dialogs.push({ options });
        return dialogAnswers.shift() ?? { canceled: true, filePaths: [] };
      },
      showErrorBox: (title: string, content: string) => void errorBoxes.push({ title, content }),
    },
    screen: { getAllDisplays: () => (o.displays ?? [{ x: 0, y: 0, width: 1920, height: 1080 }]).map((workArea, id) => ({ id, bounds: workArea, workArea })) },
    utilityProcess: o.hosting.utilityProcess,
    MessageChannelMain: o.hosting.MessageChannelMain,
  };

  return {
    electron: electron as unknown as ElectronMain,
    app,
    log,
    windows,
    contents,
    handlers,
    Menu,
    menus,
    trays,
    notifications,
    errorBoxes,
    dialogs,
    session,
    protocol,
    /** Calls an ipcMain handler as Electron would for a message from `sender`'s frame. */
    invoke(channel: string, sender: FakeWebContents, frame: FakeFrame | null, ...args: unknown[]) {
      const handler = handlers.get(channel);
      if (!handler) throw new Error(`no handler for ${channel}`);
      return handler({ sender, senderFrame: frame, frameId: 1, processId: 1, preventDefault() {} }, ...args);
    },
    newContents,
  };
}

export type FakeElectron = ReturnType<typeof fakeElectron>;

/** Waits until `check` returns something other than undefined (polling every 10 ms). */
export async function until<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
