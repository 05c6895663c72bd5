// npm run coverage-bench: interleaving coverage of each strategy over the same clean schedules of
// the small scenario (issue 12 §3): pairs of conflicting point labels seen, seen in both orders,
// and the both-orders count after a quarter, half and all of the schedules. Runs the CLI as a user
// does; writes <out>/coverage.md and coverage.json (default faultline-bench/, untracked) and
// prints the Markdown.
//   npm run coverage-bench -- [--schedules N] [--out DIR]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { toolStamp } from '../src/version.js';

const { values: opt } = parseArgs({ options: { out: { type: 'string', default: 'faultline-bench' }, schedules: { type: 'string', default: '1000' } } });
const cli = new URL('../src/cli/main.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'faultline-coverage-bench-'));
const STRATEGIES = [['random'], ['pct', '--depth', '2'], ['pct', '--depth', '3'], ['pos'], ['surw'], ['cover'], ['portfolio']];

interface Coverage { pairs: number; bothOrders: number; fraction: number; curve: { schedules: number; bothOrders: number }[] }
const results: { strategy: string; seconds: number; coverage: Coverage }[] = [];
for (const s of STRATEGIES) {
  const out = join(dir, 'c.json');
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, 'explore', '--strategy', ...s, '--seeds', `1..${opt.schedules}`, '--coverage', '--quiet', '--json', out], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`explore --strategy ${s.join(' ')}: exit ${r.status}\n${r.stdout}${r.stderr}`);
  const coverage = (JSON.parse(readFileSync(out, 'utf8')) as { coverage: Coverage }).coverage;
  results.push({ strategy: s.join(' ').replace(' --depth ', ' d='), seconds: Math.round((performance.now() - t0) / 100) / 10, coverage });
}
const at = (c: Coverage, f: number): number => c.curve[Math.max(0, Math.ceil(f * c.curve.length) - 1)]!.bothOrders;
const md = [
  `# Interleaving coverage: ${opt.schedules} clean schedules of the small scenario per strategy (seeds 1..${opt.schedules})`,
  '',
  'A pair is two point labels whose accesses conflicted (the same word, two threads, one of them writing); it is covered when seen in both orders.',
  '',
  '| strategy | pairs seen | in both orders | fraction | both orders after 25% / 50% / 100% | seconds |',
  '| --- | --- | --- | --- | --- | --- |',
  ...results.map((x) => `| ${x.strategy} | ${x.coverage.pairs} | ${x.coverage.bothOrders} | ${(100 * x.coverage.fraction).toFixed(1)}% | ${at(x.coverage, 0.25)} / ${at(x.coverage, 0.5)} / ${at(x.coverage, 1)} | ${x.seconds} |`),
  '',
].join('\n');
const outDir = resolve(opt.out!);
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'coverage.md'), md);
writeFileSync(join(outDir, 'coverage.json'), JSON.stringify({ tool: toolStamp(), schedules: Number(opt.schedules), results }, null, 1) + '\n');
console.log(md);
