/**
 * `utilityProcess.fork` and `MessageChannelMain` for the shell's tests, on real child processes: children are
 * started with `child_process.fork` (utility-child.ts gives them an Electron-like `process.parentPort`), and this
 * process routes port messages between them, as Electron does between utility processes.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { constants } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Electron from 'electron';
import type { HostingApi } from '../../app/main/electron/service-process.ts';

const BOOTSTRAP = path.join(path.dirname(fileURLToPath(import.meta.url)), 'utility-child.ts');

// ---- ports ----

let lastPortId = 0;
const allPorts = new Map<number, FakePort>();

/** A MessagePortMain: it lives in this process until it is transferred to a child, then the router speaks for it. */
export class FakePort extends EventEmitter {
  readonly id = ++lastPortId;
  peer!: FakePort;
  owner: FakeUtilityProcess | undefined;
  closed = false;
  #started = false;
  #queue: unknown[] = [];

  constructor() {
    super();
    allPorts.set(this.id, this);
  }

  postMessage(data: unknown): void {
    if (!this.closed) deliver(this.peer, data);
  }

  start(): void {
    this.#started = true;
    for (const data of this.#queue.splice(0)) this.emit('message', { data, ports: [] });
  }

  close(): void {
    closePort(this);
  }

  receive(data: unknown): void {
    if (this.#started) this.emit('message', { data, ports: [] });
    else this.#queue.push(data);
  }
}

function deliver(target: FakePort, data: unknown): void {
  if (target.closed) return;
  if (target.owner) target.owner.toChild({ kind: 'port-message', port: target.id, data });
  else target.receive(data);
}

function closePort(port: FakePort): void {
  if (port.closed) return;
  port.closed = true;
  const peer = port.peer;
  if (peer.closed) return;
  peer.closed = true;
  if (peer.owner) peer.owner.toChild({ kind: 'port-closed', port: peer.id });
  else peer.emit('close');
}

export class FakeMessageChannelMain {
  readonly port1 = new FakePort();
  readonly port2 = new FakePort();
  constructor() {
    this.port1.peer = this.port2;
    this.port2.peer = this.port1;
  }
}

// ---- utility processes on child_process.fork ----

export interface ForkRecord {
  readonly modulePath: string;
  readonly args: readonly string[];
  readonly options: Electron.ForkOptions;
  readonly process: FakeUtilityProcess;
}

/** Messages each child sent, by route: straight to main (`parent`) or over a port it was given (`port`). */
export interface RouteCounts {
  parent: number;
  port: number;
}

export class FakeUtilityProcess extends EventEmitter {
  pid: number | undefined;
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  readonly child: ChildProcess;
  readonly routes: RouteCounts = { parent: 0, port: 0 };
  /** Ports handed to this process with postMessage. */
  readonly transferred: FakePort[] = [];
  exitCode: number | undefined;

  constructor(modulePath: string, args: readonly string[], options: Electron.ForkOptions) {
    super();
    const stdio = typeof options.stdio === 'string' ? [options.stdio, options.stdio, options.stdio] : (options.stdio ?? ['ignore', 'inherit', 'inherit']);
    const mode = (m: string | undefined) => (m === 'pipe' || m === 'ignore' ? m : 'inherit');
    this.child = fork(BOOTSTRAP, [modulePath, ...args], {
      execArgv: [...(options.execArgv ?? [])],
      env: options.env ?? process.env,
      stdio: ['ignore', mode(stdio[1]), mode(stdio[2]), 'ipc'],
      serialization: 'advanced',
    });
    this.stdout = this.child.stdout;
    this.stderr = this.child.stderr;
    this.child.once('spawn', () => {
      this.pid = this.child.pid;
      this.emit('spawn');
    });
    this.child.on('message', (raw) => this.#fromChild(raw as { kind: string; port?: number; data?: unknown }));
    this.child.once('exit', (code, signal) => {
      for (const port of allPorts.values()) if (port.owner === this) closePort(port);
      this.exitCode = code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
      this.pid = undefined;
      this.emit('exit', this.exitCode);
    });
  }

  postMessage(message: unknown, transfer: FakePort[] = []): void {
    for (const port of transfer) {
      port.owner = this;
      this.transferred.push(port);
    }
    this.toChild({ kind: 'parent', data: message, ports: transfer.map((p) => p.id) });
  }

  kill(): boolean {
    return this.child.kill('SIGTERM');
  }

  toChild(message: unknown): void {
    if (this.child.connected) this.child.send(message as never, () => undefined);
  }

  #fromChild(message: { kind: string; port?: number; data?: unknown }): void {
    if (message.kind === 'parent') {
      this.routes.parent++;
      this.emit('message', message.data);
    } else if (message.kind === 'port-post') {
      this.routes.port++;
      const port = allPorts.get(message.port!);
      if (port) deliver(port.peer, message.data);
    } else if (message.kind === 'port-close') {
      const port = allPorts.get(message.port!);
      if (port) closePort(port);
    }
  }
}

/** `utilityProcess` and `MessageChannelMain` on real child processes; `forks` records every fork. */
export function processHosting(): HostingApi & { forks: ForkRecord[] } {
  const forks: ForkRecord[] = [];
  const utilityProcess = {
    fork(modulePath: string, args: string[] = [], options: Electron.ForkOptions = {}) {
      const child = new FakeUtilityProcess(modulePath, args, options);
      forks.push({ modulePath, args, options, process: child });
      return child as unknown as Electron.UtilityProcess;
    },
  };
  return { utilityProcess: utilityProcess as HostingApi['utilityProcess'], MessageChannelMain: FakeMessageChannelMain as unknown as HostingApi['MessageChannelMain'], forks };
}
