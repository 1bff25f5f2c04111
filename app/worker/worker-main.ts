/**
 * Entry point of an OCR worker process. Started by the main process's worker pool, either with
 * `child_process.fork` (headless CLI, tests) or Electron's `utilityProcess.fork` (desktop app); it finds its
 * parent either way (see {@link connectToParent}) and then serves requests (see {@link startWorkerService}).
 */
import { connectToParent } from './parent-port.ts';
import { startWorkerService } from './worker-service.ts';

startWorkerService(connectToParent());
