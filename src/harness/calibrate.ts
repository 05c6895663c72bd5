// Calibration of the strategies' run-length parameters: pct's k (the paper assumes the number of
// steps known) and surw's events per thread (the paper estimates them from earlier runs).
//
// Why a calibration set rather than a running estimate over the explore's own schedules: the k
// used for seed S must depend on S and the spec only, never on which schedules a parallel explore
// happened to finish before it, or a seed would not replay. So before the first schedule, a fixed
// set of CALIBRATION_RUNS seeds runs once under pct d = 1 (no change points, so k plays no part);
// k is the largest number of preemptible points seen (the paper's k is the run's length, and a k
// below some runs' length would leave their tails without change points), and each thread's
// events the mean over the set. The result is a function of the config, moves and maxSteps; it
// goes into the spec, and from there into schedule files, so a file replays without calibrating.
import { isExhaustive, type StrategySpec } from '../sched/strategies/index.js';
import type { DetRunSpec, RunRecord } from './det_group.js';
import { detRunSpec } from './det_run.js';

export const CALIBRATION_RUNS = 16;

/** Runs seeds 1..count of a spec (explore), returning their records. */
export type RunSeeds = (spec: DetRunSpec, count: number) => Promise<RunRecord[]>;

/** One calibration per machine (or user test) and run bounds in this process: explore and the traced reruns of
 * its failures (schedule files) share it. */
const memo = new Map<string, Promise<{ steps: number; events: number[] }>>();

function needs(st: StrategySpec): { steps: boolean; events: boolean } {
  if (st.name === 'replay' || isExhaustive(st)) return { steps: false, events: false };
  return {
    steps: 'steps' in st && st.steps === 'auto',
    events: (st.name === 'surw' || st.name === 'portfolio') && st.events === undefined,
  };
}

/** The spec with 'auto' parameters replaced by calibrated values (the spec itself if none). */
export async function calibrated(spec: DetRunSpec, runSeeds: RunSeeds): Promise<DetRunSpec> {
  const need = needs(spec.strategy);
  if (spec.measure || (!need.steps && !need.events)) return spec;
  const key = JSON.stringify([spec.test ?? spec.cfg, spec.moves, spec.maxSteps]);
  let c = memo.get(key);
  if (c === undefined) {
    const probe = detRunSpec({ cfg: spec.cfg, ...(spec.test ? { test: spec.test } : {}), strategy: spec.strategy, maxSteps: spec.maxSteps, moves: spec.moves, tapeCapacity: 0, measure: true });
    c = runSeeds(probe, CALIBRATION_RUNS).then(summarize);
    memo.set(key, c);
    c.catch(() => memo.delete(key));
  }
  const { steps, events } = await c;
  return { ...spec, strategy: { ...spec.strategy, ...(need.steps ? { steps } : {}), ...(need.events ? { events } : {}) } as StrategySpec };
}

function summarize(runs: RunRecord[]): { steps: number; events: number[] } {
  const m = runs.map((r) => r.measure!);
  const threads = m[0]!.length - 1;
  const steps = Math.max(1, ...m.map((x) => x[0]!));
  const events = Array.from({ length: threads }, (_, t) => Math.max(1, Math.round(m.reduce((n, x) => n + x[t + 1]!, 0) / m.length)));
  return { steps, events };
}
