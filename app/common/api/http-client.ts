/**
 * The {@link OcrClient} over HTTP, for a browser (the UI served by `ocr-desk serve`, authenticated by its cookie)
 * and for Node (a second `ocr-desk` run handing its job to a running service, with the bearer token). Every verb
 * comes from the operation table; errors come back as the same error classes, revived from their `kind`.
 * Events arrive by Server-Sent Events, read with fetch so that the token can go in a header; a broken stream is
 * reopened with `Last-Event-ID`.
 */
import { deserializeError, OcrDeskError, serializedErrorSchema } from '../errors.ts';
import type { OcrClient, SubscribeOptions } from './client.ts';
import { serviceEventSchema, type ServiceEvent } from './events.ts';
import { OPERATIONS, type BinaryResponse, type OcrApi, type OperationName, type OperationSpec } from './operations.ts';

export interface HttpClientOptions {
  /** Where the service listens, e.g. `http://127.0.0.1:7327`; '' for the page's own origin (the UI). */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer`; without it the browser's cookie is used. */
  readonly token?: string;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/** Fills `{name}` placeholders from the input; returns the path and the fields left over. */
export function fillPath(template: string, input: Record<string, unknown>): { path: string; rest: Record<string, unknown> } {
  const rest = { ...input };
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = rest[name];
    delete rest[name];
    if (value === undefined) throw new OcrDeskError(`The request needs \`${name}\`.`);
    return encodeURIComponent(String(value));
  });
  return { path, rest };
}

/** The query string of a GET: scalar fields as they are, lists repeated. */
export function queryString(fields: Record<string, unknown>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) for (const item of v) q.append(k, String(item));
    else q.append(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The file name of a Content-Disposition header. */
function dispositionName(header: string | null): string {
  const star = header?.match(/filename\*=UTF-8''([^;]+)/i);
  if (star) return decodeURIComponent(star[1]!);
  return header?.match(/filename="([^"]*)"/i)?.[1] ?? 'download';
}

export function createHttpClient(options: HttpClientOptions): OcrClient {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const headers = (extra: Record<string, string> = {}): Record<string, string> => (options.token ? { ...extra, authorization: `Bearer ${options.token}` } : extra);

  const fail = async (response: Response): Promise<never> => {
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      throw new OcrDeskError(`OCR Desk answered ${response.status} ${response.statusText} to ${response.url}.`);
    }
    const parsed = serializedErrorSchema.safeParse((body as { error?: unknown }).error);
    throw parsed.success ? deserializeError(parsed.data) : new OcrDeskError(`OCR Desk answered ${response.status} ${response.statusText}.`);
  };

  const call = async (name: OperationName, input: Record<string, unknown> = {}): Promise<unknown> => {
    const spec = OPERATIONS[name] as OperationSpec;
    const { path, rest } = fillPath(spec.path, input);
    let url = options.baseUrl + path;
    const init: RequestInit = { method: spec.method, credentials: 'same-origin' };
    if (spec.request === 'multipart') {
      const form = new FormData();
      const { files, ...fields } = rest as { files: { name: string; data: Uint8Array }[]; settings?: unknown; priority?: number; idempotencyKey?: string; label?: string };
      if (fields.settings !== undefined) form.append('settings', JSON.stringify(fields.settings));
      if (fields.priority !== undefined) form.append('priority', String(fields.priority));
      if (fields.idempotencyKey !== undefined) form.append('idempotencyKey', String(fields.idempotencyKey));
      if (fields.label !== undefined) form.append('label', fields.label);
      for (const f of files) form.append('file', new Blob([f.data as Uint8Array<ArrayBuffer>]), f.name);
      init.body = form;
      init.headers = headers();
    } else if (spec.method === 'GET') {
      url += queryString(rest);
      init.headers = headers();
    } else {
      init.body = JSON.stringify(rest);
      init.headers = headers({ 'content-type': 'application/json' });
    }
    const response = await doFetch(url, init);
    if (!response.ok) return fail(response);
    if (spec.response === 'binary') {
      const data = new Uint8Array(await response.arrayBuffer());
      return { data, mediaType: response.headers.get('content-type') ?? 'application/octet-stream', fileName: dispositionName(response.headers.get('content-disposition')) } satisfies BinaryResponse;
    }
    return response.json();
  };

  const verbs = Object.fromEntries(Object.keys(OPERATIONS).map((name) => [name, (input?: Record<string, unknown>) => call(name as OperationName, input)])) as unknown as OcrApi;

  const subscribe = (listener: (event: ServiceEvent) => void, o: SubscribeOptions = {}): (() => void) => {
    const controller = new AbortController();
    const stop = () => controller.abort();
    o.signal?.addEventListener('abort', stop, { once: true });
    void readEvents(doFetch, options.baseUrl + '/v1/events', headers, listener, controller.signal).catch((error: unknown) => {
      if (!controller.signal.aborted) o.onError?.(error instanceof Error ? error : new Error(String(error)));
    });
    return stop;
  };

  return { ...verbs, subscribe };
}

/** Reads the SSE stream, reopening it after a break (at most `retries` times in a row without an event). */
async function readEvents(
  doFetch: typeof fetch,
  url: string,
  headers: (extra?: Record<string, string>) => Record<string, string>,
  listener: (event: ServiceEvent) => void,
  signal: AbortSignal,
  retries = 5,
): Promise<void> {
  let lastId: string | undefined;
  let failures = 0;
  while (!signal.aborted) {
    try {
      const response = await doFetch(url, { headers: headers(lastId ? { 'last-event-id': lastId, accept: 'text/event-stream' } : { accept: 'text/event-stream' }), signal, credentials: 'same-origin' });
      if (!response.ok || !response.body) throw new OcrDeskError(`The event stream answered ${response.status} ${response.statusText}.`);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = frame.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
          const id = frame.split('\n').find((l) => l.startsWith('id:'))?.slice(3).trim();
          if (id) lastId = id;
          if (!data) continue;
          const parsed = serviceEventSchema.safeParse(JSON.parse(data));
          if (parsed.success) {
            failures = 0;
            listener(parsed.data);
          }
        }
      }
    } catch (error) {
      if (signal.aborted) return;
      if (++failures > retries) throw error;
    }
    if (!signal.aborted) await new Promise((r) => setTimeout(r, Math.min(5000, 250 * 2 ** failures)));
  }
}
