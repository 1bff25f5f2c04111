/**
 * How a CLI command reaches the OCR service of a data folder. One service per data folder:
 * - nobody holds the folder: this process opens the service itself;
 * - a service that serves HTTP holds it (`serve`, `watch`, the app): the command becomes its client, over loopback
 *   with the token it advertised, and the job runs there;
 * - another batch holds it: the command waits for the folder to be free, saying so once.
 */
import type { OcrClient } from '../../common/api/client.ts';
import { createHttpClient } from '../../common/api/http-client.ts';
import { CancelledError, DataDirBusyError } from '../../common/errors.ts';
import { readAdvertisement } from '../service/advertise.ts';
import { OcrService, type OcrServiceOptions } from '../service/ocr-service.ts';
import { processAlive } from '../store/lock.ts';

export interface Connection {
  readonly client: OcrClient;
  /** The service, when this process runs it. */
  readonly local: OcrService | undefined;
  /** Where the service runs, for messages: undefined here, else its URL. */
  readonly remoteUrl: string | undefined;
  close(): Promise<void>;
}

export interface ConnectIo {
  readonly stderr: { write(text: string): unknown };
  readonly signal?: AbortSignal | undefined;
}

const WAIT_MS = 500;

/** Opens the service here, or connects to the one running; `handOff: false` waits instead of connecting. */
export async function connectService(options: OcrServiceOptions & { readonly handOff?: boolean }, io: ConnectIo): Promise<Connection> {
  let told = false;
  for (;;) {
    if (io.signal?.aborted) throw new CancelledError('Interrupted while waiting for the data folder.');
    let busy: DataDirBusyError;
    try {
      const service = await OcrService.open(options);
      return { client: service, local: service, remoteUrl: undefined, close: () => service.close() };
    } catch (error) {
      if (!(error instanceof DataDirBusyError)) throw error;
      busy = error;
    }
    const ad = options.handOff === false ? undefined : await readAdvertisement(options.dataDir);
    if (ad && ad.pid === busy.pid && processAlive(ad.pid)) {
      const client = createHttpClient({ baseUrl: ad.url, token: ad.token });
      try {
        await client.getProgress();
        return { client, local: undefined, remoteUrl: ad.url, close: async () => undefined };
      } catch {
        // Advertised but not answering (stopping): wait like for any other holder.
      }
    }
    if (!told) {
      io.stderr.write(`Waiting for the OCR Desk using ${options.dataDir} (process ${busy.pid}) to finish… (Ctrl-C to stop waiting)\n`);
      told = true;
    }
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, WAIT_MS);
      io.signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
    });
  }
}
