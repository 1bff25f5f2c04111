/* eslint-disable @typescript-eslint/no-explicit-any -- the shapes mirror Electron's own declarations, which use any */
/**
 * The Electron 45 API that OCR Desk's shell uses, declared here because `electron` is an optional dependency that is
 * not installed on headless and CI machines. tsconfig.json maps the module name `electron` to this file (`paths`),
 * so the type check is the same whether or not Electron is installed.
 *
 * Every declaration is a subset of Electron 45.4.1's own electron.d.ts, with the same names and shapes;
 * `npm run typecheck:electron` checks the shell against the real declarations (it fetches the electron package's
 * typings from the npm registry; no binary is needed).
 */

export interface Event {
  preventDefault(): void;
}

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Display {
  id: number;
  bounds: Rectangle;
  workArea: Rectangle;
}

// ---- processes and ports ----

export interface MessageEvent {
  data: any;
  ports: MessagePortMain[];
}

export declare class MessagePortMain {
  on(event: 'message', listener: (messageEvent: MessageEvent) => void): this;
  on(event: 'close', listener: () => void): this;
  once(event: 'close', listener: () => void): this;
  postMessage(message: any, transfer?: MessagePortMain[]): void;
  start(): void;
  close(): void;
}

export declare class MessageChannelMain {
  port1: MessagePortMain;
  port2: MessagePortMain;
}

export interface ForkOptions {
  env?: NodeJS.ProcessEnv;
  execArgv?: string[];
  cwd?: string;
  stdio?: Array<'pipe' | 'ignore' | 'inherit'> | string;
  serviceName?: string;
  allowLoadingUnsignedLibraries?: boolean;
}

export declare class UtilityProcess {
  static fork(modulePath: string, args?: string[], options?: ForkOptions): UtilityProcess;
  pid: number | undefined;
  stdout: NodeJS.ReadableStream | null;
  stderr: NodeJS.ReadableStream | null;
  postMessage(message: any, transfer?: MessagePortMain[]): void;
  kill(): boolean;
  on(event: 'message', listener: (message: any) => void): this;
  on(event: 'exit', listener: (code: number) => void): this;
  on(event: 'spawn', listener: () => void): this;
  once(event: 'exit', listener: (code: number) => void): this;
  once(event: 'spawn', listener: () => void): this;
}

export declare const utilityProcess: typeof UtilityProcess;

// ---- web contents, frames, sessions ----

export declare class WebFrameMain {
  readonly url: string;
  readonly origin: string;
  readonly parent: WebFrameMain | null;
  readonly processId: number;
  readonly routingId: number;
}

export interface HandlerDetails {
  url: string;
  frameName: string;
  disposition: string;
}

export type WindowOpenHandlerResponse = { action: 'deny' } | { action: 'allow' };

export interface WebPreferences {
  preload?: string;
  sandbox?: boolean;
  contextIsolation?: boolean;
  nodeIntegration?: boolean;
  nodeIntegrationInWorker?: boolean;
  nodeIntegrationInSubFrames?: boolean;
  webSecurity?: boolean;
  allowRunningInsecureContent?: boolean;
  webviewTag?: boolean;
  experimentalFeatures?: boolean;
  navigateOnDragDrop?: boolean;
  spellcheck?: boolean;
  devTools?: boolean;
  safeDialogs?: boolean;
}

export declare class WebContents {
  readonly id: number;
  readonly mainFrame: WebFrameMain;
  readonly session: Session;
  send(channel: string, ...args: any[]): void;
  getURL(): string;
  isDestroyed(): boolean;
  setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void;
  openDevTools(): void;
  on(event: 'will-navigate', listener: (event: Event, url: string) => void): this;
  on(event: 'will-redirect', listener: (event: Event, url: string) => void): this;
  on(event: 'will-attach-webview', listener: (event: Event, webPreferences: WebPreferences, params: Record<string, string>) => void): this;
  on(event: 'did-fail-load', listener: (event: Event, errorCode: number, errorDescription: string, validatedURL: string) => void): this;
}

export interface PermissionRequest {
  requestingUrl: string;
}

export interface PermissionCheckHandlerHandlerDetails {
  requestingUrl?: string;
}

export interface WebRequestFilter {
  urls: string[];
}

export interface OnBeforeRequestListenerDetails {
  id: number;
  url: string;
  method: string;
  resourceType: string;
}

export interface CallbackResponse {
  cancel?: boolean;
}

export interface WebRequest {
  onBeforeRequest(filter: WebRequestFilter, listener: ((details: OnBeforeRequestListenerDetails, callback: (response: CallbackResponse) => void) => void) | null): void;
}

export interface CustomScheme {
  scheme: string;
  privileges?: {
    standard?: boolean;
    secure?: boolean;
    bypassCSP?: boolean;
    allowServiceWorkers?: boolean;
    supportFetchAPI?: boolean;
    corsEnabled?: boolean;
    stream?: boolean;
    codeCache?: boolean;
  };
}

export interface Protocol {
  registerSchemesAsPrivileged(customSchemes: CustomScheme[]): void;
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
  unhandle(scheme: string): void;
}

export declare class Session {
  static defaultSession: Session;
  readonly webRequest: WebRequest;
  readonly protocol: Protocol;
  setPermissionRequestHandler(handler: ((webContents: WebContents, permission: string, callback: (permissionGranted: boolean) => void, details: PermissionRequest) => void) | null): void;
  setPermissionCheckHandler(handler: ((webContents: WebContents | null, permission: string, requestingOrigin: string, details: PermissionCheckHandlerHandlerDetails) => boolean) | null): void;
  setDevicePermissionHandler(handler: ((details: unknown) => boolean) | null): void;
}

export declare const session: { readonly defaultSession: Session };
export declare const protocol: Protocol;

// ---- windows ----

export interface BrowserWindowConstructorOptions {
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  minWidth?: number;
  minHeight?: number;
  show?: boolean;
  title?: string;
  icon?: NativeImage | string;
  backgroundColor?: string;
  autoHideMenuBar?: boolean;
  webPreferences?: WebPreferences;
}

export declare class BrowserWindow {
  constructor(options?: BrowserWindowConstructorOptions);
  static getAllWindows(): BrowserWindow[];
  readonly id: number;
  readonly webContents: WebContents;
  loadURL(url: string): Promise<void>;
  show(): void;
  focus(): void;
  restore(): void;
  maximize(): void;
  isMinimized(): boolean;
  isMaximized(): boolean;
  isFocused(): boolean;
  isDestroyed(): boolean;
  getNormalBounds(): Rectangle;
  setProgressBar(progress: number): void;
  on(event: 'close', listener: (event: Event) => void): this;
  on(event: 'closed' | 'ready-to-show' | 'resize' | 'move' | 'maximize' | 'unmaximize', listener: () => void): this;
  once(event: 'ready-to-show', listener: () => void): this;
}

// ---- app ----

export interface App {
  readonly isPackaged: boolean;
  requestSingleInstanceLock(additionalData?: Record<any, any>): boolean;
  enableSandbox(): void;
  whenReady(): Promise<void>;
  getPath(name: 'home' | 'appData' | 'userData' | 'sessionData' | 'temp' | 'exe' | 'module' | 'desktop' | 'documents' | 'downloads' | 'logs'): string;
  getAppPath(): string;
  setAppUserModelId(id: string): void;
  quit(): void;
  exit(exitCode?: number): void;
  on(event: 'second-instance', listener: (event: Event, argv: string[], workingDirectory: string, additionalData: unknown) => void): this;
  on(event: 'open-file', listener: (event: Event, path: string) => void): this;
  on(event: 'web-contents-created', listener: (event: Event, webContents: WebContents) => void): this;
  on(event: 'before-quit', listener: (event: Event) => void): this;
  on(event: 'activate', listener: (event: Event, hasVisibleWindows: boolean) => void): this;
  on(event: 'window-all-closed', listener: () => void): this;
}

export declare const app: App;

// ---- IPC ----

export interface IpcMainInvokeEvent extends Event {
  frameId: number;
  processId: number;
  sender: WebContents;
  readonly senderFrame: WebFrameMain | null;
}

export interface IpcMain {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: any[]) => Promise<any> | any): void;
  removeHandler(channel: string): void;
}

export declare const ipcMain: IpcMain;

// ---- menus, tray, notifications, dialogs, screen, images ----

/** The roles OCR Desk's menus use (Electron has more). */
export type MenuItemRole =
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'selectAll'
  | 'reload'
  | 'toggleDevTools'
  | 'resetZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'togglefullscreen'
  | 'minimize'
  | 'close'
  | 'about'
  | 'hide'
  | 'hideOthers'
  | 'unhide';

export interface MenuItemConstructorOptions {
  label?: string;
  role?: MenuItemRole;
  type?: 'normal' | 'separator' | 'submenu' | 'checkbox' | 'radio';
  accelerator?: string;
  enabled?: boolean;
  visible?: boolean;
  checked?: boolean;
  click?: () => void;
  submenu?: MenuItemConstructorOptions[];
}

export declare class Menu {
  static buildFromTemplate(template: MenuItemConstructorOptions[]): Menu;
  static setApplicationMenu(menu: Menu | null): void;
}

export declare class NativeImage {
  isEmpty(): boolean;
}

export declare const nativeImage: { createFromPath(path: string): NativeImage };

export declare class Tray {
  constructor(image: NativeImage | string);
  setToolTip(toolTip: string): void;
  setContextMenu(menu: Menu | null): void;
  destroy(): void;
  isDestroyed(): boolean;
  on(event: 'click', listener: () => void): this;
}

export interface NotificationConstructorOptions {
  title?: string;
  body?: string;
  silent?: boolean;
  icon?: NativeImage | string;
}

export declare class Notification {
  constructor(options?: NotificationConstructorOptions);
  static isSupported(): boolean;
  show(): void;
  on(event: 'click', listener: () => void): this;
}

export interface FileFilter {
  name: string;
  extensions: string[];
}

export interface OpenDialogOptions {
  title?: string;
  properties?: Array<'openFile' | 'openDirectory' | 'multiSelections' | 'showHiddenFiles'>;
  filters?: FileFilter[];
}

export interface OpenDialogReturnValue {
  canceled: boolean;
  filePaths: string[];
}

export interface Dialog {
  showOpenDialog(window: BrowserWindow, options: OpenDialogOptions): Promise<OpenDialogReturnValue>;
  showOpenDialog(options: OpenDialogOptions): Promise<OpenDialogReturnValue>;
  showErrorBox(title: string, content: string): void;
}

export declare const dialog: Dialog;

export interface Screen {
  getAllDisplays(): Display[];
}

export declare const screen: Screen;

// ---- preload (sandboxed renderer) ----

export interface IpcRendererEvent {
  readonly sender: IpcRenderer;
}

export interface IpcRenderer {
  invoke(channel: string, ...args: any[]): Promise<any>;
  on(channel: string, listener: (event: IpcRendererEvent, ...args: any[]) => void): this;
  removeListener(channel: string, listener: (...args: any[]) => void): this;
}

export declare const ipcRenderer: IpcRenderer;

export interface ContextBridge {
  exposeInMainWorld(apiKey: string, api: any): void;
}

export declare const contextBridge: ContextBridge;

export interface WebUtils {
  getPathForFile(file: File): string;
}

export declare const webUtils: WebUtils;
