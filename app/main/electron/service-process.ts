/**
 * Main's side of the desktop process model: it forks the service host (a utility process running OcrService, see
 * host/service-host.ts) and, when the service asks, the OCR workers, linking each worker to the service with a
 * MessageChannelMain (one port each) so that pages never pass through main. Main relays what only it can see of a
 * worker (its pid, stderr and exit) and kills a worker when the service asks. It also carries the renderer's calls
 * to the service and the service's events back, validated both ways.
 *
 * Electron's `utilityProcess` and `MessageChannelMain` are handed in, so tests can run the real service host and
 * workers in child processes standing in for utility processes.
 */
import path from 'node:path';
import type * as Electron from 'electron';
import { serviceEventSchema, type ServiceEvent } from '../../common/api/events.ts';
import { deserializeError, OcrDeskError, ProtocolError, serializeError, type SerializedError } from '../../common/errors.ts';
import { fromServiceHostSchema, SERVICE_HOST_PROTOCOL_VERSION, WORKER_PORT_MESSAGE, type IpcResult, type ToServiceHost, type WorkerSpawnOptions } from '../../common/ipc.ts';
import { workerEnv, workerExecArgv } from '../pool/transport.ts';

/** The two Electron APIs the process model needs (from 'electron' in the app). */
export interface HostingApi {
  readonly utilityProcess: { fork: typeof Electron.utilityProcess.fork };
  readonly MessageChannelMain: typeof Electron.MessageChannelMain;
}

export interface ServiceProcessOptions {
  /** Module of the service host (host/service-host-main.ts). */
  readonly hostEntry: string;
  /** Module of an OCR worker (app/worker/worker-main.ts); the only one main starts for the service. */
  readonly workerEntry: string;
  /** The data folder the service opens. */
  readonly dataDir: string;
  /** Environment of the service process. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Where main's own notes go (a worker refused, a message off the protocol). @default console.error */
  readonly log?: (line: string) => void;
  /** How long a dead worker's stderr may still be read before its exit is reported. @default 500 */
  readonly stderrGraceMs?: number;
}

export interface ServiceReady {
  readonly dataDir: string;
  readonly version: string;
}

const failure = (error: unknown): { ok: false; error: SerializedError } => ({ ok: false, error: serializeError(error) });

export class ServiceProcess {
  /** Resolves when the service has opened its data folder; rejects with the service's error (e.g. data-dir-busy). */
  readonly ready: Promise<ServiceReady>;
  /** Resolves with the exit code of the service process. */
  readonly exited: Promise<number>;

  readonly #api: HostingApi;
  readonly #options: ServiceProcessOptions;
  readonly #child: Electron.UtilityProcess;
  readonly #log: (line: string) => void;
  readonly #calls = new Map<number, (result: IpcResult<unknown>) => void>();
  readonly #workers = new Map<number, Electron.UtilityProcess>();
  readonly #listeners = new Set<(event: ServiceEvent) => void>();
  #lastCall = 0;
  #exitCode: number | undefined;
  #settle: { resolve: (ready: ServiceReady) => void; reject: (error: Error) => void } | undefined;

  private constructor(api: HostingApi, options: ServiceProcessOptions) {
    this.#api = api;
    this.#options = options;
    this.#log = options.log ?? ((line) => console.error(line));
    this.ready = new Promise<ServiceReady>((resolve, reject) => (this.#settle = { resolve, reject }));
    // A caller that never awaits `ready` must not see an unhandled rejection; `call` reports the failure itself.
    this.ready.catch(() => undefined);
    this.#child = api.utilityProcess.fork(options.hostEntry, [], {
      env: options.env ?? process.env,
      stdio: ['ignore', 'inherit', 'inherit'],
      serviceName: 'OCR Desk service',
    });
    this.exited = new Promise<number>((resolve) => {
      this.#child.once('exit', (code) => {
        this.#exitCode = code;
        this.#onExit(code);
        resolve(code);
      });
    });
    this.#child.on('message', (message) => this.#onMessage(message));
    this.#post({ type: 'open', v: SERVICE_HOST_PROTOCOL_VERSION, dataDir: options.dataDir, workerEntry: options.workerEntry });
  }

  /** Forks the service host and asks it to open `options.dataDir`. */
  static start(api: HostingApi, options: ServiceProcessOptions): ServiceProcess {
    return new ServiceProcess(api, options);
  }

  /** Whether the service process is still running. */
  get running(): boolean {
    return this.#exitCode === undefined;
  }

  /** Process ids of the workers main has started for the service and that have not exited. */
  get workerPids(): number[] {
    return [...this.#workers.values()].map((w) => w.pid).filter((pid): pid is number => pid !== undefined);
  }

  /** Calls one service operation by name (the service validates the name and the input again). */
  async call(operation: string, input: unknown): Promise<IpcResult<unknown>> {
    try {
      await this.ready;
    } catch (error) {
      return failure(error);
    }
    if (!this.running) return failure(new OcrDeskError('The OCR service has stopped.'));
    const id = ++this.#lastCall;
    return new Promise((resolve) => {
      this.#calls.set(id, resolve);
      this.#post({ type: 'call', id, operation, input });
    });
  }

  /** Calls `listener` with every event of the service; returns the function that stops it. */
  subscribe(listener: (event: ServiceEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Asks the service to close (work in flight goes back to the queue; the store is closed cleanly) and waits up to
   * `graceMs` for it to exit; then kills it and any worker left.
   */
  async shutdown(graceMs = 20_000): Promise<void> {
    if (this.running) {
      this.#post({ type: 'shutdown' });
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = await Promise.race([this.exited.then(() => false), new Promise<boolean>((r) => (timer = setTimeout(() => r(true), graceMs)))]);
      clearTimeout(timer);
      if (timedOut) {
        this.#log(`ocr-desk: the OCR service did not stop within ${graceMs} ms; it was ended.`);
        this.#child.kill();
        await this.exited;
      }
    }
    for (const worker of this.#workers.values()) worker.kill();
  }

  #post(message: ToServiceHost, transfer?: Electron.MessagePortMain[]): void {
    if (this.running) this.#child.postMessage(message, transfer);
  }

  #onMessage(raw: unknown): void {
    const parsed = fromServiceHostSchema.safeParse(raw);
    if (!parsed.success) {
      this.#log(`ocr-desk: ignored a message from the OCR service that does not fit the protocol: ${parsed.error.issues[0]?.message ?? ''}`);
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case 'ready':
        if (message.v !== SERVICE_HOST_PROTOCOL_VERSION) {
          this.#settle?.reject(new ProtocolError(`The OCR service speaks protocol ${message.v}; this app speaks ${SERVICE_HOST_PROTOCOL_VERSION}. Reinstall OCR Desk.`));
          this.#child.kill();
        } else this.#settle?.resolve({ dataDir: message.dataDir, version: message.version });
        return;
      case 'open-failed':
        this.#settle?.reject(deserializeError(message.error));
        return;
      case 'result': {
        const resolve = this.#calls.get(message.id);
        this.#calls.delete(message.id);
        resolve?.(message.ok ? { ok: true, value: message.value } : { ok: false, error: message.error });
        return;
      }
      case 'event': {
        const event = serviceEventSchema.safeParse(message.event);
        if (event.success) for (const listener of this.#listeners) listener(event.data);
        else this.#log(`ocr-desk: ignored a service event that does not fit its schema: ${event.error.issues[0]?.message ?? ''}`);
        return;
      }
      case 'spawn-worker':
        this.#spawnWorker(message.workerId, message.options);
        return;
      case 'kill-worker':
        this.#workers.get(message.workerId)?.kill();
        return;
      case 'closed':
        return;
    }
  }

  #spawnWorker(workerId: number, options: WorkerSpawnOptions): void {
    const refuse = (why: string) => {
      this.#log(`ocr-desk: worker ${workerId} was not started: ${why}`);
      this.#post({ type: 'worker-stderr', workerId, text: `${why}\n` });
      this.#post({ type: 'worker-exit', workerId, code: null });
    };
    const entry = this.#options.workerEntry;
    if (options.entry !== undefined && path.resolve(options.entry) !== path.resolve(entry)) {
      refuse(`the service asked for ${options.entry}, but main starts only the OCR worker ${entry}.`);
      return;
    }
    let child: Electron.UtilityProcess;
    try {
      child = this.#api.utilityProcess.fork(entry, [], {
        env: workerEnv(options.env ?? this.#options.env ?? process.env),
        execArgv: workerExecArgv(options),
        stdio: ['ignore', 'inherit', 'pipe'],
        serviceName: 'OCR Desk worker',
      });
    } catch (error) {
      refuse(error instanceof Error ? error.message : String(error));
      return;
    }
    this.#workers.set(workerId, child);
    const { port1, port2 } = new this.#api.MessageChannelMain();
    child.postMessage({ type: WORKER_PORT_MESSAGE }, [port1]);
    this.#post({ type: 'worker-port', workerId }, [port2]);
    child.once('spawn', () => {
      if (child.pid !== undefined) this.#post({ type: 'worker-spawned', workerId, pid: child.pid });
    });
    // The exit is reported once stderr has been read to the end (the pool reads V8's out-of-memory report there).
    const stderr = child.stderr;
    const stderrDone = new Promise<void>((resolve) => {
      if (!stderr) return resolve();
      stderr.on('data', (chunk: Buffer | string) => this.#post({ type: 'worker-stderr', workerId, text: chunk.toString() }));
      stderr.once('end', resolve);
      stderr.once('error', resolve);
    });
    child.once('exit', (code) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      void Promise.race([stderrDone, new Promise<void>((r) => (timer = setTimeout(r, this.#options.stderrGraceMs ?? 500)))]).then(() => {
        clearTimeout(timer);
        this.#workers.delete(workerId);
        this.#post({ type: 'worker-exit', workerId, code });
      });
    });
  }

  #onExit(code: number): void {
    const error = new OcrDeskError(`The OCR service stopped (exit code ${code}).`);
    this.#settle?.reject(error);
    for (const resolve of this.#calls.values()) resolve(failure(error));
    this.#calls.clear();
    for (const worker of this.#workers.values()) worker.kill();
  }
}
