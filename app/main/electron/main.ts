/**
 * Entry point of Electron's main process (package.json `main`). Everything is in desktop.ts; this module only
 * hands it the real Electron API and the places of the app's files.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, MessageChannelMain, nativeImage, Notification, protocol, screen, session, Tray, utilityProcess } from 'electron';
import { dataDir } from '../settings.ts';
import { WORKER_ENTRY } from '../pool/transport.ts';
import { startDesktop, type DesktopPaths } from './desktop.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..', '..');

export const DESKTOP_PATHS: DesktopPaths = {
  rendererDir: path.join(root, 'dist', 'renderer'),
  preload: path.join(root, 'dist', 'electron', 'preload.cjs'),
  serviceHost: path.join(here, 'host', 'service-host-main.ts'),
  worker: WORKER_ENTRY,
  icon: path.join(here, 'assets', 'icon.png'),
  trayIcon: path.join(here, 'assets', 'tray.png'),
};

// The calls that must come before `ready` (the lock, the privileged scheme) run synchronously inside startDesktop.
startDesktop(
  { app, BrowserWindow, dialog, ipcMain, Menu, MessageChannelMain, nativeImage, Notification, protocol, screen, session, Tray, utilityProcess },
  {
    paths: DESKTOP_PATHS,
    // The same data folder as the command line's (OCR_DESK_DATA_DIR, else the platform's usual place), so
    // `ocr-desk search` finds what the app read; on macOS and Windows it is Electron's userData folder.
    dataDir: dataDir(process.env),
    argv: process.argv,
    cwd: process.cwd(),
    platform: process.platform,
    defaultApp: (process as { defaultApp?: boolean }).defaultApp === true,
  },
).catch((error: unknown) => {
  console.error(error);
  dialog.showErrorBox('OCR Desk cannot start', error instanceof Error ? error.message : String(error));
  app.exit(1);
});
