/**
 * A service host for the relay tests: the real runServiceHost, whose "service" uses the real worker relay (the
 * transport factory it is opened with) to start probe workers through main, and reports what it saw as the answer
 * to `getDiagnostics`.
 */
import type { HostedService } from '../../app/main/electron/host/service-host.ts';
import { runServiceHost, type HostParentPort } from '../../app/main/electron/host/service-host.ts';
import type { TransportFactory, WorkerExit } from '../../app/main/pool/transport.ts';
import type { ToWorker } from '../../app/common/worker-protocol.ts';

const parentPort = (process as NodeJS.Process & { parentPort: HostParentPort }).parentPort;

interface ProbeInput {
  mode: 'echo' | 'exit' | 'refuse' | 'kill';
  maxOldSpaceMb?: number;
}

async function probe(factory: TransportFactory, input: ProbeInput) {
  const transport = factory({
    ...(input.mode === 'refuse' ? { entry: '/elsewhere/not-the-worker.ts' } : {}),
    ...(input.maxOldSpaceMb ? { maxOldSpaceMb: input.maxOldSpaceMb } : {}),
    env: process.env,
  });
  let stderr = '';
  const messages: unknown[] = [];
  transport.onStderr((text) => (stderr += text));
  transport.onMessage((m) => messages.push(m));
  const exited = new Promise<WorkerExit>((resolve) => transport.onExit(resolve));
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 1000 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  };
  if (input.mode === 'refuse') return { exit: await exited, stderr, pid: transport.pid ?? null };
  // Sent before main has even started the worker: the relay holds it until the port arrives.
  transport.send({ type: 'hello', seq: 1 } as unknown as ToWorker);
  await until(() => messages.length > 0 && transport.pid !== undefined && stderr.includes('started'));
  const pid = transport.pid ?? null;
  if (input.mode === 'exit') transport.send({ type: 'exit-now', code: 7 } as unknown as ToWorker);
  else transport.kill();
  const exit = await exited;
  // A late listener still hears about the exit; sends after it are dropped.
  const late = await new Promise<WorkerExit>((resolve) => transport.onExit(resolve));
  transport.send({ type: 'hello', seq: 2 } as unknown as ToWorker);
  return { pid, messages, stderr, exit, late };
}

runServiceHost(parentPort, {
  version: 'probe',
  open: async (options) => {
    const transport = options.transport!;
    return new Proxy({} as HostedService, {
      get(_t, key) {
        if (key === 'then') return undefined;
        if (key === 'dataDir') return options.dataDir;
        if (key === 'subscribe') return () => () => undefined;
        if (key === 'close') return async () => undefined;
        if (key === 'getDiagnostics') return (input: ProbeInput) => probe(transport, input);
        return async () => {
          throw new Error(`probe host: ${String(key)} is not probed`);
        };
      },
    });
  },
});
