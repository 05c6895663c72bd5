// The point of no return of a failing schedule (issue 12 §4): the run follows the first j switches
// of the file, then R random futures; j* is the fewest switches after which every future fails
// with the file's oracle. Found by binary search over j (assuming that once every future fails,
// following one more recorded switch keeps it so), then both sides of j* are measured in full, so
// what is printed is measured, not inferred.
import { TRACE_STRIDE } from '../sched/det_layout.js';
import type { ScheduleDecision } from '../sched/strategies/replay.js';
import type { ScheduleFile } from '../sched/schedule_file.js';
import type { DetRunSpec } from './det_group.js';
import { explore } from './explore.js';

export interface BisectOptions {
  /** random futures tried after each prefix */
  continuations: number;
  /** the futures' switch probability */
  switchProbability: number;
  onRun?: (runs: number) => void;
}

/** How many of the futures after the first `prefix` switches failed with the file's oracle. */
export interface PrefixRate {
  prefix: number;
  failed: number;
  of: number;
}

export interface BisectResult {
  /** the fewest switches followed after which every future failed (null: not even all of them) */
  prefix: number | null;
  /** the rates measured in full: at prefix − 1 and prefix, or at the whole schedule */
  rates: PrefixRate[];
  runs: number;
}

/** The step that ends with each switch of a trace: switch j happens between step at(j) and the next. */
export function switchSteps(trace: Int32Array, base: number, steps: number): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < steps; i++) if (trace[base + i * TRACE_STRIDE] !== trace[base + (i + 1) * TRACE_STRIDE]) out.push(i);
  return out;
}

/** `spec`: the file's own (loadSchedule); the file must record a violation. */
export async function bisectSchedule(spec: DetRunSpec, file: ScheduleFile, o: BisectOptions): Promise<BisectResult> {
  const oracle = file.violation?.oracle;
  let runs = 0;
  const fails = async (decisions: ScheduleDecision[], k: number): Promise<boolean> => {
    const strategy = { name: 'replay' as const, decisions, recorded: file.strategy, then: { switchProbability: o.switchProbability, seed: k } };
    const r = await explore({ spec: { ...spec, strategy, trace: false }, seedStart: file.seed, seedCount: 1, jobs: 1, stopOnFirst: false, maxSchedules: 1 });
    o.onRun?.(++runs);
    if (r.errors.length > 0) throw new Error(r.errors[0]);
    return r.failures[0]?.violation.oracle === oracle;
  };
  const prefixOf = (j: number): ScheduleDecision[] => file.decisions.slice(0, j);
  /** every future fails (stops at the first that does not) */
  const allFail = async (j: number): Promise<boolean> => {
    for (let k = 1; k <= o.continuations; k++) if (!(await fails(prefixOf(j), k))) return false;
    return true;
  };
  const rate = async (j: number): Promise<PrefixRate> => {
    let failed = 0;
    for (let k = 1; k <= o.continuations; k++) if (await fails(prefixOf(j), k)) failed++;
    return { prefix: j, failed, of: o.continuations };
  };
  const every = (j: number): PrefixRate => ({ prefix: j, failed: o.continuations, of: o.continuations });
  const all = file.decisions.length;
  if (!(await allFail(all))) return { prefix: null, rates: [await rate(all)], runs };
  if (await allFail(0)) return { prefix: 0, rates: [every(0)], runs };
  // !allFail(lo), allFail(hi)
  let lo = 0;
  let hi = all;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (await allFail(mid)) hi = mid;
    else lo = mid;
  }
  return { prefix: hi, rates: [await rate(hi - 1), every(hi)], runs };
}
