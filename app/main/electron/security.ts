/**
 * The window's hardening, in one place: web preferences (context isolation, sandbox, no Node), the content security
 * policy, navigation and new windows blocked, every permission denied, and no request to the network. OCR Desk's
 * page needs nothing beyond its own files and the preload's verbs.
 */
import type * as Electron from 'electron';

/** The page is served from this privileged custom scheme (app-protocol.ts), never from file://. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'ocr-desk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

/**
 * Only the app's own scripts, styles and fonts; pictures also from blob:/data: (page images arrive as bytes); no
 * inline script, no eval, no frames, no plugins, no form posts, and nothing from the network.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "manifest-src 'self'",
  "media-src 'none'",
  "object-src 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** Requests the window may never make (CSP already forbids them; this stops them in the network layer too). */
export const BLOCKED_URLS = ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'ftp://*/*', 'file://*/*'];

export function secureWebPreferences(preload: string, devTools: boolean): Electron.WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    // A file dropped where the page does not take it must not replace the page.
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
    devTools,
  };
}

/** Whether `url` is a page of the app itself (app://ocr-desk/…). */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

const hardened = new WeakSet<Electron.WebContents>();

/** Every web contents (the window, and any that might appear): no navigation away, no new windows, no webviews. Idempotent. */
export function hardenWebContents(contents: Electron.WebContents, log: (line: string) => void = () => undefined): void {
  if (hardened.has(contents)) return;
  hardened.add(contents);
  contents.setWindowOpenHandler(({ url }) => {
    log(`ocr-desk: blocked a new window for ${url}`);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    log(`ocr-desk: blocked navigation to ${url}`);
  });
  contents.on('will-redirect', (event, url) => {
    event.preventDefault();
    log(`ocr-desk: blocked a redirect to ${url}`);
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** The session: every permission request and check denied, no device access, no network requests. */
export function hardenSession(session: Electron.Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onBeforeRequest({ urls: BLOCKED_URLS }, (_details, callback) => callback({ cancel: true }));
}
