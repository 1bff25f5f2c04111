/**
 * Bootstrap of a child process standing in for an Electron utility process (see fake-electron.ts): it gives the
 * process a `process.parentPort` shaped like Electron's, whose messages can carry ports (each a stand-in for a
 * MessagePortMain, relayed by the test's router), then loads the module named by the first argument.
 */
import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';

type FromParent =
  | { kind: 'parent'; data: unknown; ports: number[] }
  | { kind: 'port-message'; port: number; data: unknown }
  | { kind: 'port-closed'; port: number };

const send = (message: unknown) => {
  if (process.connected) process.send!(message);
};

class ChildPort extends EventEmitter {
  readonly id: number;
  #started = false;
  #queue: unknown[] = [];
  #closed = false;

  constructor(id: number) {
    super();
    this.id = id;
  }

  postMessage(data: unknown): void {
    if (!this.#closed) send({ kind: 'port-post', port: this.id, data });
  }

  start(): void {
    this.#started = true;
    for (const data of this.#queue.splice(0)) this.emit('message', { data, ports: [] });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    send({ kind: 'port-close', port: this.id });
  }

  receive(data: unknown): void {
    if (this.#closed) return;
    if (this.#started) this.emit('message', { data, ports: [] });
    else this.#queue.push(data);
  }

  peerClosed(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.emit('close');
  }
}

const ports = new Map<number, ChildPort>();
const port = (id: number) => {
  let p = ports.get(id);
  if (!p) ports.set(id, (p = new ChildPort(id)));
  return p;
};

const parentPort = Object.assign(new EventEmitter(), {
  postMessage: (data: unknown) => send({ kind: 'parent', data }),
});

process.on('message', (raw) => {
  const message = raw as FromParent;
  if (message.kind === 'parent') parentPort.emit('message', { data: message.data, ports: message.ports.map(port) });
  else if (message.kind === 'port-message') port(message.port).receive(message.data);
  else if (message.kind === 'port-closed') port(message.port).peerClosed();
});
// Electron ends utility processes with the app; a child whose test process went away does the same.
process.on('disconnect', () => process.exit(0));

Object.defineProperty(process, 'parentPort', { value: parentPort, configurable: true });
const [modulePath] = process.argv.splice(2, 1);
await import(pathToFileURL(modulePath!).href);
