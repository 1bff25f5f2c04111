/**
 * The service side of a worker started by Electron's main process ({@link WorkerTransport} for the desktop app).
 * Only main may call `utilityProcess.fork`, so the service host asks main for each worker (`spawn-worker`); main
 * forks it, creates a MessageChannelMain and hands one port to the worker and one to the service (`worker-port`).
 * Requests and replies then go straight over that port; the worker's pid, stderr and exit, which only main sees,
 * arrive as messages from main. Until the port arrives, requests wait here.
 *
 * Runs in the service's utility process: no Electron import (Electron objects arrive as values).
 */
import type { FromServiceHost, WorkerSpawnOptions } from '../../../common/ipc.ts';
import type { ToWorker } from '../../../common/worker-protocol.ts';
import type { SpawnOptions, TransportFactory, WorkerExit, WorkerTransport } from '../../pool/transport.ts';

/** The slice of Electron's MessagePortMain used here. */
export interface PortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  postMessage(message: unknown): void;
  start(): void;
  close(): void;
}

/** The spawn options as they cross to main: an environment of strings only. */
export function spawnRequest(options: SpawnOptions): WorkerSpawnOptions {
  const env = options.env && Object.fromEntries(Object.entries(options.env).filter((e): e is [string, string] => typeof e[1] === 'string'));
  return {
    ...(options.entry !== undefined ? { entry: options.entry } : {}),
    ...(options.maxOldSpaceMb !== undefined ? { maxOldSpaceMb: options.maxOldSpaceMb } : {}),
    ...(env ? { env } : {}),
  };
}

class RelayedWorker implements WorkerTransport {
  pid: number | undefined;
  readonly #id: number;
  readonly #post: (message: FromServiceHost) => void;
  #port: PortLike | undefined;
  #outbox: ToWorker[] = [];
  #exit: WorkerExit | undefined;
  readonly #messageListeners: ((message: unknown) => void)[] = [];
  readonly #exitListeners: ((exit: WorkerExit) => void)[] = [];
  readonly #stderrListeners: ((text: string) => void)[] = [];

  constructor(id: number, post: (message: FromServiceHost) => void) {
    this.#id = id;
    this.#post = post;
  }

  send(message: ToWorker): void {
    if (this.#exit) return;
    if (this.#port) this.#port.postMessage(message);
    else this.#outbox.push(message);
  }

  onMessage(listener: (message: unknown) => void): void {
    this.#messageListeners.push(listener);
  }

  onExit(listener: (exit: WorkerExit) => void): void {
    const exit = this.#exit;
    if (exit) queueMicrotask(() => listener(exit));
    else this.#exitListeners.push(listener);
  }

  onStderr(listener: (text: string) => void): void {
    this.#stderrListeners.push(listener);
  }

  kill(): void {
    if (!this.#exit) this.#post({ type: 'kill-worker', workerId: this.#id });
  }

  attach(port: PortLike): void {
    if (this.#exit || this.#port) {
      port.close();
      return;
    }
    this.#port = port;
    port.on('message', (event) => this.#messageListeners.forEach((listener) => listener(event.data)));
    port.start();
    for (const message of this.#outbox.splice(0)) port.postMessage(message);
  }

  stderr(text: string): void {
    this.#stderrListeners.forEach((listener) => listener(text));
  }

  exited(code: number | null): void {
    if (this.#exit) return;
    this.#exit = { code, signal: null };
    this.#outbox = [];
    this.#port?.close();
    this.#exitListeners.splice(0).forEach((listener) => listener(this.#exit!));
  }
}

/** The workers of one service host, by the id it gave each when asking main to start it. */
export class WorkerRelay {
  readonly #post: (message: FromServiceHost) => void;
  readonly #workers = new Map<number, RelayedWorker>();
  #lastId = 0;

  constructor(post: (message: FromServiceHost) => void) {
    this.#post = post;
  }

  /** The pool's TransportFactory: asks main for a worker and returns its transport at once. */
  readonly factory: TransportFactory = (options) => {
    const workerId = ++this.#lastId;
    const worker = new RelayedWorker(workerId, this.#post);
    this.#workers.set(workerId, worker);
    worker.onExit(() => this.#workers.delete(workerId));
    this.#post({ type: 'spawn-worker', workerId, options: spawnRequest(options) });
    return worker;
  };

  /** Workers not yet reported gone. */
  get size(): number {
    return this.#workers.size;
  }

  port(workerId: number, port: PortLike | undefined): void {
    const worker = this.#workers.get(workerId);
    if (worker && port) worker.attach(port);
    else port?.close();
  }

  spawned(workerId: number, pid: number): void {
    const worker = this.#workers.get(workerId);
    if (worker) worker.pid = pid;
  }

  stderr(workerId: number, text: string): void {
    this.#workers.get(workerId)?.stderr(text);
  }

  exited(workerId: number, code: number | null): void {
    this.#workers.get(workerId)?.exited(code);
  }
}
