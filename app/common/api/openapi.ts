/**
 * The OpenAPI 3.1 document of the service's HTTP API, generated from the operation table and its zod schemas
 * (JSON Schema 2020-12, which OpenAPI 3.1 uses as is). Nothing here is written by hand twice: a new operation
 * appears in the document, the routes and the clients at once.
 */
import { z } from 'zod';
import { serializedErrorSchema } from '../errors.ts';
import { serviceEventSchema } from './events.ts';
import { OPERATIONS, type OperationSpec } from './operations.ts';

type JsonSchema = Record<string, unknown>;

const toSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _s, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return rest;
};

const errorResponse = {
  description: 'The request failed; `kind` says why, `message` says what to do.',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
};

function pathParams(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
}

function operation(name: string, spec: OperationSpec): JsonSchema {
  const input = toSchema(spec.input, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  const props = input.properties ?? {};
  const required = new Set(input.required ?? []);
  const inPath = pathParams(spec.path);
  const parameters: JsonSchema[] = inPath.map((p) => ({ name: p, in: 'path', required: true, schema: props[p] ?? { type: 'string' } }));
  const bodyProps: Record<string, JsonSchema> = {};
  for (const [key, schema] of Object.entries(props)) {
    if (inPath.includes(key)) continue;
    if (spec.method === 'GET') parameters.push({ name: key, in: 'query', required: required.has(key), schema });
    else bodyProps[key] = schema;
  }
  const result: JsonSchema = {
    operationId: name,
    summary: spec.summary,
    description: `Needs the \`${spec.scope}\` scope (an API key with it, or the local token, which holds every scope).`,
    // The scope an API key needs; the token and sessions carry their own.
    security: [{ bearer: [] }, { apiKey: [spec.scope] }, { cookie: [] }, { session: [] }],
    'x-scope': spec.scope,
    tags: [spec.path.split('/')[2] ?? 'service'],
    parameters,
    responses: {
      '200':
        spec.response === 'binary'
          ? { description: 'The bytes, with their media type.', content: { '*/*': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } } }
          : { description: 'OK', content: { 'application/json': { schema: toSchema(spec.output, 'output') } } },
      default: errorResponse,
    },
  };
  if (spec.request === 'multipart') {
    result.requestBody = {
      required: true,
      content: {
        'multipart/form-data': {
          schema: {
            type: 'object',
            properties: {
              settings: { type: 'string', description: 'Job settings as JSON (see addJob.settings).' },
              priority: { type: 'integer' },
              idempotencyKey: { type: 'string', description: 'Or the Idempotency-Key header.' },
              label: { type: 'string', description: 'What the job is, in a few words.' },
              webhookUrl: { type: 'string', description: 'Posted to (signed, retried) when the job ends.' },
              file: { type: 'array', items: { type: 'string', contentMediaType: 'application/octet-stream' } },
            },
            required: ['file'],
          },
        },
      },
    };
  } else if (spec.method !== 'GET' && Object.keys(bodyProps).length > 0) {
    const bodyRequired = [...required].filter((r) => !inPath.includes(r));
    result.requestBody = {
      required: bodyRequired.length > 0,
      content: { 'application/json': { schema: { type: 'object', properties: bodyProps, ...(bodyRequired.length > 0 ? { required: bodyRequired } : {}) } } },
    };
  }
  return result;
}

export interface OpenApiOptions {
  readonly version: string;
  /** Cookie the UI keeps its token in. */
  readonly cookieName: string;
  /** Cookie of a browser session made from an API key at /login (LAN node). @default 'ocr_desk_session' */
  readonly sessionCookieName?: string;
}

export function openApiDocument(o: OpenApiOptions): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const [name, spec] of Object.entries(OPERATIONS)) {
    (paths[spec.path] ??= {})[spec.method.toLowerCase()] = operation(name, spec as OperationSpec);
  }
  const health = (summary: string) => ({
    get: {
      operationId: summary === 'alive' ? 'healthz' : 'readyz',
      summary: summary === 'alive' ? 'The service process is alive' : 'The service can work: store open, models loaded, workers startable',
      security: [],
      tags: ['health'],
      responses: {
        '200': { description: 'Yes', content: { 'application/json': { schema: { type: 'object', properties: { status: { type: 'string' } }, required: ['status'] } } } },
        '503': { description: 'Not (yet)', content: { 'application/json': { schema: { type: 'object' } } } },
      },
    },
  });
  paths['/healthz'] = health('alive');
  paths['/readyz'] = health('ready');
  paths['/v1/events'] = {
    get: {
      operationId: 'events',
      summary: 'The event stream (Server-Sent Events; `id` is the event seq, `data` one ServiceEvent as JSON)',
      description: 'Needs the `read` scope.',
      'x-scope': 'read',
      tags: ['events'],
      parameters: [{ name: 'Last-Event-ID', in: 'header', required: false, schema: { type: 'string' } }],
      responses: { '200': { description: 'A stream of events', content: { 'text/event-stream': { schema: { $ref: '#/components/schemas/ServiceEvent' } } } }, default: errorResponse },
    },
  };
  paths['/metrics'] = {
    get: {
      operationId: 'metrics',
      summary: 'Prometheus metrics (text format 0.0.4): queue, pages, stage latency, workers, errors, HTTP requests',
      description: 'Needs the `read` scope.',
      tags: ['health'],
      'x-scope': 'read',
      responses: { '200': { description: 'Metrics', content: { 'text/plain': { schema: { type: 'string' } } } }, default: errorResponse },
    },
  };
  paths['/v1/openapi.json'] = {
    get: { operationId: 'openapi', summary: 'This document', tags: ['service'], responses: { '200': { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } } } },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'OCR Desk service API',
      version: o.version,
      description: 'Offline batch OCR: jobs, documents, results, exports, hot folders, settings. Every request but /healthz and /readyz needs the token (bearer header or the UI cookie).',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }, { apiKey: [] }, { cookie: [] }, { session: [] }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'The token printed when the service started.' },
        cookie: { type: 'apiKey', in: 'cookie', name: o.cookieName, description: 'Set when the UI is opened with ?token=.' },
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API key (`ocrd_…`, made with `ocr-desk keys create --scope …`): `Authorization: Bearer <key>`. Scopes nest: read < submit < admin. Each operation names the scope it needs (x-scope).',
        },
        session: { type: 'apiKey', in: 'cookie', name: o.sessionCookieName ?? 'ocr_desk_session', description: 'A browser session made by signing in with an API key at /login (the key\'s scopes).' },
      },
      schemas: {
        ErrorBody: { type: 'object', properties: { error: toSchema(serializedErrorSchema.omit({ stack: true }), 'output') }, required: ['error'] },
        ServiceEvent: toSchema(serviceEventSchema, 'output'),
      },
    },
    paths,
  };
}
