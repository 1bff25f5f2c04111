/**
 * BENCHMARKS.md holds one section per benchmark between `<!-- bench:<name>:start -->` and `<!-- bench:<name>:end -->`.
 * A benchmark rewrites only its own section (appending it the first time), so the others' results stay.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './ocr-desk.ts';

export const BENCHMARKS_MD = path.join(REPO_ROOT, 'BENCHMARKS.md');

export function writeSection(name: string, body: string, file = BENCHMARKS_MD): void {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const section = `${start}\n${body.trim()}\n${end}`;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n\nWritten by the scripts in `bench/`; each section is rewritten by its own benchmark.\n';
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if ((from >= 0) !== (to >= 0) || to < from) throw new Error(`${file}: markers for section "${name}" are unbalanced`);
  const updated = from >= 0 ? text.slice(0, from) + section + text.slice(to + end.length) : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, updated);
}

/** Prints a benchmark's section and writes it to BENCHMARKS.md, except for a `--quick` run. */
export function publishSection(name: string, body: string, quick: boolean, log: (message: string) => void): void {
  console.log(body);
  if (quick) log('--quick: BENCHMARKS.md left unchanged');
  else {
    writeSection(name, body);
    log('wrote its section of BENCHMARKS.md');
  }
}

/** How the benchmark was started, as the npm command that reproduces it. */
export function commandLine(script: string, args: readonly string[]): string {
  return `npm run ${script}${args.length ? ' -- ' + args.join(' ') : ''}`;
}

/** The closing lines of every benchmark section: the machine, then when and how the run was made. */
export function runFooter(machine: string, command: string, at = new Date()): string {
  return `Machine (shared and noisy: compare figures from the same run only):

${machine}

Run ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC with \`${command}\`.`;
}
