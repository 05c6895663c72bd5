// The engine on toy programs, without the machine: exhaustive enumeration counts exactly the
// interleavings a hand calculation gives, pct finds a depth-2 bug at least at its bound, the same
// seed gives the same trace hash in another process.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { makeConfig } from '../../src/config.js';
import { closeDetPool, explore } from '../../src/harness/explore.js';
import type { DetRunSpec } from '../../src/harness/det_group.js';
import { detRunSpec } from '../../src/harness/det_run.js';
import { strategyOf, type StrategyOptions } from '../../src/sched/strategies/index.js';

test.after.always(closeDetPool);

const FIXTURE = fileURLToPath(new URL('../fixtures/api_programs.js', import.meta.url));

function spec(exportName: string, strategy: StrategyOptions): DetRunSpec {
  return detRunSpec({ cfg: makeConfig({}), test: { file: `${FIXTURE}#${exportName}` }, strategy: strategyOf(strategy), moves: 0 });
}

const choose = (n: number, k: number): number => (k < 0 || k > n ? 0 : k === 0 ? 1 : (choose(n - 1, k - 1) * n) / k);

/** Interleavings of n events of thread 0 and m of thread 1 (thread 0 holds the token first) with
 * at most c preemptions. A schedule of b blocks (maximal runs of one thread) switches b − 1 times;
 * the switch out of the block of the thread that finishes first is free (it exited), so b − 2
 * preemptions when thread 0 runs first and b − 1 when thread 1 does (thread 0 was preempted at its
 * first point). Blocks alternate: j blocks of a thread's events split them C(events − 1, j − 1) ways. */
function boundedCount(n: number, m: number, c: number): number {
  let total = 0;
  for (let b = 2; b <= n + m; b++) {
    const half = Math.floor(b / 2);
    const firstMore = b - half; // blocks of the thread that starts
    if (b - 2 <= c) total += choose(n - 1, firstMore - 1) * choose(m - 1, half - 1); // thread 0 first
    if (b - 1 <= c) total += choose(m - 1, firstMore - 1) * choose(n - 1, half - 1); // thread 1 first
  }
  return total;
}

const CASES: [string, number, number][] = [['p2x2', 2, 2], ['p3x2', 3, 2], ['p4x3', 4, 3]];

for (const [name, n, m] of CASES) {
  test.serial(`exhaustive: two threads of ${n} and ${m} steps have C(${n + m}, ${n}) = ${choose(n + m, n)} schedules, each one once`, async (t) => {
    const r = await explore({ spec: spec(name, { name: 'bounded', bound: 16, exhaustive: true }), seedStart: 1, seedCount: 1, jobs: 1, stopOnFirst: false, maxSchedules: 0 });
    t.true(r.exhausted);
    t.is(r.schedules, choose(n + m, n));
    t.is(new Set(r.runs.map((x) => x.traceHash)).size, r.schedules, 'no schedule enumerated twice');
  });
  for (const c of [0, 1, 2]) {
    test.serial(`exhaustive: ${n} and ${m} steps with at most ${c} preemptions: ${boundedCount(n, m, c)} schedules`, async (t) => {
      const r = await explore({ spec: spec(name, { name: 'bounded', bound: c, exhaustive: true }), seedStart: 1, seedCount: 1, jobs: 1, stopOnFirst: false, maxSchedules: 0 });
      t.true(r.exhausted);
      t.is(r.schedules, boundedCount(n, m, c));
    });
  }
}

test('the hand count sums to C(n+m, n) without a bound', (t) => {
  for (const [, n, m] of CASES) t.is(boundedCount(n, m, n + m), choose(n + m, n));
});

test.serial('pct d=2 finds a depth-2 bug of 3 threads at least at the bound 1/(n·k)', async (t) => {
  const seeds = 3000;
  const r = await explore({ spec: spec('depth2', { name: 'pct', depth: 2 }), seedStart: 1, seedCount: seeds, jobs: 1, stopOnFirst: false, maxSchedules: 0 });
  const k = r.strategy.name === 'pct' && r.strategy.steps !== 'auto' ? r.strategy.steps : NaN;
  const bound = 1 / (3 * k);
  t.log(`k = ${k}: ${r.failedSchedules} of ${seeds} (${(r.failedSchedules / seeds).toFixed(4)}), bound ${bound.toFixed(4)}`);
  t.true(r.failedSchedules / seeds >= bound);
  t.true(r.failures.every((f) => f.violation.oracle === 'test:check'));
});

test.serial('the same seed gives the same trace hash in another process', async (t) => {
  const s = spec('depth2', { name: 'random', switchProbability: 0.3 });
  const r = await explore({ spec: s, seedStart: 1, seedCount: 20, jobs: 1, stopOnFirst: false, maxSchedules: 0 });
  const script = `
    const { explore, closeDetPool } = await import(${JSON.stringify(new URL('../../src/harness/explore.js', import.meta.url).href)});
    const spec = JSON.parse(process.argv[1]);
    const r = await explore({ spec, seedStart: 1, seedCount: 20, jobs: 2, stopOnFirst: false, maxSchedules: 0 });
    await closeDetPool();
    console.log(JSON.stringify(r.runs.map((x) => x.traceHash)));`;
  const other = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(s)], { encoding: 'utf8' })) as string[];
  t.deepEqual(other, r.runs.map((x) => x.traceHash));
});
