/**
 * The main window's size, position and maximised state, remembered between runs in a small JSON file in the
 * userData folder. A saved position that no longer lies on any screen (a monitor unplugged) is dropped, and the
 * size is shrunk to fit the largest screen.
 */
import { readFileSync } from 'node:fs';
import type * as Electron from 'electron';
import { z } from 'zod';
import { writeFileAtomic } from '../../node/atomic-write.ts';

export const windowStateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(320).max(100_000),
  height: z.number().int().min(240).max(100_000),
  maximized: z.boolean(),
});

export type WindowState = z.infer<typeof windowStateSchema>;

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1280, height: 820, maximized: false };
export const WINDOW_STATE_FILE = 'window-state.json';

/** How much of the window (in pixels each way) must lie on a screen for its saved position to be kept. */
const VISIBLE = 64;

export function loadWindowState(file: string): WindowState {
  try {
    const parsed = windowStateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : DEFAULT_WINDOW_STATE;
  } catch {
    return DEFAULT_WINDOW_STATE;
  }
}

/** The state made to fit the screens there are now (their work areas). */
export function fitToScreens(state: WindowState, workAreas: readonly Electron.Rectangle[]): WindowState {
  if (workAreas.length === 0) return state;
  const largest = workAreas.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));
  const width = Math.min(state.width, largest.width);
  const height = Math.min(state.height, largest.height);
  const { x, y } = state;
  if (x === undefined || y === undefined) return { width, height, maximized: state.maximized };
  const visible = workAreas.some(
    (a) => Math.min(x + width, a.x + a.width) - Math.max(x, a.x) >= VISIBLE && Math.min(y + height, a.y + a.height) - Math.max(y, a.y) >= VISIBLE,
  );
  return visible ? { x, y, width, height, maximized: state.maximized } : { width, height, maximized: state.maximized };
}

export function currentWindowState(window: Pick<Electron.BrowserWindow, 'getNormalBounds' | 'isMaximized'>): WindowState {
  const b = window.getNormalBounds();
  return { x: Math.round(b.x), y: Math.round(b.y), width: Math.round(b.width), height: Math.round(b.height), maximized: window.isMaximized() };
}

/** Saves the window's state when it is moved, resized, (un)maximised (at most every `debounceMs`) and closed. */
export function trackWindowState(window: Electron.BrowserWindow, file: string, debounceMs = 500, onError: (error: unknown) => void = () => undefined): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = '';
  const save = () => {
    clearTimeout(timer);
    timer = undefined;
    if (window.isDestroyed()) return;
    const text = `${JSON.stringify(currentWindowState(window))}\n`;
    if (text === last) return;
    last = text;
    writeFileAtomic(file, text).catch(onError);
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(save, debounceMs);
  };
  window.on('resize', later);
  window.on('move', later);
  window.on('maximize', save);
  window.on('unmaximize', save);
  window.on('close', save);
}
