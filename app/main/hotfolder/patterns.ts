/**
 * Which names a hot folder looks at. Temporary and partial names are never taken: `~$*` (Office lock files),
 * `*.part`, `*.crdownload`, `*.tmp` (and OCR Desk's own `*.tmp-<pid>`), `*.download`, `*.partial`, and dotfiles.
 * Include and exclude patterns are globs matched against the path relative to the watched folder, with `/` as
 * separator: `*` and `?` stay within one folder level, `**` crosses levels; a pattern without `/` matches the name
 * in any folder.
 */

const PARTIAL = /(^~\$)|(^\.)|\.(part|crdownload|tmp|download|partial)$|\.tmp-\d+$/i;

/** Whether a file or folder name is temporary, partial or hidden. */
export function isIgnoredName(name: string): boolean {
  return PARTIAL.test(name);
}

export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'i');
}

export interface PathFilter {
  (relativePath: string): boolean;
}

/** A filter for relative paths (`/`-separated): kept when it matches an include (or there are none) and no exclude. */
export function pathFilter(include: readonly string[], exclude: readonly string[]): PathFilter {
  const compile = (g: string) => {
    const re = globToRegExp(g);
    return g.includes('/') ? (rel: string) => re.test(rel) : (rel: string) => re.test(rel.slice(rel.lastIndexOf('/') + 1));
  };
  const inc = include.map(compile);
  const exc = exclude.map(compile);
  return (rel) => (inc.length === 0 || inc.some((m) => m(rel))) && !exc.some((m) => m(rel));
}
