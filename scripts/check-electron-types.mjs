#!/usr/bin/env node
// Type-checks the Electron shell (app/main/electron) against Electron's own declarations instead of the subset in
// electron-shim.d.ts, so the shim cannot drift from the real API. Electron's electron.d.ts comes from an installed
// `electron` package, or from the npm registry (`npm pack electron@<version>`: the typings only, no binary).
// Usage: node scripts/check-electron-types.mjs [path/to/electron.d.ts]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const version = pkg.optionalDependencies?.electron ?? pkg.devDependencies?.electron;
const work = mkdtempSync(path.join(tmpdir(), 'ocr-desk-electron-types-'));

try {
  let typings = process.argv[2] ?? path.join(root, 'node_modules', 'electron', 'electron.d.ts');
  if (!existsSync(typings)) {
    console.log(`Fetching the typings of electron@${version} from the npm registry…`);
    execFileSync('npm', ['pack', `electron@${version}`, '--pack-destination', work, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    execFileSync('tar', ['-xzf', path.join(work, tarball), '-C', work, 'package/electron.d.ts']);
    typings = path.join(work, 'package', 'electron.d.ts');
  }
  const shell = path.join(root, 'app', 'main', 'electron');
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(full);
    }
  };
  walk(shell);
  const config = {
    extends: path.join(root, 'tsconfig.json'),
    compilerOptions: { paths: {}, typeRoots: [path.join(root, 'node_modules', '@types')], noEmit: true },
    files: [typings, ...files],
    include: [],
  };
  writeFileSync(path.join(work, 'tsconfig.json'), JSON.stringify(config, null, 2));
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', path.join(work, 'tsconfig.json')], { stdio: 'inherit' });
  console.log(`app/main/electron (${files.length} files) type-checks against electron@${version}'s own declarations.`);
} catch (error) {
  if (error.status === undefined) console.error(error.message);
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
