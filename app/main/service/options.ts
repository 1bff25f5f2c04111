/** How an OcrService is opened: its data folder, the layers of its settings, what it works on, how workers start. */
import type { TransportFactory } from '../pool/transport.ts';
import type { NetworkOptions } from './network-guard.ts';
import type { NodeSettings, NodeSettingsPatch } from './node-settings.ts';
import type { SettingsPatch } from './service-settings.ts';

export interface OcrServiceOptions {
  /** The data folder: store, caches, uploads. One service per data folder. */
  readonly dataDir: string;
  /** Settings given on the command line: they win over the environment and stored settings. */
  readonly commandLine?: SettingsPatch;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Work on every unfinished job in the store, or only on jobs added (or resumed) through this service. @default 'all' */
  readonly jobs?: 'all' | 'own';
  /** Watch the enabled hot folders stored in the data folder at start. @default true */
  readonly hotFolders?: boolean;
  /** Start the OCR workers at once rather than with the first page. @default true */
  readonly warmUp?: boolean;
  /**
   * How many pages this service is opened to read, when the caller knows (a CLI batch of single-page images). With
   * fewer pages than CPU cores, and neither `workers` nor `threads` set, the pool gets one worker per page with the
   * cores shared among them (worker-pools.ts). @default unknown: one single-threaded worker per core
   */
  readonly pagesHint?: number | undefined;
  /** How OCR workers are started. @default child processes */
  readonly transport?: TransportFactory;
  /** Worker entry module (the packaged app's). @default app/worker/worker-main.ts */
  readonly workerEntry?: string;
  /** What network callers may do (see node-settings.ts); the local admin is never limited. */
  readonly network?: NetworkOptions;
  /** `ocr-desk serve`'s node settings: its flags (a layer of getNodeSettings) and the values it serves with now. */
  readonly node?: { readonly commandLine?: NodeSettingsPatch; readonly running?: NodeSettings };
}
