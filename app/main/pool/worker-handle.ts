/**
 * One worker process as the pool sees it: its state, at most one request in flight (with a watchdog timer), and the
 * tail of its stderr. Replies are validated with `fromWorkerSchema`; anything off-protocol kills the worker.
 */
import { deserializeError } from '../../common/errors.ts';
import { fromWorkerSchema, type FromWorker, type ToWorker, type WorkerDevice } from '../../common/worker-protocol.ts';
import type { WorkerExit, WorkerTransport } from './transport.ts';

export type WorkerState = 'starting' | 'idle' | 'busy' | 'retiring' | 'dead';

/** Why a request got no answer from its worker. The pool turns this into a user-facing error. */
export type WorkerFaultReason = 'crashed' | 'out-of-memory' | 'timeout' | 'protocol' | 'stopped';

/** The worker failed the request itself (as opposed to reporting an error about the input). */
export class WorkerFault extends Error {
  readonly reason: WorkerFaultReason;
  constructor(reason: WorkerFaultReason, detail: string) {
    super(detail);
    this.reason = reason;
  }
}

/** A request without its `seq`: the handle numbers requests itself. */
export type WorkerRequest = ToWorker extends infer M ? (M extends ToWorker ? Omit<M, 'seq'> : never) : never;

interface Pending {
  readonly seq: number;
  readonly resolve: (reply: FromWorker) => void;
  readonly reject: (error: unknown) => void;
  readonly timer: ReturnType<typeof setTimeout> | undefined;
}

const STDERR_TAIL = 8192;
const OOM_TEXT = /JavaScript heap out of memory|Reached heap limit|Allocation failed|std::bad_alloc|Cannot allocate memory|out of memory/i;

/** Whether an exit looks like running out of memory: V8's or the allocator's report, or an abort without an assertion. */
export function looksOutOfMemory(exit: WorkerExit, stderrTail: string): boolean {
  if (OOM_TEXT.test(stderrTail)) return true;
  const aborted = exit.signal === 'SIGABRT' || exit.code === 134;
  return aborted && !/assert/i.test(stderrTail);
}

/** "exit code 3", "signal SIGKILL". */
export function describeExit(exit: WorkerExit): string {
  if (exit.signal) return `signal ${exit.signal}`;
  if (exit.code !== null) return `exit code ${exit.code}`;
  return 'the process could not be started';
}

/** The stderr line that best explains a death: V8's fatal error, an uncaught error, else the last line that is not a stack frame. */
export function significantLine(stderr: string): string | undefined {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^\d+: 0x[0-9a-f]+/i.test(l) && !/^-+ .* -+$/.test(l) && !/^at /.test(l));
  return lines.find((l) => /FATAL ERROR|terminate called/.test(l)) ?? lines.findLast((l) => /Error\b/.test(l)) ?? lines.at(-1);
}

export class WorkerHandle {
  readonly id: number;
  state: WorkerState = 'starting';
  /** Pages this worker has recognised. */
  pagesDone = 0;
  /** Resident set size the worker last reported, in bytes. */
  rss = 0;
  /** Where its models run, once it is ready. */
  device: WorkerDevice | undefined;
  /** What the worker is doing, for {@link WorkerPool.stats}. */
  activity: { readonly path: string; readonly page?: number } | undefined;
  /** Resolves when the process has exited. */
  readonly exited: Promise<WorkerExit>;

  readonly #transport: WorkerTransport;
  #seq = 0;
  #pending: Pending | undefined;
  #stderr = '';

  constructor(transport: WorkerTransport, id: number) {
    this.id = id;
    this.#transport = transport;
    transport.onStderr((text) => {
      this.#stderr = (this.#stderr + text).slice(-STDERR_TAIL);
    });
    transport.onMessage((message) => this.#onMessage(message));
    this.exited = new Promise((resolve) => {
      transport.onExit((exit) => {
        this.state = 'dead';
        const stderr = this.#stderr.trim();
        const oom = looksOutOfMemory(exit, stderr);
        const lastLine = significantLine(stderr);
        this.#fail(
          new WorkerFault(
            oom ? 'out-of-memory' : 'crashed',
            `the worker process ended (${describeExit(exit)})${lastLine ? `; its last output: ${lastLine}` : ''}`,
          ),
        );
        resolve(exit);
      });
    });
  }

  get pid(): number | undefined {
    return this.#transport.pid;
  }

  /** Whether the process has not yet exited. */
  get alive(): boolean {
    return this.state !== 'dead';
  }

  /**
   * Sends a request and resolves with the worker's reply. A `failed` reply rejects with the revived error; no
   * reply within `timeoutMs`, the process ending, or an invalid reply reject with a {@link WorkerFault} (and kill
   * the worker).
   */
  request(request: WorkerRequest, timeoutMs: number): Promise<FromWorker> {
    if (this.#pending) return Promise.reject(new Error(`Worker ${this.id} already has a request in flight.`));
    if (!this.alive) return Promise.reject(new WorkerFault('crashed', 'the worker process had already ended'));
    const seq = ++this.#seq;
    return new Promise<FromWorker>((resolve, reject) => {
      const timer = Number.isFinite(timeoutMs)
        ? setTimeout(() => {
            this.#fail(new WorkerFault('timeout', `no answer within ${timeoutMs} ms`));
            this.kill();
          }, timeoutMs)
        : undefined;
      this.#pending = { seq, resolve, reject, timer };
      this.#transport.send({ ...request, seq } as ToWorker);
    });
  }

  /** Ends the process now; a request in flight rejects with a `stopped` fault. */
  kill(): void {
    this.#fail(new WorkerFault('stopped', 'the worker was stopped'));
    if (this.state !== 'dead') this.state = 'retiring';
    this.#transport.kill();
  }

  /** Asks the worker to exit; kills it if it has not done so within `graceMs`. */
  retire(graceMs: number): void {
    if (!this.alive) return;
    this.state = 'retiring';
    this.#transport.send({ type: 'shutdown', seq: ++this.#seq });
    const timer = setTimeout(() => this.#transport.kill(), graceMs);
    timer.unref?.();
    void this.exited.then(() => clearTimeout(timer));
  }

  #onMessage(raw: unknown): void {
    const parsed = fromWorkerSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue ? `${issue.path.join('.') || '(message)'}: ${issue.message}` : 'unknown shape';
      this.#fail(new WorkerFault('protocol', `the worker sent an invalid message (${where})`));
      this.kill();
      return;
    }
    const reply = parsed.data as FromWorker;
    const pending = this.#pending;
    if (!pending || pending.seq !== reply.seq) {
      this.#fail(new WorkerFault('protocol', `the worker answered request ${reply.seq}, which is not the one in flight`));
      this.kill();
      return;
    }
    this.#settle();
    if (reply.type === 'failed') pending.reject(deserializeError(reply.error));
    else pending.resolve(reply);
  }

  #settle(): Pending | undefined {
    const pending = this.#pending;
    if (pending?.timer) clearTimeout(pending.timer);
    this.#pending = undefined;
    return pending;
  }

  #fail(fault: WorkerFault): void {
    this.#settle()?.reject(fault);
  }
}
