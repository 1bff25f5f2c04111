/**
 * The native application menu (with its shortcuts) and the tray icon with the queue's state. Templates are plain
 * data built by pure functions; the Electron objects are made in desktop.ts.
 */
import type * as Electron from 'electron';
import type { Progress } from '../../common/api/resources.ts';

export interface MenuActions {
  openFiles(): void;
  openFolder(): void;
  pauseQueue(): void;
  resumeQueue(): void;
  showWindow(): void;
  quit(): void;
}

export interface MenuContext {
  readonly platform: NodeJS.Platform;
  /** Developer tools and reload only in a development run. */
  readonly isPackaged: boolean;
  readonly paused: boolean;
}

type Item = Electron.MenuItemConstructorOptions;
const separator: Item = { type: 'separator' };

export function applicationMenu(context: MenuContext, actions: MenuActions): Item[] {
  const mac = context.platform === 'darwin';
  const file: Item = {
    label: '&File',
    submenu: [
      { label: 'Open Files…', accelerator: 'CmdOrCtrl+O', click: () => actions.openFiles() },
      { label: 'Open Folder…', accelerator: 'CmdOrCtrl+Shift+O', click: () => actions.openFolder() },
      ...(mac ? [] : [separator, { label: 'Quit', accelerator: 'CmdOrCtrl+Q', click: () => actions.quit() }]),
    ],
  };
  const queue: Item = {
    label: '&Queue',
    submenu: [
      { label: 'Pause Queue', accelerator: 'CmdOrCtrl+Shift+P', enabled: !context.paused, click: () => actions.pauseQueue() },
      { label: 'Resume Queue', accelerator: 'CmdOrCtrl+Shift+R', enabled: context.paused, click: () => actions.resumeQueue() },
    ],
  };
  const view: Item = {
    label: '&View',
    submenu: [
      ...(context.isPackaged ? [] : ([{ role: 'reload' }, { role: 'toggleDevTools' }, separator] satisfies Item[])),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      separator,
      { role: 'togglefullscreen' },
    ],
  };
  return [
    ...(mac ? [appMenu(actions)] : []),
    file,
    // The edit roles give text fields their usual shortcuts (on macOS only a menu provides them).
    { label: '&Edit', submenu: [{ role: 'undo' }, { role: 'redo' }, separator, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }] },
    view,
    queue,
    { label: '&Window', submenu: [{ role: 'minimize' }, { role: 'close' }] },
  ];
}

/** macOS's application menu. */
function appMenu(actions: MenuActions): Item {
  const submenu: Item[] = [{ role: 'about' }, separator, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, separator, { label: 'Quit OCR Desk', accelerator: 'Cmd+Q', click: () => actions.quit() }];
  return { label: 'OCR Desk', submenu };
}

/** One line for the tray icon's tooltip. */
export function trayTooltip(progress: Progress | undefined): string {
  if (!progress) return 'OCR Desk: starting';
  if (progress.paused) return `OCR Desk: paused, ${pages(progress.remainingPages)} left`;
  if (progress.remainingPages === 0 && progress.inFlight === 0) return 'OCR Desk: idle';
  const rate = progress.pagesPerSecond > 0 ? `, ${progress.pagesPerSecond.toFixed(1)} pages/s` : '';
  const eta = progress.etaSeconds !== null && progress.etaSeconds > 0 ? `, about ${duration(progress.etaSeconds)} left` : '';
  return `OCR Desk: ${pages(progress.remainingPages)} to go${rate}${eta}`;
}

export function trayMenu(progress: Progress | undefined, actions: MenuActions): Item[] {
  return [
    { label: trayTooltip(progress), enabled: false },
    separator,
    { label: 'Show OCR Desk', click: () => actions.showWindow() },
    progress?.paused ? { label: 'Resume Queue', click: () => actions.resumeQueue() } : { label: 'Pause Queue', enabled: progress !== undefined, click: () => actions.pauseQueue() },
    separator,
    { label: 'Quit', click: () => actions.quit() },
  ];
}

const pages = (n: number) => (n === 1 ? '1 page' : `${n} pages`);

function duration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
