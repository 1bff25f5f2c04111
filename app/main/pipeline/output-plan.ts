/**
 * Where each input's results go. The output tree mirrors the input tree relative to the deepest folder that
 * contains every input (folder arguments, and the folders of file arguments): `in/a/b.jpg` → `<out>/a/b.json` and
 * `<out>/a/b.txt`. When two inputs would share an output name (`a.jpg` and `a.png`, compared without regard to case
 * so that case-insensitive disks are safe too), those inputs keep their extension: `a.jpg.json`, `a.png.json`.
 */
import path from 'node:path';

/** Deepest folder containing all of `dirs` (resolved). On Windows, paths on different drives have none: ''. */
export function commonAncestor(dirs: readonly string[]): string {
  const split = dirs.map((d) => path.resolve(d).split(path.sep));
  const first = split[0];
  if (!first) return path.resolve('.');
  let n = first.length;
  for (const parts of split.slice(1)) {
    let i = 0;
    while (i < n && i < parts.length && parts[i] === first[i]) i++;
    n = i;
  }
  if (n === 0) return '';
  return first.slice(0, n).join(path.sep) || path.sep;
}

/**
 * Output path of each input without the format extension: `<outDir>/<relative path, extension dropped or kept>`.
 * Keys are the input paths as given.
 */
export function outputBases(files: readonly string[], roots: readonly string[], outDir: string): Map<string, string> {
  const ancestor = commonAncestor(roots);
  const rel = (file: string) => {
    const abs = path.resolve(file);
    const r = ancestor ? path.relative(ancestor, abs) : abs.replace(/^[a-zA-Z]:/, '');
    // Never escape the output folder (cannot happen for inputs under the ancestor, but links can surprise).
    return r.split(path.sep).filter((part) => part !== '..' && part !== '' && part !== '.').join(path.sep);
  };
  const stem = (r: string) => r.slice(0, r.length - path.extname(r).length) || r;

  const byStem = new Map<string, number>();
  for (const f of files) {
    const key = stem(rel(f)).toLowerCase();
    byStem.set(key, (byStem.get(key) ?? 0) + 1);
  }
  const taken = new Set<string>();
  const result = new Map<string, string>();
  for (const f of files) {
    const r = rel(f);
    const preferred = byStem.get(stem(r).toLowerCase())! > 1 ? r : stem(r);
    let base = preferred;
    // Rare second-order clash (a.jpg.png next to a.jpg and a.png): number the later ones.
    for (let i = 2; taken.has(base.toLowerCase()); i++) base = `${preferred}~${i}`;
    taken.add(base.toLowerCase());
    result.set(f, path.join(outDir, base));
  }
  return result;
}
