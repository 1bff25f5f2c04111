/**
 * Entry point of the service's utility process in the desktop app (started by main with `utilityProcess.fork`).
 * It finds main through `process.parentPort` and hosts the OCR service ({@link runServiceHost}).
 */
import { enableCompileCache } from '../../../node/compile-cache.mjs';
import { holdYoungGeneration } from '../../../node/young-generation.ts';
import { APP_VERSION } from '../../service/diagnostics.ts';
import { OcrService } from '../../service/ocr-service.ts';
import { runServiceHost, type HostParentPort } from './service-host.ts';

const parentPort = (process as NodeJS.Process & { parentPort?: HostParentPort }).parentPort;
if (!parentPort) {
  console.error('The OCR Desk service host runs only inside the desktop app (as an Electron utility process). Use `ocr-desk serve` for a headless service.');
  process.exit(2);
}
holdYoungGeneration();
// Ctrl-C in the terminal that started the app reaches every process; main decides when the service stops.
process.on('SIGINT', () => undefined);

runServiceHost(parentPort, {
  version: APP_VERSION,
  open: (options) => {
    // The compile cache goes in the data folder; workers inherit it through the environment.
    enableCompileCache(options.dataDir, process.env);
    return OcrService.open(options);
  },
});
