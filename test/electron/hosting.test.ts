/**
 * The desktop process model with real processes: main's ServiceProcess forks the service host and, on its request,
 * the workers (child processes standing in for utility processes, with a MessageChannelMain stand-in); the worker
 * talks to the service over the port main hands it; pid, stderr, exit and kill are relayed through main. Then the
 * real service host and the real OCR worker read a page end to end, and crashing and hanging workers are noticed.
 */
import assert from 'node:assert/strict';
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { ServiceEvent } from '../../app/common/api/events.ts';
import type { OperationOutput } from '../../app/common/api/operations.ts';
import { DataDirBusyError } from '../../app/common/errors.ts';
import type { IpcResult } from '../../app/common/ipc.ts';
import { ServiceProcess } from '../../app/main/electron/service-process.ts';
import { WORKER_ENTRY } from '../../app/main/pool/transport.ts';
import { phototest, processAlive, tempDir } from '../helpers.ts';
import { until } from './fake-electron.ts';
import { processHosting } from './fake-utility-process.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const PROBE_HOST = path.join(here, 'probe-host.ts');
const PROBE_WORKER = path.join(here, 'probe-worker.ts');
const SERVICE_HOST = path.resolve(here, '..', '..', 'app', 'main', 'electron', 'host', 'service-host-main.ts');

const value = <T>(result: IpcResult<unknown>): T => {
  if (!result.ok) assert.fail(`${result.error.kind}: ${result.error.message}`);
  return result.value as T;
};

interface ProbeResult {
  pid: number | null;
  messages?: unknown[];
  stderr: string;
  exit: { code: number | null; signal: null };
  late?: { code: number | null };
}

describe('main hosts the service and its workers (probe processes)', () => {
  const hosting = processHosting();
  let service: ServiceProcess;
  let data: Awaited<ReturnType<typeof tempDir>>;

  before(async () => {
    data = await tempDir('electron-probe');
    service = ServiceProcess.start(hosting, { hostEntry: PROBE_HOST, workerEntry: PROBE_WORKER, dataDir: data.dir, log: () => undefined });
  });
  after(async () => {
    await service.shutdown(5000);
    await data.cleanup();
  });

  test('forks the service host as a utility process, opens the data folder, and hears it is ready', async () => {
    const ready = await service.ready;
    assert.deepEqual(ready, { dataDir: data.dir, version: 'probe' });
    const host = hosting.forks[0]!;
    assert.equal(host.modulePath, PROBE_HOST);
    assert.equal(host.options.serviceName, 'OCR Desk service');
    assert.equal(hosting.forks.length, 1, 'no worker before the service asks for one');
  });

  test('forks a worker when the service asks, links them with a port, relays pid and stderr, and kills it when asked', async () => {
    const result = value<ProbeResult>(await service.call('getDiagnostics', { mode: 'kill', maxOldSpaceMb: 256 }));
    const worker = hosting.forks[1]!;
    assert.equal(worker.modulePath, PROBE_WORKER);
    assert.equal(worker.options.serviceName, 'OCR Desk worker');
    assert.deepEqual(worker.options.stdio, ['ignore', 'inherit', 'pipe']);
    assert.deepEqual(worker.options.execArgv, ['--max-old-space-size=256']);
    assert.equal(worker.process.transferred.length, 1, 'the worker got one port');
    assert.equal(hosting.forks[0]!.process.transferred.length, 1, 'the service got the other end');
    assert.equal(worker.process.transferred[0]!.peer, hosting.forks[0]!.process.transferred[0]);
    // The reply came straight over the port; the worker never wrote to main.
    assert.deepEqual(result.messages, [{ echo: { type: 'hello', seq: 1 } }]);
    assert.ok(worker.process.routes.port >= 1);
    assert.equal(worker.process.routes.parent, 0);
    assert.equal(result.pid, worker.process.child.pid, 'the pid the service sees is the process main forked');
    assert.match(result.stderr, /probe-worker: started with --max-old-space-size=256/);
    assert.equal(result.exit.code, 143, 'killed by main (SIGTERM), as the service asked');
    assert.deepEqual(result.late, result.exit);
    assert.equal(processAlive(worker.process.child.pid!), false);
  });

  test("relays a worker's own exit with its code, after its last stderr", async () => {
    const result = value<ProbeResult>(await service.call('getDiagnostics', { mode: 'exit' }));
    assert.equal(result.exit.code, 7);
    assert.match(result.stderr, /probe-worker: bye with 7\n$/);
  });

  test('refuses to start anything but the OCR worker module', async () => {
    const forks = hosting.forks.length;
    const result = value<ProbeResult>(await service.call('getDiagnostics', { mode: 'refuse' }));
    assert.equal(result.exit.code, null, 'reported as a worker that could not be started');
    assert.match(result.stderr, /main starts only the OCR worker/);
    assert.equal(hosting.forks.length, forks, 'nothing was forked');
  });

  test('answers an unknown operation with a typed error from the host', async () => {
    const result = await service.call('dropTables', {});
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.kind, 'not-found');
  });

  test('shuts the service down: it closes, exits 0, and no worker is left', async () => {
    await service.shutdown(5000);
    assert.equal(await service.exited, 0);
    assert.equal(service.running, false);
    for (const f of hosting.forks) assert.equal(f.process.child.exitCode !== null || f.process.child.signalCode !== null, true);
    const after = await service.call('getProgress', {});
    assert.equal(after.ok, false);
  });
});

describe('the real service host and OCR worker, relayed by main', () => {
  const hosting = processHosting();
  let service: ServiceProcess;
  let data: Awaited<ReturnType<typeof tempDir>>;
  const events: ServiceEvent[] = [];

  before(async () => {
    data = await tempDir('electron-ocr');
    service = ServiceProcess.start(hosting, {
      hostEntry: SERVICE_HOST,
      workerEntry: WORKER_ENTRY,
      dataDir: data.dir,
      env: { ...process.env, OCR_DESK_WORKERS: '1', OCR_DESK_THREADS: '1', OCR_DESK_TEST_FAULTS: '1', OCR_DESK_PAGE_TIMEOUT_MS: '2500' },
      log: () => undefined,
    });
    service.subscribe((event) => events.push(event));
  });
  after(async () => {
    await service?.shutdown(10_000);
    await data.cleanup();
  });

  const jobEnded = (jobId: number) =>
    until(() => events.find((e) => e.type === 'job' && e.job.id === jobId && ['done', 'failed'].includes(e.job.state)), 120_000, `job ${jobId} to end`);

  test('reads phototest.tif: renderer call → main → service host → worker (over its port) → result', async () => {
    const ready = await service.ready;
    assert.equal(ready.dataDir, data.dir);
    assert.equal(hosting.forks[0]!.modulePath, SERVICE_HOST);
    const added = value<OperationOutput<'addJob'>>(await service.call('addJob', { inputs: [phototest] }));
    assert.equal(added.documents, 1);
    await jobEnded(added.jobId);
    const job = value<OperationOutput<'getJob'>>(await service.call('getJob', { jobId: added.jobId }));
    assert.equal(job.state, 'done');
    const result = value<OperationOutput<'getResult'>>(await service.call('getResult', { documentId: job.documentList[0]!.id }));
    const text = result.pages.flatMap((p) => p.lines.map((l) => l.text)).join(' ');
    assert.match(text, /quick brown/i);
    assert.ok(events.some((e) => e.type === 'page'), 'page events were relayed');

    const workers = hosting.forks.filter((f) => f.modulePath === WORKER_ENTRY);
    assert.ok(workers.length >= 1);
    assert.ok(workers.every((w) => w.process.routes.port > 0 && w.process.routes.parent === 0), 'workers answer the service over their port only');
    const diagnostics = value<OperationOutput<'getDiagnostics'>>(await service.call('getDiagnostics', {}));
    const live = workers.filter((w) => w.process.exitCode === undefined).map((w) => w.process.child.pid);
    assert.ok(diagnostics.workers.some((w) => w.pid !== null && live.includes(w.pid)), 'the pool knows its workers by the pids main forked');
  });

  test('a second service on the same data folder fails to open with data-dir-busy', async () => {
    const other = ServiceProcess.start(processHosting(), { hostEntry: SERVICE_HOST, workerEntry: WORKER_ENTRY, dataDir: data.dir, log: () => undefined });
    await assert.rejects(other.ready, (error: unknown) => error instanceof DataDirBusyError && /in use by another OCR Desk/.test(error.message));
    await other.shutdown(5000);
  });

  test('a worker that exits (code 3) or hangs past the page timeout is noticed through main: exit relayed, hung one killed on request', async () => {
    const exitFile = path.join(data.dir, '__fault-exit__.tif');
    const hangFile = path.join(data.dir, '__fault-hang__.tif');
    await copyFile(phototest, exitFile);
    await copyFile(phototest, hangFile);
    const workersBefore = hosting.forks.filter((f) => f.modulePath === WORKER_ENTRY).length;
    const added = value<OperationOutput<'addJob'>>(await service.call('addJob', { inputs: [exitFile, hangFile], force: true }));
    await jobEnded(added.jobId);
    const job = value<OperationOutput<'getJob'>>(await service.call('getJob', { jobId: added.jobId }));
    const byName = new Map(job.documentList.map((d) => [d.name, d]));
    const exited = byName.get('__fault-exit__.tif')!;
    const hung = byName.get('__fault-hang__.tif')!;
    assert.equal(exited.state, 'failed');
    assert.equal(exited.error?.kind, 'worker-crashed');
    assert.match(exited.error!.message, /exit code 3/);
    assert.equal(hung.state, 'failed');
    assert.equal(hung.error?.kind, 'worker-timeout');
    const workers = hosting.forks.filter((f) => f.modulePath === WORKER_ENTRY);
    assert.ok(workers.length >= workersBefore + 3, 'dead workers were replaced by new ones, forked by main');
    assert.equal(workers.filter((w) => w.process.exitCode === 3).length, 2, 'the page and its retry each took a worker that exited with code 3');
    // The page fails when the service asks main to stop its worker; the process's exit is seen a moment later.
    const killed = () => hosting.forks.filter((f) => f.modulePath === WORKER_ENTRY && f.process.exitCode === 143).length;
    await until(() => (killed() >= 2 ? true : undefined), 10_000, 'the two hung workers to exit');
    assert.equal(killed(), 2, 'main killed (SIGTERM) the two hung workers when the service asked');
    for (const w of workers.filter((w) => w.process.exitCode !== undefined)) assert.equal(processAlive(w.process.child.pid!), false);
  });

  test('shutdown closes the service cleanly (exit 0) and takes its workers with it', async () => {
    await service.shutdown(20_000);
    assert.equal(await service.exited, 0);
    const workers = hosting.forks.filter((f) => f.modulePath === WORKER_ENTRY);
    await until(() => (workers.every((w) => w.process.exitCode !== undefined) ? true : undefined), 10_000, 'the workers to exit');
  });
});
