/**
 * A utility process whose "child" is the real service host run in this process, on a stub service that records its
 * calls, for shell tests that need no OCR.
 */
import { EventEmitter } from 'node:events';
import type * as Electron from 'electron';
import { runServiceHost, type HostedService } from '../../app/main/electron/host/service-host.ts';
import type { HostingApi } from '../../app/main/electron/service-process.ts';
import type { OcrServiceOptions } from '../../app/main/service/ocr-service.ts';
import { FakeMessageChannelMain } from './fake-utility-process.ts';

/** A service that records every call and answers with canned values; `emit` sends an event to subscribers. */
export interface StubService {
  readonly calls: { operation: string; input: unknown }[];
  readonly closed: boolean;
  emit(event: Record<string, unknown>): void;
  readonly options: OcrServiceOptions | undefined;
}

export function stubService(answers: Record<string, (input: Record<string, unknown>) => unknown> = {}): StubService & { open: (options: OcrServiceOptions) => Promise<HostedService> } {
  const calls: { operation: string; input: unknown }[] = [];
  const listeners = new Set<(event: unknown) => void>();
  let seq = 0;
  let jobs = 0;
  const progress = { remainingPages: 0, pagesPerSecond: 0, etaSeconds: null, inFlight: 0, paused: false };
  const defaults: Record<string, (input: Record<string, unknown>) => unknown> = {
    addJob: (input) => ({ jobId: ++jobs, resumed: false, documents: (input.inputs as string[]).length, skipped: [], failures: [] }),
    getProgress: () => progress,
    pauseQueue: () => ({ ...progress, paused: true }),
    resumeQueue: () => progress,
  };
  const state = {
    calls,
    closed: false,
    options: undefined as OcrServiceOptions | undefined,
    emit: (event: Record<string, unknown>) => listeners.forEach((l) => l({ seq: ++seq, ...event })),
    open: async (options: OcrServiceOptions): Promise<HostedService> => {
      state.options = options;
      return new Proxy({} as HostedService, {
        get(_target, key) {
          if (key === 'dataDir') return options.dataDir;
          if (key === 'then') return undefined;
          if (key === 'subscribe') return (listener: (event: unknown) => void) => (listeners.add(listener), () => listeners.delete(listener));
          if (key === 'close') return async () => void (state.closed = true);
          return async (input: Record<string, unknown> = {}) => {
            calls.push({ operation: String(key), input });
            const answer = answers[String(key)] ?? defaults[String(key)];
            if (!answer) throw new Error(`The stub service has no answer for ${String(key)}`);
            return answer(input);
          };
        },
      });
    },
  };
  return state;
}

/** A `utilityProcess` whose service host runs in this process (`open` makes its service); workers are not expected. */
export function inProcessHosting(open: (options: OcrServiceOptions) => Promise<HostedService>): HostingApi & { forks: { modulePath: string; options: Electron.ForkOptions; process: EventEmitter }[] } {
  const forks: { modulePath: string; options: Electron.ForkOptions; process: EventEmitter }[] = [];
  const utilityProcess = {
    fork(modulePath: string, _args: string[] = [], options: Electron.ForkOptions = {}) {
      const proc = new EventEmitter() as EventEmitter & { pid: number; stdout: null; stderr: null; postMessage(m: unknown, t?: unknown[]): void; kill(): boolean };
      const hostSide = new EventEmitter() as EventEmitter & { postMessage(m: unknown): void };
      let alive = true;
      const exit = (code: number) => {
        if (!alive) return;
        alive = false;
        setImmediate(() => proc.emit('exit', code));
      };
      hostSide.postMessage = (m) => setImmediate(() => alive && proc.emit('message', structuredClone(m)));
      Object.assign(proc, {
        pid: 40_000 + forks.length,
        stdout: null,
        stderr: null,
        postMessage: (m: unknown, transfer: unknown[] = []) => setImmediate(() => alive && hostSide.emit('message', { data: structuredClone(m), ports: transfer })),
        kill: () => (exit(143), true),
      });
      runServiceHost(hostSide, { open, version: 'stub', exit, log: () => undefined });
      forks.push({ modulePath, options, process: proc });
      setImmediate(() => proc.emit('spawn'));
      return proc as unknown as Electron.UtilityProcess;
    },
  };
  return { utilityProcess: utilityProcess as HostingApi['utilityProcess'], MessageChannelMain: FakeMessageChannelMain as unknown as HostingApi['MessageChannelMain'], forks };
}
