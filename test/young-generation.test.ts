import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from './helpers.ts';

/**
 * A Node process that keeps ~8 MB of short-lived objects alive at any time (as the service does with pages in
 * flight) and prints its new space's size in MB, after calling holdYoungGeneration or not.
 */
function newSpaceAfterChurn(hold: boolean): number {
  const module = path.join(repoRoot, 'app/node/young-generation.ts');
  const script = `
    import v8 from 'node:v8';
    import { holdYoungGeneration } from ${JSON.stringify(module)};
    if (${hold}) holdYoungGeneration();
    const ring = new Array(64).fill(null);
    for (let i = 0; i < 8_000; i++) ring[i % 64] = Array.from({ length: 1000 }, (_, j) => ({ i, j }));
    const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    console.log(space.space_size / 1048576);`;
  return Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim());
}

describe('the young generation of a service process', () => {
  it('stays at its first size when held, where V8 would grow it under the same churn', () => {
    const grown = newSpaceAfterChurn(false);
    const held = newSpaceAfterChurn(true);
    // Held, it stays within a few MB of where it started (1 MB semispaces): 2-3 MB alone, 5.5 MB once while the
    // whole suite loaded both cores. Without the hold V8 doubles it to its maximum (64 MB here).
    assert.ok(held <= 8, `held, new space stays at ${held} MB`);
    assert.ok(grown >= 4 * held, `without the hold, V8 grows new space (to ${grown} MB here, against ${held} MB held)`);
  });
});
