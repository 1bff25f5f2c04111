/**
 * Builds the renderer (app/renderer) into dist/renderer, which `ocr-desk serve` serves and the Electron window
 * loads. Everything is bundled: the app fetches nothing from the network at run time. Relative asset URLs (`base:
 * './'`) work both over HTTP and from a file:// URL.
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'app/renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../../dist/renderer',
    emptyOutDir: true,
    target: 'chrome130',
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 1024,
  },
  logLevel: 'warn',
});
