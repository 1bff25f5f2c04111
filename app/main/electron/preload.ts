/**
 * The window's preload script. It runs sandboxed with context isolation, so it is bundled (scripts/build-electron.mjs)
 * into one CommonJS file whose only `require` is 'electron'; it puts the narrow verbs of {@link createBridge} on
 * `window.ocrDesk`.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { BRIDGE_NAME } from '../../common/ipc-channels.ts';
import { createBridge } from './preload-bridge.ts';

contextBridge.exposeInMainWorld(BRIDGE_NAME, createBridge({ ipcRenderer, webUtils }));
