/**
 * Entry point of an OCR worker process. Started by the main process's worker pool, either with
 * `child_process.fork` (headless CLI, tests) or Electron's `utilityProcess.fork` (desktop app); it finds its
 * parent either way (see {@link connectToParent}) and then serves requests (see {@link startWorkerService}).
 */
import sharp from 'sharp';
import { holdYoungGeneration } from '../node/young-generation.ts';
import { connectToParent } from './parent-port.ts';
import { startWorkerService } from './worker-service.ts';

// Ctrl-C in a terminal reaches every process of the group, and a service manager's stop (systemd's default
// KillMode) sends SIGTERM to every process of the service; the main process decides what stops (it cancels and
// kills workers itself, with SIGKILL), so a worker must not die of these and be mistaken for a crash. A worker whose
// main process is gone exits on the disconnect. Under Electron, though, SIGTERM is how the main process kills a
// utility process (`utilityProcess.kill()`), so there it keeps its meaning.
const underElectron = 'parentPort' in process && (process as { parentPort?: unknown }).parentPort !== undefined;
for (const signal of underElectron ? (['SIGINT', 'SIGHUP'] as const) : (['SIGINT', 'SIGTERM', 'SIGHUP'] as const)) process.on(signal, () => undefined);
// Each worker is given one core's worth of work by the pool: libvips's own thread pool (one thread per core by
// default) would only contend with the other workers, and its operation cache holds decoded pages nobody reads again.
sharp.concurrency(1);
sharp.cache(false);
// A page's JavaScript objects die with it; the pixels and tensors live outside V8's heap (young-generation.ts).
holdYoungGeneration();
startWorkerService(connectToParent());
