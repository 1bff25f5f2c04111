/**
 * Fault injection for tests of the worker pool: crashing, hanging, out-of-memory and misbehaving workers, with the
 * real worker process and real models. Inert unless the environment variable `OCR_DESK_TEST_FAULTS` is set to a
 * non-empty value other than `0`, so a production worker never looks at these markers.
 *
 * When active, a `page` request whose path contains one of these markers misbehaves instead of being recognised:
 *
 * | marker              | the worker…                                                                |
 * | ------------------- | -------------------------------------------------------------------------- |
 * | `__fault-crash__`   | dies of SIGSEGV, as a native crash in a decoder would                        |
 * | `__fault-exit__`    | exits with code 3                                                          |
 * | `__fault-hang__`    | blocks its event loop forever (without spinning the CPU)                   |
 * | `__fault-oom__`     | allocates JavaScript memory until V8 aborts with "heap out of memory"      |
 * | `__fault-garbage__` | replies with a message that does not match the protocol                    |
 *
 * `OCR_DESK_TEST_FAULTS=init-crash` additionally makes the worker crash while handling `init`.
 */
import type { ParentPort } from './parent-port.ts';

export const FAULTS_ENV = 'OCR_DESK_TEST_FAULTS';

const MARKERS = ['crash', 'exit', 'hang', 'oom', 'garbage'] as const;
export type PageFault = (typeof MARKERS)[number];

/** Whether fault injection is switched on in this process. */
export function faultsEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env[FAULTS_ENV];
  return v !== undefined && v !== '' && v !== '0';
}

function flags(env: NodeJS.ProcessEnv): string[] {
  return (env[FAULTS_ENV] ?? '').split(',').map((f) => f.trim());
}

/** The fault a page request for `path` asks for, if faults are enabled. */
export function pageFault(path: string, env: NodeJS.ProcessEnv = process.env): PageFault | undefined {
  if (!faultsEnabled(env)) return undefined;
  return MARKERS.find((m) => path.includes(`__fault-${m}__`));
}

/** Whether the worker should crash while handling `init`. */
export function initFault(env: NodeJS.ProcessEnv = process.env): boolean {
  return faultsEnabled(env) && flags(env).includes('init-crash');
}

/** Makes the worker misbehave as `fault` says. Only `garbage` returns; the others never do. */
export function injectFault(fault: PageFault, seq: number, port: ParentPort): void {
  switch (fault) {
    case 'crash':
      process.kill(process.pid, 'SIGSEGV');
      return hangForever();
    case 'exit':
      process.exit(3);
      break;
    case 'hang':
      return hangForever();
    case 'oom':
      return exhaustHeap();
    case 'garbage':
      // Deliberately off-protocol: the main process must refuse it.
      port.send({ type: 'page-done', seq, page: { index: -1, lines: 'not lines' }, rss: 'lots' } as never);
      return;
  }
}

/** Blocks the thread, as a deadlocked native call would; the process answers nothing until it is killed. */
function hangForever(): never {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  for (;;) Atomics.wait(cell, 0, 0);
}

/** Allocates until V8 gives up. Start the worker with a small `--max-old-space-size` to make this quick. */
function exhaustHeap(): never {
  const hoard: number[][] = [];
  for (;;) hoard.push(new Array<number>(1 << 20).fill(hoard.length + 0.5));
}
