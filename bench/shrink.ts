// npm run shrink-bench: for each catalog bug, the first failing schedule explore finds (its
// catalog scenario, up to 2,000 seeds) shrunk by `faultline shrink`: preemptions and switches
// before and after, against the catalog's depth (a depth-d race needs d − 1 preemptions). Runs
// the CLI as a user does, in a scratch directory; writes <out>/shrink.md (default
// faultline-bench/, untracked) and prints it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BUG_CATALOG } from '../src/bugs/catalog.js';
import { bugScenarioArgs } from '../src/cli/bugs.js';

const { values: opt } = parseArgs({ options: { out: { type: 'string', default: 'faultline-bench' }, budget: { type: 'string', default: '300' } } });
const cli = new URL('../src/cli/main.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'faultline-shrink-bench-'));
const node = (args: string[]): { status: number | null; stdout: string } => spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8' });

const rows: string[] = [];
let within = 0;
for (const b of BUG_CATALOG) {
  rmSync(join(dir, 'faultline-schedules'), { recursive: true, force: true });
  const found = node(['explore', '--bug', b.name, ...bugScenarioArgs(b), '--seeds', '1..2000', '--stop-on-first', '--quiet', '--no-shrink']);
  const file = found.status === 1 ? readdirSync(join(dir, 'faultline-schedules')).find((f) => f.endsWith('.schedule.json')) : undefined;
  if (file === undefined) {
    rows.push(`| \`${b.name}\` | ${b.depth} | not found in 2,000 seeds | | | | | | |`);
    continue;
  }
  const t0 = performance.now();
  const s = node(['shrink', join('faultline-schedules', file), '--shrink-budget', opt.budget!]);
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  const m = /preemptions (\d+) → (\d+), switches (\d+) → (\d+), steps (\d+) → (\d+)/.exec(s.stdout);
  const runs = /kept in (\d+) replays/.exec(s.stdout)?.[1] ?? '?';
  if (m === null) {
    rows.push(`| \`${b.name}\` | ${b.depth} | ${file} | shrink exit ${s.status} | | | | | |`);
    continue;
  }
  const ok = Number(m[2]) <= b.depth - 1;
  if (ok) within++;
  // what the preemption-bounded enumeration of the shrunk workload ruled out
  const proof = /fewest: no schedule/.test(s.stdout) ? 'fewest on its workload' : /no schedule of this workload with at most (\d+) fails/.exec(s.stdout)?.[1];
  const ruled = proof === undefined ? '' : proof === 'fewest on its workload' ? proof : `none with ≤ ${proof}`;
  rows.push(`| \`${b.name}\` | ${b.depth} | ${file.replace(/-[0-9a-f]{16}\.schedule\.json$/, '')} | ${m[1]} → **${m[2]}**${ok ? '' : ' (> depth − 1)'} | ${ruled} | ${m[3]} → ${m[4]} | ${m[5]} → ${m[6]} | ${workloadOf(s.stdout)} | ${runs} replays, ${seconds} s |`);
  console.error(rows.at(-1));
}
rmSync(dir, { recursive: true, force: true });

/** The workload changes of a shrink's summary line (`ops 30 → 2, moves 2 → 0`). */
function workloadOf(stdout: string): string {
  const line = /preemptions \d+ → \d+, switches \d+ → \d+, steps \d+ → \d+(.*)/.exec(stdout)?.[1] ?? '';
  return line.split(', ').filter((x) => /→/.test(x) && !/schedule/.test(x)).join(', ');
}
const md = [
  `# Shrinking the catalog's failures: ${within} of ${BUG_CATALOG.length} reach depth − 1 preemptions (budget ${opt.budget} replays)`,
  '',
  'Preemptions ruled out: the shrunk workload was enumerated with every schedule of at most that many preemptions (CHESS-style preemption bounding) and none failed; "fewest" when that covers every count below the result.',
  '',
  '| bug | depth | first failing schedule | preemptions | ruled out | switches | steps | workload | shrink |',
  '|---|---|---|---|---|---|---|---|---|',
  ...rows,
  '',
].join('\n');
const out = resolve(opt.out!);
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'shrink.md'), md);
console.log(md);
