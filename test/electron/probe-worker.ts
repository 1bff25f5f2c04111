/**
 * A stand-in OCR worker for the relay tests: it finds its parent with the real connectToParent (so it takes the port
 * main hands over), says hello on stderr, echoes every message, and exits when told to.
 */
import { connectToParent } from '../../app/worker/parent-port.ts';
import type { FromWorker } from '../../app/common/worker-protocol.ts';

const port = connectToParent();
process.stderr.write(`probe-worker: started with ${process.execArgv.join(' ') || 'no flags'}\n`);
port.onMessage((message) => {
  const m = message as { type?: string; code?: number };
  if (m.type === 'exit-now') {
    process.stderr.write(`probe-worker: bye with ${m.code}\n`);
    // Let stderr drain before exiting, as a crashing worker's last words would.
    setTimeout(() => process.exit(m.code ?? 0), 20);
    return;
  }
  port.send({ echo: message } as unknown as FromWorker);
});
port.onDisconnect(() => process.exit(0));
