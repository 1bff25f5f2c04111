/**
 * The HTTP routes, made from the operation table (app/common/api/operations.ts): a path template becomes a
 * pattern; path parameters and query fields are turned into the types the input schema expects before it is
 * validated (numbers and booleans arrive as text).
 */
import type { z } from 'zod';
import { OPERATIONS, type OperationName, type OperationSpec } from '../../common/api/operations.ts';

export interface Route {
  readonly name: OperationName;
  readonly spec: OperationSpec;
  readonly pattern: RegExp;
  readonly params: readonly string[];
}

export const ROUTES: readonly Route[] = Object.entries(OPERATIONS).map(([name, spec]) => {
  const params: string[] = [];
  const source = spec.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{(\w+)\\?\}/g, (_m, p: string) => {
    params.push(p);
    return '([^/]+)';
  });
  return { name: name as OperationName, spec: spec as OperationSpec, pattern: new RegExp(`^${source}$`), params };
});

/** The route for a method and path, or which methods the path allows (for 405). */
export function matchRoute(method: string, pathname: string): { route: Route; params: Record<string, string> } | { allowed: string[] } | undefined {
  const allowed: string[] = [];
  for (const route of ROUTES) {
    const m = route.pattern.exec(pathname);
    if (!m) continue;
    if (route.spec.method !== method) {
      allowed.push(route.spec.method);
      continue;
    }
    const params: Record<string, string> = {};
    route.params.forEach((p, i) => (params[p] = decodeURIComponent(m[i + 1]!)));
    return { route, params };
  }
  return allowed.length > 0 ? { allowed } : undefined;
}

/** zod's internal definition type of a field, through optional/default/nullable wrappers. */
function fieldType(schema: z.ZodObject, key: string): { type: string; element?: string } {
  let s = (schema.shape as Record<string, z.ZodType>)[key];
  for (let i = 0; s && i < 8; i++) {
    const def = (s as unknown as { _zod: { def: { type: string; innerType?: z.ZodType; element?: z.ZodType; in?: z.ZodType } } })._zod.def;
    if (def.innerType) s = def.innerType;
    else if (def.type === 'pipe' && def.in) s = def.in;
    else if (def.type === 'array') return { type: 'array', element: fieldType({ shape: { e: def.element } } as unknown as z.ZodObject, 'e').type };
    else return { type: def.type };
  }
  return { type: 'unknown' };
}

function coerce(type: string, text: string): unknown {
  if (type === 'number') return text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
  if (type === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
  return text;
}

/** Path parameters and query fields as the input schema expects them. */
export function textFields(schema: z.ZodObject, fields: Record<string, string | string[]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(fields)) {
    const t = fieldType(schema, key);
    if (t.type === 'array') out[key] = (Array.isArray(raw) ? raw : raw.split(',')).map((v) => coerce(t.element ?? 'string', v));
    else out[key] = coerce(t.type, Array.isArray(raw) ? raw[raw.length - 1]! : raw);
  }
  return out;
}
