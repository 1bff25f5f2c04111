/**
 * Entry point of an OCR worker process. Started by the main process's worker pool, either with
 * `child_process.fork` (headless CLI, tests) or Electron's `utilityProcess.fork` (desktop app); it finds its
 * parent either way (see {@link connectToParent}) and then serves requests (see {@link startWorkerService}).
 */
import sharp from 'sharp';
import { connectToParent } from './parent-port.ts';
import { startWorkerService } from './worker-service.ts';

// Ctrl-C in a terminal reaches every process of the group; the main process decides what stops (it cancels and
// kills workers itself), so a worker must not die of it and be mistaken for a crash.
process.on('SIGINT', () => undefined);
// Each worker is given one core's worth of work by the pool: libvips's own thread pool (one thread per core by
// default) would only contend with the other workers, and its operation cache holds decoded pages nobody reads again.
sharp.concurrency(1);
sharp.cache(false);
startWorkerService(connectToParent());
