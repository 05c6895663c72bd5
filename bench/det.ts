// Deterministic-mode figures: forced token hand-offs per second (every point switches) and steps per
// second when no switch happens, on the built-in small scenario and on a user test; explore
// schedules per second on the small scenario.
import { fileURLToPath } from 'node:url';
import { makeConfig } from '../src/config.js';
import { strategyOf, type StrategyOptions } from '../src/sched/strategies/index.js';
import { explore } from '../src/harness/explore.js';
import { DEFAULT_MAX_STEPS, detRunSpec, SMALL_SCENARIO } from '../src/harness/det_run.js';
import type { DetRunSpec } from '../src/harness/det_group.js';

export interface DetBench {
  forcedSwitchesPerSec: number;
  stepsPerSecNoSwitch: number;
  /** the same two figures for a user test (bench/user_loop.ts: two threads of private stores) */
  userTest: { forcedSwitchesPerSec: number; stepsPerSecNoSwitch: number };
  exploreSchedulesPerSec: { pct: number; random: number };
  detail: Record<string, { schedules: number; seconds: number; steps: number; switches: number }>;
}

function spec(strategy: StrategyOptions, ops = SMALL_SCENARIO.ops!): DetRunSpec {
  return detRunSpec({ cfg: makeConfig({ ...SMALL_SCENARIO, ops }), strategy: strategyOf(strategy), maxSteps: DEFAULT_MAX_STEPS * 50 });
}

async function measure(s: DetRunSpec, seeds: number): Promise<{ schedules: number; seconds: number; steps: number; switches: number }> {
  await explore({ spec: s, seedStart: 1, seedCount: 20, jobs: 1, stopOnFirst: false, maxSchedules: 0 }); // warm the pool and the JIT
  const r = await explore({ spec: s, seedStart: 1000, seedCount: seeds, jobs: 1, stopOnFirst: false, maxSchedules: 0 });
  return {
    schedules: r.schedules,
    seconds: r.seconds,
    steps: r.runs.reduce((n, x) => n + x.steps, 0),
    switches: r.runs.reduce((n, x) => n + x.switches, 0),
  };
}

export async function benchDeterministic(): Promise<DetBench> {
  // every point hands the token to another runnable thread
  const forced = await measure(spec({ name: 'random', switchProbability: 1 }), 200);
  // (almost) never switch: one long run per CPU, the token moves only when a thread waits or exits
  const steady = await measure(spec({ name: 'random', switchProbability: 1e-9 }, 3000), 20);
  const loop = (name: string, strategy: StrategyOptions): DetRunSpec => ({ ...spec(strategy), test: { file: `${fileURLToPath(new URL('./user_loop.js', import.meta.url))}#${name}` } });
  const userForced = await measure(loop('short', { name: 'random', switchProbability: 1 }), 20);
  const userSteady = await measure(loop('long', { name: 'random', switchProbability: 1e-9 }), 10);
  const pct = await measure(spec({ name: 'pct' }), 3000);
  const random = await measure(spec({ name: 'random' }), 3000);
  return {
    forcedSwitchesPerSec: forced.switches / forced.seconds,
    stepsPerSecNoSwitch: steady.steps / steady.seconds,
    userTest: { forcedSwitchesPerSec: userForced.switches / userForced.seconds, stepsPerSecNoSwitch: userSteady.steps / userSteady.seconds },
    exploreSchedulesPerSec: { pct: pct.schedules / pct.seconds, random: random.schedules / random.seconds },
    detail: { forced, steady, pct, random, userForced, userSteady },
  };
}
