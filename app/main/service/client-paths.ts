/**
 * The paths a client names (job inputs and output folders, export folders, hot folders, model packs) are read or
 * written only inside the roots the admin allow-listed (`--allow-root`, OCR_DESK_ALLOWED_ROOTS), unless the caller
 * is the local admin. Each path is resolved and its symbolic links followed (realpath of the deepest part that
 * exists, so a folder still to be made is checked where it would be), then compared with the roots' real paths:
 * `..`, links out of a root and prefixes (`/data/in` vs `/data/inbox`) do not get through.
 */
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { ForbiddenError } from '../../common/errors.ts';
import { currentCaller } from './caller.ts';

async function realPathOf(p: string): Promise<string> {
  const missing: string[] = [];
  let at = path.resolve(p);
  for (;;) {
    try {
      return path.join(await realpath(at), ...missing.reverse());
    } catch {
      const parent = path.dirname(at);
      if (parent === at) return path.join(at, ...missing.reverse());
      missing.push(path.basename(at));
      at = parent;
    }
  }
}

const inside = (root: string, p: string) => p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);

export class ClientPaths {
  readonly #roots: readonly string[];
  #real: Promise<string[]> | undefined;

  constructor(roots: readonly string[]) {
    this.#roots = roots.map((r) => path.resolve(r));
  }

  get roots(): readonly string[] {
    return this.#roots;
  }

  /** Throws {@link ForbiddenError} unless the current caller may use every path (resolved against `base`). */
  async check(paths: readonly (string | undefined)[], base?: string): Promise<void> {
    if (currentCaller().localAdmin) return;
    this.#real ??= Promise.all(this.#roots.map(realPathOf));
    const roots = await this.#real;
    for (const p of paths) {
      if (p === undefined) continue;
      if (p.includes('\0')) throw new ForbiddenError('A path may not hold a NUL character.');
      const real = await realPathOf(path.resolve(base ?? roots[0] ?? '/', p));
      if (!roots.some((r) => inside(r, real))) {
        throw new ForbiddenError(
          roots.length === 0
            ? 'This OCR Desk takes no paths from network clients: upload the files instead, or ask its admin to allow a folder (--allow-root).'
            : `"${p}" is outside the folders this OCR Desk lets network clients name (--allow-root): ask its admin which they are, or upload the files.`,
        );
      }
    }
  }
}
