/**
 * Parses settings with a zod schema and reports the first problem the house way, naming the setting, what was
 * expected and what was given: "Expected `stableMs` to be an integer >= 0, got `-1`". Every failure is an
 * {@link InvalidOptionError}, whoever reads it (CLI, UI or API).
 */
import type { z } from 'zod';
import { InvalidOptionError } from './errors.ts';
import { showValue } from './options.ts';

/** The parts of zod's internal definition this module reads (stable across zod 4 releases). */
interface Def {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly element?: z.ZodType;
  readonly entries?: Record<string, string>;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Looks through optional, default, readonly, nullable and pipe wrappers. */
function unwrap(schema: z.ZodType): z.ZodType {
  for (let s = schema; ; ) {
    const def = defOf(s);
    const next = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
    if (!next) return s;
    s = next;
  }
}

/** The schema found at `path` inside `schema`, or undefined where the path leaves it. */
function schemaAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  let s: z.ZodType | undefined = unwrap(schema);
  for (const key of path) {
    if (!s) return undefined;
    const def = defOf(s);
    if (def.type === 'object' && typeof key === 'string') s = def.shape?.[key];
    else if (def.type === 'array' && typeof key === 'number') s = def.element;
    else return undefined;
    s = s && unwrap(s);
  }
  return s;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const key of path) v = typeof v === 'object' && v !== null ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}

/** "an integer between 1 and 256", "one of skip, force, redo", "a boolean"… for the schema of one value. */
export function describeSchema(schema: z.ZodType): string {
  const s = unwrap(schema);
  const def = defOf(s);
  switch (def.type) {
    case 'number': {
      const n = s as unknown as { isInt: boolean; minValue: number | null; maxValue: number | null };
      const what = n.isInt ? 'an integer' : 'a number';
      const min = Number.isFinite(n.minValue) && Math.abs(n.minValue!) < Number.MAX_SAFE_INTEGER ? n.minValue : null;
      const max = Number.isFinite(n.maxValue) && Math.abs(n.maxValue!) < Number.MAX_SAFE_INTEGER ? n.maxValue : null;
      if (min !== null && max !== null) return `${what} between ${min} and ${max}`;
      if (min !== null) return `${what} >= ${min}`;
      if (max !== null) return `${what} <= ${max}`;
      return what;
    }
    case 'boolean':
      return 'a boolean';
    case 'string':
      return 'a non-empty string';
    case 'enum':
      return `one of ${Object.values(def.entries ?? {}).join(', ')}`;
    case 'array': {
      const element = def.element && unwrap(def.element);
      if (element && defOf(element).type === 'enum') return `list one or more of ${Object.values(defOf(element).entries ?? {}).join(', ')}`;
      if (element && defOf(element).type === 'string') return 'a list of non-empty strings';
      return 'a list';
    }
    default:
      return `a valid ${def.type}`;
  }
}

/** The first issue of a failed parse as the house message. */
export function describeIssue(schema: z.ZodType, value: unknown, issue: z.core.$ZodIssue, prefix = ''): string {
  // An issue inside a list is reported for the whole list ("Expected `formats` to list one or more of…").
  let path = issue.path;
  let leaf = schemaAt(schema, path);
  while (path.length > 0 && typeof path[path.length - 1] === 'number') {
    path = path.slice(0, -1);
    leaf = schemaAt(schema, path);
  }
  const name = prefix + (path.map(String).join('.') || 'value');
  if (issue.code === 'custom' || issue.code === 'unrecognized_keys' || !leaf) {
    return issue.code === 'unrecognized_keys' ? `Unknown setting${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `\`${prefix}${k}\``).join(', ')}` : `Invalid \`${name}\`: ${issue.message}`;
  }
  const phrase = describeSchema(leaf);
  const verb = phrase.startsWith('list ') ? 'to' : 'to be';
  return `Expected \`${name}\` ${verb} ${phrase}, got \`${showValue(valueAt(value, path))}\``;
}

/** Parses `value`; throws {@link InvalidOptionError} with the house message for the first problem. */
export function parseSettings<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new InvalidOptionError(describeIssue(schema, value, parsed.error.issues[0]!, prefix));
}
