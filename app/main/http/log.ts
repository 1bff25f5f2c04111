/**
 * The node's log: structured JSON lines (pino) to stderr (warnings and worse, or all at debug and trace), and at
 * the chosen level to a file in the data folder
 * (`logs/ocr-desk.<date>.<n>.log`, rolled daily and at 10 MiB, the last 14 kept; pino-roll). Requests are logged
 * by route, status, time, key id and address: never a query string (it may hold a token), a key, a token or any
 * document text.
 */
import path from 'node:path';
import { pino, type Logger } from 'pino';
import roll from 'pino-roll';

export type { Logger };

export interface LogOptions {
  readonly level: string;
  /** Folder for the file; undefined: stderr only. */
  readonly dir: string | undefined;
  /** @default process.stderr */
  readonly stderr?: NodeJS.WritableStream;
}

export async function createLogger(o: LogOptions): Promise<{ log: Logger; file: string | undefined; close: () => Promise<void> }> {
  const level = o.level === 'silent' ? 'silent' : o.level;
  // The terminal gets warnings and worse (or everything, at debug and trace); the file gets the chosen level.
  const terminal = level === 'debug' || level === 'trace' || level === 'error' || level === 'fatal' ? level : level === 'silent' ? 'fatal' : 'warn';
  const streams: { level: string; stream: NodeJS.WritableStream }[] = [{ level: terminal, stream: o.stderr ?? process.stderr }];
  let file: NodeJS.WritableStream & { end?: () => void; flushSync?: () => void } | undefined;
  if (o.dir !== undefined && level !== 'silent') {
    file = (await roll({ file: path.join(o.dir, 'ocr-desk'), extension: '.log', frequency: 'daily', dateFormat: 'yyyy-MM-dd', size: '10m', mkdir: true, limit: { count: 14 } })) as unknown as NodeJS.WritableStream;
    streams.push({ level, stream: file });
  }
  const log = pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Belt and braces: fields that could carry a secret never reach a line.
      redact: { paths: ['key', 'token', 'authorization', 'cookie', '*.authorization', '*.cookie', 'text'], censor: '[redacted]' },
    },
    pino.multistream(streams as Parameters<typeof pino.multistream>[0]),
  );
  return {
    log,
    file: o.dir === undefined ? undefined : path.join(o.dir, 'ocr-desk.<date>.<n>.log'),
    close: async () => {
      if (file) {
        file.flushSync?.();
        file.end?.();
      }
    },
  };
}
