/**
 * One worker process started before the pool exists. A CLI run spends ~0.1 s loading itself and opening the data
 * folder before its pool asks for a worker, and a worker spends ~0.17 s loading its own modules before it can load
 * models; started first, the two loads run side by side on two cores instead of one after the other. The pool's
 * first worker whose options match takes it; one that no pool takes is ended.
 */
import { forkTransport, forkWorker, type ForkedWorker } from './fork-transport.ts';
import { WORKER_ENTRY, workerEnv, type SpawnOptions, type TransportFactory, type WorkerTransport } from './transport.ts';

let early: (ForkedWorker & { readonly key: string }) | undefined;

/** What makes two workers interchangeable before `init`: their module, heap cap and environment. */
const keyOf = (options: SpawnOptions): string => JSON.stringify([options.entry ?? WORKER_ENTRY, options.maxOldSpaceMb ?? null, workerEnv(options.env ?? process.env)]);

/** Starts the worker (once); it is ended when this process exits, if no pool took it. */
export function startWorkerEarly(options: SpawnOptions = {}): void {
  if (early) return;
  // Until a pool takes it, it must not keep this process alive: a run that never needs it (a usage error, nothing
  // to do) exits as it would have without it.
  early = { ...forkWorker(options), key: keyOf(options) };
  early.keepAlive(false);
  process.once('exit', discardEarlyWorker);
}

/** The worker started early and not yet taken or ended, if any. */
export function earlyWorker(): WorkerTransport | undefined {
  return early?.transport;
}

/** Ends the early worker, if there is one and no pool took it (a batch handed to a service already running). */
export function discardEarlyWorker(): void {
  early?.transport.kill();
  early = undefined;
}

/** {@link forkTransport}, except that the first worker asked for takes the early one if their options match. */
export const earlyOrForkTransport: TransportFactory = (options) => {
  const taken = early;
  early = undefined;
  if (taken && taken.key === keyOf(options)) {
    taken.keepAlive(true);
    return taken.transport;
  }
  taken?.transport.kill();
  return forkTransport(options);
};
