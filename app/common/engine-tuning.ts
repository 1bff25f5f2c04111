/**
 * The environment variables that tune the OCR engine (`app/worker/engine/params.ts` reads them in each worker), named
 * here so that the service, which never loads engine code, can tell when they change what OCR makes of a file: they
 * are part of the key under which results are reused (content-key.ts). A test checks that every engine variable
 * has one of these prefixes.
 */

/**
 * Prefixes of the engine's variables: detection, recognition, words, layout, look-alikes, dot leaders, ruled lines,
 * spelling (its switch, OCR_DESK_SPELLING, has no underscore after it, and its settings start with it).
 */
export const ENGINE_ENV_PREFIXES = ['OCR_DESK_DET_', 'OCR_DESK_REC_', 'OCR_DESK_WORD_', 'OCR_DESK_LAYOUT_', 'OCR_DESK_LOOKALIKE_', 'OCR_DESK_LEADER_', 'OCR_DESK_RULE_', 'OCR_DESK_SPELLING'] as const;

/** The engine variables set in `env` (blank ones count as unset, as the engine reads them), sorted: '' when none. */
export function engineTuning(env: Readonly<Record<string, string | undefined>>): string {
  return Object.entries(env)
    .filter(([name, value]) => value !== undefined && value.trim() !== '' && ENGINE_ENV_PREFIXES.some((p) => name.startsWith(p)))
    .map(([name, value]) => `${name}=${value!.trim()}`)
    .sort()
    .join('\n');
}
