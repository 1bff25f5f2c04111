/**
 * /metrics in the Prometheus text format (prom-client): the queue's depth, pages processed, page latency per
 * engine stage, documents by outcome, worker restarts, errors by kind, HTTP requests by route and status with
 * their latency, and the process's own figures (memory, CPU, event-loop lag). One registry per server.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { OcrService } from '../service/ocr-service.ts';

const STAGES = { decodeMs: 'decode', detectMs: 'detect', classifyMs: 'classify', recogniseMs: 'recognise', layoutMs: 'layout' } as const;

export interface Metrics {
  readonly registry: Registry;
  request(route: string, method: string, status: number, seconds: number): void;
  error(kind: string, source: 'http' | 'document'): void;
  close(): void;
}

export function createMetrics(service: OcrService): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'ocr_desk_' });
  const registers = [registry];
  new Gauge({ name: 'ocr_desk_queue_pages', help: 'Pages waiting or in flight in runnable jobs', registers, collect() { this.set(service.stats().remainingPages); } });
  new Gauge({ name: 'ocr_desk_queue_in_flight_documents', help: 'Documents being recognised now', registers, collect() { this.set(service.stats().inFlight); } });
  new Gauge({ name: 'ocr_desk_workers', help: 'OCR worker processes', labelNames: ['state'], registers, collect() {
    const s = service.stats();
    this.set({ state: 'busy' }, s.busyWorkers);
    this.set({ state: 'idle' }, s.workers - s.busyWorkers);
  } });
  let restartsSeen = 0;
  new Counter({ name: 'ocr_desk_worker_restarts_total', help: 'OCR workers started again after one crashed, hung or was replaced', registers, collect() {
    const now = service.stats().workerRestarts;
    if (now > restartsSeen) this.inc(now - restartsSeen);
    restartsSeen = Math.max(restartsSeen, now);
  } });
  const pages = new Counter({ name: 'ocr_desk_pages_processed_total', help: 'Pages recognised and stored', registers });
  const stage = new Histogram({
    name: 'ocr_desk_page_stage_seconds',
    help: 'Worker time per page, by engine stage',
    labelNames: ['stage'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const documents = new Counter({ name: 'ocr_desk_documents_total', help: 'Documents that ended, by outcome', labelNames: ['state'], registers });
  const errors = new Counter({ name: 'ocr_desk_errors_total', help: 'Errors by kind: failed documents, and HTTP requests answered with an error', labelNames: ['kind', 'source'], registers });
  const requests = new Counter({ name: 'ocr_desk_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['route', 'method', 'status'], registers });
  const latency = new Histogram({
    name: 'ocr_desk_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route',
    labelNames: ['route'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers,
  });
  const unsubscribe = service.subscribe((e) => {
    if (e.type === 'page') {
      pages.inc();
      for (const [field, name] of Object.entries(STAGES)) stage.observe({ stage: name }, e.timings[field as keyof typeof STAGES] / 1000);
    } else if (e.type === 'document' && (e.document.state === 'done' || e.document.state === 'failed' || e.document.state === 'cancelled')) {
      documents.inc({ state: e.document.state });
      if (e.document.state === 'failed') errors.inc({ kind: e.document.error?.kind ?? 'internal', source: 'document' });
    }
  });
  return {
    registry,
    request: (route, method, status, seconds) => {
      requests.inc({ route, method, status: String(status) });
      latency.observe({ route }, seconds);
    },
    error: (kind, source) => errors.inc({ kind, source }),
    close: unsubscribe,
  };
}
