/**
 * The OCR service hosted in an Electron utility process: `node:sqlite` is synchronous, so the service never runs on
 * Electron's main thread. Main starts this process, sends `open` with the data folder, then relays the renderer's
 * calls here by operation name; results and events go back as messages ({@link fromServiceHostSchema}). The
 * service's OCR workers are started by main on request ({@link WorkerRelay}) and talk to the service over ports.
 *
 * No Electron import (eslint enforces it): the parent port is handed in (`process.parentPort` in service-host-main.ts).
 */
import type { OcrClient } from '../../../common/api/client.ts';
import { NotFoundError, OcrDeskError, ProtocolError, serializeError } from '../../../common/errors.ts';
import { isOperationName, SERVICE_HOST_PROTOCOL_VERSION, toServiceHostSchema, type FromServiceHost, type ToServiceHost } from '../../../common/ipc.ts';
import type { OcrServiceOptions } from '../../service/ocr-service.ts';
import { WorkerRelay, type PortLike } from './relayed-transport.ts';

/** Electron's `process.parentPort`, as far as the host uses it. */
export interface HostParentPort {
  on(event: 'message', listener: (event: { data: unknown; ports?: readonly PortLike[] }) => void): unknown;
  postMessage(message: unknown): void;
}

/** What the host needs of the service (OcrService in the app; tests may pass another). */
export type HostedService = OcrClient & { readonly dataDir: string; close(): Promise<void> };

export interface ServiceHostDeps {
  readonly open: (options: OcrServiceOptions) => Promise<HostedService>;
  readonly version: string;
  /** @default process.exit */
  readonly exit?: (code: number) => void;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Reports a message that does not fit the protocol. @default console.error */
  readonly log?: (line: string) => void;
}

export interface ServiceHost {
  /** The workers the service has asked for and that have not exited. */
  readonly relay: WorkerRelay;
}

export function runServiceHost(port: HostParentPort, deps: ServiceHostDeps): ServiceHost {
  const post = (message: FromServiceHost) => port.postMessage(message);
  const relay = new WorkerRelay(post);
  const exit = deps.exit ?? ((code: number) => process.exit(code));
  const log = deps.log ?? ((line: string) => console.error(line));
  let opening: Promise<HostedService | undefined> | undefined;
  let closing: Promise<void> | undefined;

  const open = async (message: Extract<ToServiceHost, { type: 'open' }>): Promise<HostedService | undefined> => {
    try {
      const service = await deps.open({ dataDir: message.dataDir, workerEntry: message.workerEntry, transport: relay.factory, env: deps.env ?? process.env });
      service.subscribe((event) => post({ type: 'event', event }));
      post({ type: 'ready', v: SERVICE_HOST_PROTOCOL_VERSION, dataDir: service.dataDir, version: deps.version });
      return service;
    } catch (error) {
      post({ type: 'open-failed', error: serializeError(error) });
      return undefined;
    }
  };

  const call = async (id: number, operation: string, input: unknown): Promise<void> => {
    try {
      if (!isOperationName(operation)) throw new NotFoundError(`OCR Desk has no operation \`${operation}\`.`);
      const service = await opening;
      if (!service || closing) throw new OcrDeskError('The OCR service is not running.');
      const verb = service[operation] as (input: unknown) => Promise<unknown>;
      post({ type: 'result', id, ok: true, value: await verb.call(service, input) });
    } catch (error) {
      post({ type: 'result', id, ok: false, error: serializeError(error) });
    }
  };

  const shutdown = async (): Promise<void> => {
    const service = await opening;
    await service?.close();
    post({ type: 'closed' });
    exit(0);
  };

  port.on('message', (event) => {
    const parsed = toServiceHostSchema.safeParse(event.data);
    if (!parsed.success) {
      log(`ocr-desk service: ignored a message from main that does not fit the protocol: ${parsed.error.issues[0]?.message ?? ''}`);
      for (const p of event.ports ?? []) p.close();
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case 'open':
        if (opening) {
          log('ocr-desk service: `open` was sent twice; the second is ignored.');
          return;
        }
        opening = open(message);
        return;
      case 'call':
        if (!opening) {
          post({ type: 'result', id: message.id, ok: false, error: serializeError(new ProtocolError('The service was called before `open`.')) });
          return;
        }
        void call(message.id, message.operation, message.input);
        return;
      case 'shutdown':
        closing ??= shutdown();
        return;
      case 'worker-port':
        relay.port(message.workerId, event.ports?.[0]);
        return;
      case 'worker-spawned':
        relay.spawned(message.workerId, message.pid);
        return;
      case 'worker-stderr':
        relay.stderr(message.workerId, message.text);
        return;
      case 'worker-exit':
        relay.exited(message.workerId, message.code);
        return;
    }
  });

  return { relay };
}
