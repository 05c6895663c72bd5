import test from 'ava';
import { makeConfig, type Config } from '../../src/config.js';
import { DEFAULT_STRATEGY, strategyOf, type StrategyOptions } from '../../src/sched/strategies/index.js';
import { memberOf, PORTFOLIO, strategyLabel } from '../../src/sched/strategies/portfolio.js';
import { pctCounts } from '../../src/sched/strategies/pct.js';
import { closeDetPool, explore } from '../../src/harness/explore.js';
import { detRunSpec, SMALL_SCENARIO, scheduleFileOf, tracedRun } from '../../src/harness/det_run.js';
import { schedLayoutOf, type DetRunSpec } from '../../src/harness/det_group.js';

test.after.always(closeDetPool);

function spec(over: Partial<Config> = {}, strategy: StrategyOptions = {}): DetRunSpec {
  return detRunSpec({ cfg: makeConfig({ ...SMALL_SCENARIO, ...over }), strategy: strategyOf(strategy) });
}

test('the portfolio is the default and goes round-robin over its members by seed', (t) => {
  t.is(DEFAULT_STRATEGY.name, 'portfolio');
  const labels = Array.from({ length: 2 * PORTFOLIO.length }, (_, seed) => strategyLabel(memberOf(DEFAULT_STRATEGY, seed)));
  t.deepEqual(labels.slice(0, PORTFOLIO.length), labels.slice(PORTFOLIO.length));
  t.deepEqual([...new Set(labels)].sort(), ['pct d=2', 'pct d=3', 'pos', 'random p=0.01', 'random p=0.05', 'random p=0.2', 'surw']);
});

test.serial('calibration does not depend on parallelism: same k, events and trace hashes with 1 and 2 jobs', async (t) => {
  const s = spec();
  const one = await explore({ spec: s, seedStart: 1, seedCount: 16, jobs: 1, stopOnFirst: false, maxSchedules: 0 });
  const two = await explore({ spec: s, seedStart: 1, seedCount: 16, jobs: 2, stopOnFirst: false, maxSchedules: 0 });
  const p = one.strategy.name === 'portfolio' ? one.strategy : null;
  t.is(typeof p?.steps, 'number');
  t.is(p?.events?.length, 3);
  t.deepEqual(two.strategy, one.strategy);
  t.deepEqual(two.runs.map((r) => r.traceHash), one.runs.map((r) => r.traceHash));
  t.deepEqual(one.failures, []);
});

test.serial('a portfolio failure names its member, and its schedule file replays it with that member alone', async (t) => {
  const s = spec({ bugs: ['no-tlb-flush'] });
  const r = await explore({ spec: s, seedStart: 1, seedCount: 200, jobs: 2, stopOnFirst: false, maxSchedules: 0 });
  t.true(r.failures.length > 0);
  const members = new Set(r.failures.map((f) => f.member));
  t.log(`failures by member: ${[...members].map((m) => `${m} ${r.failures.filter((f) => f.member === m).length}`).join(', ')}`);
  // the first failure of each member
  for (const f of r.failures.filter((x, i) => r.failures.findIndex((y) => y.member === x.member) === i)) {
    t.is(f.member, strategyLabel(memberOf(s.strategy, f.seed)));
    const run = await tracedRun(s, f.seed);
    t.is(run.violation?.oracle, f.violation.oracle);
    const file = scheduleFileOf(s, run);
    t.is(strategyLabel(file.strategy), f.member!);
    // what the member uses is calibrated in the file
    if (file.strategy.name === 'pct') t.true(Number.isInteger(file.strategy.steps));
    if (file.strategy.name === 'surw') t.is(file.strategy.events?.length, 3);
    // the member's own spec, as written, reruns the seed to the same trace; so do the decisions
    const alone = await tracedRun({ ...s, strategy: file.strategy }, f.seed);
    t.is(alone.traceHash, run.traceHash);
    const replayed = await tracedRun({ ...s, strategy: { name: 'replay', decisions: file.decisions, recorded: file.strategy } }, f.seed);
    t.is(replayed.traceHash, run.traceHash);
  }
});

test.serial('pct d=3 with the calibrated k reaches most of its change points in the small scenario', async (t) => {
  const s = spec({}, { name: 'pct', depth: 3 });
  let applied = 0;
  const runs = 20;
  for (let seed = 1; seed <= runs; seed++) {
    const run = await tracedRun(s, seed);
    applied += pctCounts(run.sched, schedLayoutOf({ ...s, trace: true }).strategy).changes;
  }
  t.log(`${applied} of ${2 * runs} change points applied (k = ${JSON.stringify((await tracedRun(s, 1)).strategy)})`);
  t.true(applied >= runs, 'at least half of them');
});
