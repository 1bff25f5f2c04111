/**
 * Option validation with messages that name the option, say what was expected and show what was given, e.g.
 * "Expected `workers` to be an integer >= 1, got `0`". Every failure is an {@link InvalidOptionError}.
 */
import { InvalidOptionError } from './errors.ts';

/** How a value is shown inside an error message. */
export function showValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function range(min: number, max: number | undefined): string {
  return max === undefined ? `>= ${min}` : `between ${min} and ${max}`;
}

/** Checks that `value` is an integer in [min, max]; returns it. */
export function expectInteger(name: string, value: unknown, min: number, max?: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || (max !== undefined && value > max)) {
    throw new InvalidOptionError(`Expected \`${name}\` to be an integer ${range(min, max)}, got \`${showValue(value)}\``);
  }
  return value;
}

/** Checks that `value` is a boolean; returns it. */
export function expectBoolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new InvalidOptionError(`Expected \`${name}\` to be a boolean, got \`${showValue(value)}\``);
  return value;
}

/** Checks that `value` is a non-empty string; returns it. */
export function expectString(name: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new InvalidOptionError(`Expected \`${name}\` to be a non-empty string, got \`${showValue(value)}\``);
  }
  return value;
}

/**
 * Parses a decimal integer written as text (a command-line flag or an environment variable). Accepts `_` as a
 * digit separator (`100_000_000`), nothing else: `1e8`, `12abc` and `` are refused.
 */
export function parseIntegerText(name: string, text: string, min: number, max?: number): number {
  const trimmed = text.trim();
  if (!/^\d+(_\d+)*$/.test(trimmed)) {
    throw new InvalidOptionError(`Expected \`${name}\` to be an integer ${range(min, max)}, got \`${text}\``);
  }
  const value = Number(trimmed.replaceAll('_', ''));
  if (!Number.isSafeInteger(value) || value < min || (max !== undefined && value > max)) {
    throw new InvalidOptionError(`Expected \`${name}\` to be an integer ${range(min, max)}, got \`${text}\``);
  }
  return value;
}

/** Parses a boolean written as text: 1/0, true/false, yes/no, on/off (any case). */
export function parseBooleanText(name: string, text: string): boolean {
  const t = text.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(t)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(t)) return false;
  throw new InvalidOptionError(`Expected \`${name}\` to be a boolean (1/0, true/false, yes/no, on/off), got \`${text}\``);
}
