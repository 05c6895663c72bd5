import test from 'ava';
import { makeConfig } from '../../src/config.js';
import { strategyOf } from '../../src/sched/strategies/index.js';
import { TRACE_STRIDE } from '../../src/sched/det_layout.js';
import { closeDetPool } from '../../src/harness/explore.js';
import { detRunSpec, SMALL_SCENARIO, scheduleFileOf, tracedRun } from '../../src/harness/det_run.js';
import { switchSteps } from '../../src/harness/bisect.js';

test.after.always(closeDetPool);

const recorded = strategyOf({ name: 'random' });
const spec = detRunSpec({ cfg: makeConfig(SMALL_SCENARIO), strategy: recorded });

test.serial('a replay with a continuation follows its prefix of switches, then goes on at random: the same continuation seed gives the same run, others differ', async (t) => {
  const first = await tracedRun(spec, 5);
  const decisions = scheduleFileOf(spec, first).decisions;
  t.true(decisions.length > 10);
  // the switches of the trace are the decisions, in order
  const at = switchSteps(first.sched, first.traceBase, first.traceLen);
  t.is(at.length, decisions.length);
  at.forEach((i, j) => t.is(first.sched[first.traceBase + i * TRACE_STRIDE], decisions[j]!.thread));
  const prefix = decisions.slice(0, 6);
  const hashes: string[] = [];
  for (const seed of [1, 2, 3, 4, 1]) {
    const r = await tracedRun({ ...spec, strategy: { name: 'replay', decisions: prefix, recorded, then: { switchProbability: 0.05, seed } } }, 5);
    t.deepEqual(r.replay, { used: 6, total: 6, divergedAt: -1 }, 'the prefix is followed');
    t.deepEqual(scheduleFileOf(spec, r).decisions.slice(0, 6), prefix);
    hashes.push(r.traceHash);
  }
  t.is(hashes[4], hashes[0]);
  t.true(new Set(hashes).size >= 3, hashes.join(' '));
});
