/**
 * The renderer's one client: in the Electron window the preload exposes `window.ocrDesk` (one async method per
 * operation plus `subscribe`); in a browser the same verbs go over HTTP to `ocr-desk serve`, authenticated by the
 * cookie its printed address set. Only the transport differs; the UI sees an {@link OcrClient} either way.
 */
import type { OcrClient } from '../common/api/client.ts';
import { createHttpClient } from '../common/api/http-client.ts';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser. */
    readonly ocrDesk?: OcrClient;
  }
}

/** Which transport {@link pickClient} chose, for diagnostics. */
export type Transport = 'electron' | 'http';

export function pickClient(): { client: OcrClient; transport: Transport } {
  const preload = typeof window === 'undefined' ? undefined : window.ocrDesk;
  if (preload) return { client: preload, transport: 'electron' };
  return { client: createHttpClient({ baseUrl: '' }), transport: 'http' };
}
