/**
 * Server-Sent Events: the service's event stream as `text/event-stream`, one frame per event (`id` is the event's
 * `seq`, `event` its type), and a comment every `heartbeatMs` so proxies and clients notice a dead connection.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OcrClient } from '../../common/api/client.ts';
import type { ServiceEvent } from '../../common/api/events.ts';

export function frame(event: ServiceEvent): string {
  return `id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

export function streamEvents(req: IncomingMessage, res: ServerResponse, service: Pick<OcrClient, 'subscribe'>, heartbeatMs = 15_000): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    connection: 'keep-alive',
  });
  res.write(': connected\n\n');
  const unsubscribe = service.subscribe((event) => res.write(frame(event)));
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
  heartbeat.unref();
  const stop = () => {
    clearInterval(heartbeat);
    unsubscribe();
  };
  req.on('close', stop);
  res.on('close', stop);
}
