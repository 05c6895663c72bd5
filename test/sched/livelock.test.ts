import test from 'ava';
import { makeConfig, type Config } from '../../src/config.js';
import { makeStrategy, strategyOf } from '../../src/sched/strategies/index.js';
import { DetScheduler, ScheduleStuck } from '../../src/sched/det.js';
import { DS_STEP, STEP_CEILING, TRACE_CAPACITY } from '../../src/sched/det_layout.js';
import { label } from '../../src/sched/labels.js';
import { closeDetPool, explore } from '../../src/harness/explore.js';
import { machineWords, resetRun, schedLayoutOf, type DetRunSpec } from '../../src/harness/det_group.js';
import { DEFAULT_MAX_STEPS, MAX_STEPS_RANGE, SMALL_SCENARIO, checkMaxSteps, detRunSpec, tracedRun } from '../../src/harness/det_run.js';
import { explainStuck } from '../../src/harness/waitfor.js';

test.after.always(closeDetPool);

/** The step limit before livelock was judged by progress: these runs used to be reported as one. */
const OLD_LIMIT = 200_000;

function spec(over: Partial<Config> = {}, maxSteps = DEFAULT_MAX_STEPS): DetRunSpec {
  return detRunSpec({ cfg: makeConfig({ ...SMALL_SCENARIO, ...over }), strategy: strategyOf({ name: 'pct', steps: 500 }), maxSteps });
}

const L_SPIN = label('toy:spin');

/** A toy run in this thread: one CPU whose loop reports progress every `every` points (0: never)
 * up to point `until`, then none. */
function spin(maxSteps: number, points: number, every: number, until = points): { steps: number; stuck: ScheduleStuck | null } {
  const s0 = spec({ cpus: 1, migrators: 0 }, maxSteps);
  const sl = schedLayoutOf(s0);
  const m = new Int32Array(new SharedArrayBuffer(machineWords(s0) * 4));
  const s = new Int32Array(new SharedArrayBuffer(sl.words * 4));
  resetRun(s0, m, s, 1);
  const det = new DetScheduler(m, s, sl, 0, makeStrategy(s0.strategy, s, sl.strategy, null, 1, null), {
    maxSteps, trace: false, kill: new Int32Array(1), explainStuck: (oracle, d) => explainStuck(s0.cfg, m, oracle, d),
  });
  try {
    for (let i = 1; i <= points; i++) {
      det.point(L_SPIN, -1, false);
      if (every > 0 && i % every === 0 && i <= until) det.progress();
    }
  } catch (e) {
    if (e instanceof ScheduleStuck) return { steps: s[DS_STEP]!, stuck: e };
    throw e;
  }
  return { steps: s[DS_STEP]!, stuck: null };
}

test('a thread that spins without progress is a livelock after exactly maxSteps steps, named in the report', (t) => {
  const r = spin(1000, 1_000_000, 0);
  t.is(r.stuck?.oracle, 'livelock');
  t.is(r.steps, 1000);
  t.regex(r.stuck!.message, /no thread finished an operation or a move in 1000 steps \(steps 0–1000/);
  t.regex(r.stuck!.message, /cpu0 running at toy:spin \(holds the token\)/);
});

test('progress restarts the count: a long run is no livelock until progress stops', (t) => {
  t.is(spin(1000, 100_000, 999).stuck, null, '100 times the limit in all');
  // the last progress at point 99,900: caught 1,000 steps later
  const r = spin(1000, 200_000, 999, 99_900);
  t.is(r.stuck?.oracle, 'livelock');
  t.is(r.steps, 99_900 + 1000);
});

test('maxSteps is range-checked, and no value of it sizes an allocation', async (t) => {
  t.is(checkMaxSteps(DEFAULT_MAX_STEPS), null);
  t.is(checkMaxSteps(MAX_STEPS_RANGE.min), null);
  t.is(checkMaxSteps(MAX_STEPS_RANGE.max), null);
  t.is(MAX_STEPS_RANGE.max, STEP_CEILING);
  for (const bad of [MAX_STEPS_RANGE.min - 1, 1e15, 2.5, Number.NaN, '1000']) t.regex(checkMaxSteps(bad) ?? '', /must be an integer in \[100, 1073741824\]/);
  // a schedule file's maxSteps of 1e15 once sized the trace (a RangeError): now it runs
  t.is(schedLayoutOf({ ...spec({}, 1e15), trace: true }).traceCapacity, TRACE_CAPACITY);
  const run = await tracedRun(spec({}, 1e15), 1);
  t.is(run.violation, null);
  t.false(run.traceTruncated);
  t.is(run.traceLen, run.steps);
});

test.serial('a livelock found by explore is reported with its step count', async (t) => {
  // 100 steps without a finished operation happen in the small scenario: a (forced) livelock
  const r = await explore({ spec: spec({}, 100), seedStart: 1, seedCount: 20, jobs: 1, stopOnFirst: true, maxSchedules: 0 });
  const v = r.failures[0]?.violation;
  t.is(v?.oracle, 'livelock');
  t.regex(v!.message, /in 100 steps \(steps \d+–\d+, --max-steps\); threads still running:\n {2}(cpu|migrator)\d/);
});

// The two runs issue 9 names, at the default limit. `explore --objects 1024 --pages 4096` spends
// ~10 s per run booting and checking 4M pages, so this takes 16 objects: the long stretch without
// progress (one move of a 4096-page object, ~114k steps) is the same, and seed 2 runs 218k steps.
test.serial('explore --objects 16 --pages 4096: a run longer than the old limit is clean', async (t) => {
  const r = await explore({ spec: spec({ objects: 16, pages: 4096 }), seedStart: 2, seedCount: 1, jobs: 1, stopOnFirst: false, maxSchedules: 0 });
  t.deepEqual(r.failures, []);
  t.true(r.runs[0]!.steps > OLD_LIMIT, `${r.runs[0]!.steps} steps`);
});

test.serial('replay --cpus 16 --migrators 8 --ops 1000: 1.7M steps, clean, fully traced', async (t) => {
  const run = await tracedRun(spec({ cpus: 16, migrators: 8, ops: 1000 }), 1);
  t.is(run.violation, null, run.violation?.message);
  t.true(run.steps > 1_000_000, `${run.steps} steps`);
  t.is(run.traceLen, run.steps);
  t.false(run.traceTruncated);
});
