// Unit tests for the benchmarks' pure helpers (no timing here): node --test bench/*.test.ts
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { writeSection } from './benchmarks-md.ts';
import { median } from './table.ts';
import { tsvToResult } from './tesseract.ts';
import { perfectLines, type Box } from './perfect-lines.ts';
import type { Quad } from '../app/common/result.ts';

test('tsvToResult groups words by block/paragraph/line into line text and union boxes', () => {
  const head = 'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext';
  const rows = [
    '1\t1\t0\t0\t0\t0\t0\t0\t500\t900\t-1\t',
    '4\t1\t1\t1\t1\t0\t10\t10\t200\t30\t-1\t',
    '5\t1\t1\t1\t1\t1\t10\t12\t50\t20\t95.1\tTOTAL',
    '5\t1\t1\t1\t1\t2\t70\t10\t40\t30\t93.0\t12.50',
    '5\t1\t1\t1\t1\t3\t120\t10\t5\t30\t10.0\t ',
    '5\t1\t1\t1\t2\t1\t10\t50\t30\t20\t90.0\tTHANKS',
    '5\t1\t2\t1\t1\t1\t300\t50\t30\t20\t90.0\tBYE',
  ];
  assert.deepEqual(tsvToResult([head, ...rows].join('\n') + '\n'), {
    pages: [
      {
        lines: [
          { text: 'TOTAL 12.50', box: [10, 10, 110, 40] },
          { text: 'THANKS', box: [10, 50, 40, 70] },
          { text: 'BYE', box: [300, 50, 330, 70] },
        ],
      },
    ],
  });
});

test('writeSection replaces only its own section and appends a new one', () => {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'bench-md-')), 'BENCHMARKS.md');
  writeFileSync(file, '# Benchmarks\n\nintro\n\n<!-- bench:other:start -->\nkeep me\n<!-- bench:other:end -->\n');
  writeSection('mine', 'first', file);
  writeSection('mine', 'second', file);
  const text = readFileSync(file, 'utf8');
  assert.equal(text, '# Benchmarks\n\nintro\n\n<!-- bench:other:start -->\nkeep me\n<!-- bench:other:end -->\n\n<!-- bench:mine:start -->\nsecond\n<!-- bench:mine:end -->\n');
});

test('median of odd and even counts', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
});

test('perfectLines gives each line the truth words mostly inside it, left to right, and drops lines with none', () => {
  const truth = [
    { text: 'world', box: [60, 10, 100, 30] as Box },
    { text: 'hello', box: [10, 10, 50, 30] as Box },
    { text: 'stray', box: [300, 300, 340, 320] as Box },
    // only a sliver (20%) inside the first line: not its word
    { text: 'below', box: [10, 26, 50, 46] as Box },
  ];
  const lines = [
    { text: 'helo wrld', box: [[8, 8], [102, 8], [102, 30], [8, 30]] as Quad },
    { text: 'noise', box: [500, 500, 520, 520] as Box },
    { text: 'belw', box: [8, 28, 52, 48] as Box },
  ];
  assert.deepEqual(perfectLines(truth, lines), [
    { text: 'hello world', box: [8, 8, 102, 30] },
    { text: 'below', box: [8, 28, 52, 48] },
  ]);
});
