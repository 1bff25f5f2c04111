/**
 * Stand-ins for Electron's main-process API, for the shell's unit tests. Only Electron's own objects are faked;
 * the shell's code, the service host, the service and the workers are real.
 *
 * - {@link processHosting}: `utilityProcess.fork` built on `child_process.fork` (with utility-child.ts giving the
 *   child an Electron-like `process.parentPort`) and a `MessageChannelMain` whose ports can be handed to children;
 *   the test process routes port messages between children, as Electron does between utility processes.
 * - {@link inProcessHosting}: a utility process whose "child" is a service host run in this process on a stub
 *   service (for shell tests that need no OCR).
 * - {@link fakeElectron}: app, BrowserWindow, webContents, frames, ipcMain, session, protocol, menus, tray,
 *   notifications, dialogs and screens that record what the shell does with them.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { constants } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Electron from 'electron';
import type { ElectronMain } from '../../app/main/electron/desktop.ts';
import { runServiceHost, type HostedService } from '../../app/main/electron/host/service-host.ts';
import type { HostingApi } from '../../app/main/electron/service-process.ts';
import type { OcrServiceOptions } from '../../app/main/service/ocr-service.ts';

const BOOTSTRAP = path.join(path.dirname(fileURLToPath(import.meta.url)), 'utility-child.ts');

// ---- ports ----

let lastPortId = 0;
const allPorts = new Map<number, FakePort>();

/** A MessagePortMain: it lives in this process until it is transferred to a child, then the router speaks for it. */
export class FakePort extends EventEmitter {
  readonly id = ++lastPortId;
  peer!: FakePort;
  owner: FakeUtilityProcess | undefined;
  closed = false;
  #started = false;
  #queue: unknown[] = [];

  constructor() {
    super();
    allPorts.set(this.id, this);
  }

  postMessage(data: unknown): void {
    if (!this.closed) deliver(this.peer, data);
  }

  start(): void {
    this.#started = true;
    for (const data of this.#queue.splice(0)) this.emit('message', { data, ports: [] });
  }

  close(): void {
    closePort(this);
  }

  receive(data: unknown): void {
    if (this.#started) this.emit('message', { data, ports: [] });
    else this.#queue.push(data);
  }
}

function deliver(target: FakePort, data: unknown): void {
  if (target.closed) return;
  if (target.owner) target.owner.toChild({ kind: 'port-message', port: target.id, data });
  else target.receive(data);
}

function closePort(port: FakePort): void {
  if (port.closed) return;
  port.closed = true;
  const peer = port.peer;
  if (peer.closed) return;
  peer.closed = true;
  if (peer.owner) peer.owner.toChild({ kind: 'port-closed', port: peer.id });
  else peer.emit('close');
}

export class FakeMessageChannelMain {
  readonly port1 = new FakePort();
  readonly port2 = new FakePort();
  constructor() {
    this.port1.peer = this.port2;
    this.port2.peer = this.port1;
  }
}

// ---- utility processes on child_process.fork ----

export interface ForkRecord {
  readonly modulePath: string;
  readonly args: readonly string[];
  readonly options: Electron.ForkOptions;
  readonly process: FakeUtilityProcess;
}

/** Messages each child sent, by route: straight to main (`parent`) or over a port it was given (`port`). */
export interface RouteCounts {
  parent: number;
  port: number;
}

export class FakeUtilityProcess extends EventEmitter {
  pid: number | undefined;
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  readonly child: ChildProcess;
  readonly routes: RouteCounts = { parent: 0, port: 0 };
  /** Ports handed to this process with postMessage. */
  readonly transferred: FakePort[] = [];
  exitCode: number | undefined;

  constructor(modulePath: string, args: readonly string[], options: Electron.ForkOptions) {
    super();
    const stdio = typeof options.stdio === 'string' ? [options.stdio, options.stdio, options.stdio] : (options.stdio ?? ['ignore', 'inherit', 'inherit']);
    const mode = (m: string | undefined) => (m === 'pipe' || m === 'ignore' ? m : 'inherit');
    this.child = fork(BOOTSTRAP, [modulePath, ...args], {
      execArgv: [...(options.execArgv ?? [])],
      env: options.env ?? process.env,
      stdio: ['ignore', mode(stdio[1]), mode(stdio[2]), 'ipc'],
      serialization: 'advanced',
    });
    this.stdout = this.child.stdout;
    this.stderr = this.child.stderr;
    this.child.once('spawn', () => {
      this.pid = this.child.pid;
      this.emit('spawn');
    });
    this.child.on('message', (raw) => this.#fromChild(raw as { kind: string; port?: number; data?: unknown }));
    this.child.once('exit', (code, signal) => {
      for (const port of allPorts.values()) if (port.owner === this) closePort(port);
      this.exitCode = code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
      this.pid = undefined;
      this.emit('exit', this.exitCode);
    });
  }

  postMessage(message: unknown, transfer: FakePort[] = []): void {
    for (const port of transfer) {
      port.owner = this;
      this.transferred.push(port);
    }
    this.toChild({ kind: 'parent', data: message, ports: transfer.map((p) => p.id) });
  }

  kill(): boolean {
    return this.child.kill('SIGTERM');
  }

  toChild(message: unknown): void {
    if (this.child.connected) this.child.send(message as never, () => undefined);
  }

  #fromChild(message: { kind: string; port?: number; data?: unknown }): void {
    if (message.kind === 'parent') {
      this.routes.parent++;
      this.emit('message', message.data);
    } else if (message.kind === 'port-post') {
      this.routes.port++;
      const port = allPorts.get(message.port!);
      if (port) deliver(port.peer, message.data);
    } else if (message.kind === 'port-close') {
      const port = allPorts.get(message.port!);
      if (port) closePort(port);
    }
  }
}

/** `utilityProcess` and `MessageChannelMain` on real child processes; `forks` records every fork. */
export function processHosting(): HostingApi & { forks: ForkRecord[] } {
  const forks: ForkRecord[] = [];
  const utilityProcess = {
    fork(modulePath: string, args: string[] = [], options: Electron.ForkOptions = {}) {
      const child = new FakeUtilityProcess(modulePath, args, options);
      forks.push({ modulePath, args, options, process: child });
      return child as unknown as Electron.UtilityProcess;
    },
  };
  return { utilityProcess: utilityProcess as HostingApi['utilityProcess'], MessageChannelMain: FakeMessageChannelMain as unknown as HostingApi['MessageChannelMain'], forks };
}

// ---- a service host in this process, on a stub service ----

/** A service that records every call and answers with canned values; `emit` sends an event to subscribers. */
export interface StubService {
  readonly calls: { operation: string; input: unknown }[];
  readonly closed: boolean;
  emit(event: Record<string, unknown>): void;
  readonly options: OcrServiceOptions | undefined;
}

export function stubService(answers: Record<string, (input: Record<string, unknown>) => unknown> = {}): StubService & { open: (options: OcrServiceOptions) => Promise<HostedService> } {
  const calls: { operation: string; input: unknown }[] = [];
  const listeners = new Set<(event: unknown) => void>();
  let seq = 0;
  let jobs = 0;
  const progress = { remainingPages: 0, pagesPerSecond: 0, etaSeconds: null, inFlight: 0, paused: false };
  const defaults: Record<string, (input: Record<string, unknown>) => unknown> = {
    addJob: (input) => ({ jobId: ++jobs, resumed: false, documents: (input.inputs as string[]).length, skipped: [], failures: [] }),
    getProgress: () => progress,
    pauseQueue: () => ({ ...progress, paused: true }),
    resumeQueue: () => progress,
  };
  const state = {
    calls,
    closed: false,
    options: undefined as OcrServiceOptions | undefined,
    emit: (event: Record<string, unknown>) => listeners.forEach((l) => l({ seq: ++seq, ...event })),
    open: async (options: OcrServiceOptions): Promise<HostedService> => {
      state.options = options;
      return new Proxy({} as HostedService, {
        get(_target, key) {
          if (key === 'dataDir') return options.dataDir;
          if (key === 'then') return undefined;
          if (key === 'subscribe') return (listener: (event: unknown) => void) => (listeners.add(listener), () => listeners.delete(listener));
          if (key === 'close') return async () => void (state.closed = true);
          return async (input: Record<string, unknown> = {}) => {
            calls.push({ operation: String(key), input });
            const answer = answers[String(key)] ?? defaults[String(key)];
            if (!answer) throw new Error(`The stub service has no answer for ${String(key)}`);
            return answer(input);
          };
        },
      });
    },
  };
  return state;
}

/** A `utilityProcess` whose service host runs in this process (`open` makes its service); workers are not expected. */
export function inProcessHosting(open: (options: OcrServiceOptions) => Promise<HostedService>): HostingApi & { forks: { modulePath: string; options: Electron.ForkOptions; process: EventEmitter }[] } {
  const forks: { modulePath: string; options: Electron.ForkOptions; process: EventEmitter }[] = [];
  const utilityProcess = {
    fork(modulePath: string, _args: string[] = [], options: Electron.ForkOptions = {}) {
      const proc = new EventEmitter() as EventEmitter & { pid: number; stdout: null; stderr: null; postMessage(m: unknown, t?: unknown[]): void; kill(): boolean };
      const hostSide = new EventEmitter() as EventEmitter & { postMessage(m: unknown): void };
      let alive = true;
      const exit = (code: number) => {
        if (!alive) return;
        alive = false;
        setImmediate(() => proc.emit('exit', code));
      };
      hostSide.postMessage = (m) => setImmediate(() => alive && proc.emit('message', structuredClone(m)));
      Object.assign(proc, {
        pid: 40_000 + forks.length,
        stdout: null,
        stderr: null,
        postMessage: (m: unknown, transfer: unknown[] = []) => setImmediate(() => alive && hostSide.emit('message', { data: structuredClone(m), ports: transfer })),
        kill: () => (exit(143), true),
      });
      runServiceHost(hostSide, { open, version: 'stub', exit, log: () => undefined });
      forks.push({ modulePath, options, process: proc });
      setImmediate(() => proc.emit('spawn'));
      return proc as unknown as Electron.UtilityProcess;
    },
  };
  return { utilityProcess: utilityProcess as HostingApi['utilityProcess'], MessageChannelMain: FakeMessageChannelMain as unknown as HostingApi['MessageChannelMain'], forks };
}

// ---- the rest of Electron's main-process API ----

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
