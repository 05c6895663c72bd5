// Builds a mutant: a temporary copy of the sources with one mutant applied, compiled with the
// project's tsc into <dir>/dist, so that <dir>/dist/src/cli/main.js is faultline with that mistake.
// Mutating the .ts (not the emitted .js) keeps a mutant's text the one a reader sees in src/.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Mutant } from './mutants.js';

/** The project root (this file runs from dist/test/mutants). */
export const ROOT = new URL('../../../', import.meta.url).pathname;

/** How often `text` occurs in `source` (overlapping occurrences count). */
export function occurrences(source: string, text: string): number {
  let n = 0;
  for (let i = source.indexOf(text); i >= 0; i = source.indexOf(text, i + 1)) n++;
  return n;
}

export type Built = { dir: string; cli: string } | { dir: string; error: string };

/** Copies src/ and workers/, applies `m`, compiles. The caller removes `dir` (removeBuild). */
export function buildMutant(m: Mutant): Built {
  const dir = mkdtempSync(join(tmpdir(), `faultline-mutant-${m.id}-`));
  for (const d of ['src', 'workers']) cpSync(join(ROOT, d), join(dir, d), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const path = join(dir, m.file);
  let source = readFileSync(path, 'utf8');
  for (const e of m.edits) {
    const n = occurrences(source, e.find);
    if (n !== 1) return { dir, error: `find text occurs ${n} times in ${m.file}` };
    source = source.replace(e.find, () => e.replace);
  }
  writeFileSync(path, source);
  const { compilerOptions } = JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
  // a mutant that drops a call may leave an import or a constant unused: that is not its mistake
  const options = { ...compilerOptions, noUnusedLocals: false, noUnusedParameters: false, sourceMap: false };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: options, include: ['src/**/*.ts', 'workers/**/*.ts'] }));
  const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
  if (tsc.status !== 0) return { dir, error: `tsc: ${(tsc.stdout + tsc.stderr).trim().split('\n')[0]}` };
  return { dir, cli: join(dir, 'dist/src/cli/main.js') };
}

export function removeBuild(b: Built): void {
  rmSync(b.dir, { recursive: true, force: true });
}
