/**
 * The key under which a result is stored and found again: the file's content plus everything that changes what
 * OCR makes of it. Identical content with identical settings reuses the stored result instead of being recognised
 * again; the engine's version is part of the key, so an upgraded engine never serves an older engine's text.
 */
import { createHash } from 'node:crypto';
import type { JobSettings } from '../../common/job-settings.ts';

export interface EngineIdentity {
  /** Model pack id. */
  readonly models: string;
  /** OCR Desk's version (the engine ships with it). */
  readonly version: string;
}

export function contentKey(sha256: string, s: JobSettings, engine: EngineIdentity): string {
  const parts = [sha256, engine.models, engine.version, [...s.languages].sort().join('+'), s.autoRotate, s.pdfMode, s.pdfDpi, s.maxPixels];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}
