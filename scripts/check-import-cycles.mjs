#!/usr/bin/env node
// Fails (exit 1) when the modules under app/ import each other in a circle, naming every circle found. Run by
// `npm test`. Type-only imports count too: a circle of types is still a circle in the design.
// Usage: node scripts/check-import-cycles.mjs [root]   (default: app)
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(process.argv[2] ?? 'app');
const files = readdirSync(root, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && /\.(ts|tsx)$/.test(e.name) && !e.name.endsWith('.d.ts'))
  .map((e) => path.join(e.parentPath, e.name));

// Static imports and re-exports (`import … from '…'`, `export … from '…'`) and dynamic `import('…')` of relative paths.
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;
const graph = new Map();
for (const file of files) {
  // Comments out first: TSDoc may mention `import('./x.ts')` in a {@link}.
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '$1');
  const deps = new Set();
  for (const m of text.matchAll(IMPORT)) {
    const target = path.resolve(path.dirname(file), m[1] ?? m[2]);
    if (graph.has(target) || files.includes(target)) deps.add(target);
  }
  graph.set(file, deps);
}

// Tarjan's strongly connected components: every component of more than one module (or a self-import) is a circle.
let index = 0;
const stack = [];
const info = new Map();
const cycles = [];
function visit(v) {
  info.set(v, { index, low: index, onStack: true });
  index++;
  stack.push(v);
  for (const w of graph.get(v) ?? []) {
    if (!info.has(w)) {
      visit(w);
      info.get(v).low = Math.min(info.get(v).low, info.get(w).low);
    } else if (info.get(w).onStack) {
      info.get(v).low = Math.min(info.get(v).low, info.get(w).index);
    }
  }
  if (info.get(v).low === info.get(v).index) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      info.get(w).onStack = false;
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v)?.has(v)) cycles.push(component);
  }
}
for (const v of graph.keys()) if (!info.has(v)) visit(v);

const rel = (f) => path.relative(process.cwd(), f);
if (cycles.length > 0) {
  console.error(`Import cycles under ${rel(root)}: ${cycles.length}`);
  for (const c of cycles) console.error(`  ${c.map(rel).sort().join('\n    ⇄ ')}`);
  process.exit(1);
}
console.log(`No import cycles among ${files.length} modules under ${rel(root) || '.'}.`);
