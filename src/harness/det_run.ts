// One deterministic run with its full trace (replay), and the schedule file of a failing seed.
import { relative, resolve } from 'node:path';
import { type Config, mapModules, workloadMix } from '../config.js';
import { DS_PREEMPTIONS, DS_STEP, DS_TRACE_LEN, STEP_CEILING } from '../sched/det_layout.js';
import { decisionsFromTrace, type ScheduleFile } from '../sched/schedule_file.js';
import { replayStatus } from '../sched/strategies/replay.js';
import type { ViolationInfo } from '../check/violation.js';
import { DEFAULT_STRATEGY, isExhaustive, type SearchSpec } from '../sched/strategies/index.js';
import { memberOf } from '../sched/strategies/portfolio.js';
import { schedLayoutOf, traceHash, type DetRunSpec } from './det_group.js';
import { explore } from './explore.js';
import type { ProfileData } from '../profile/types.js';
import { schemaRef, toolStamp } from '../version.js';
import { relativeModuleRef } from '../lib/module_ref.js';

/** The built-in small scenario for deterministic runs: enough to race, small enough to explore. */
export const SMALL_SCENARIO: Partial<Config> = {
  cpus: 2, migrators: 1, processes: 1, objects: 2, pages: 4, ops: 30, ptrsPerPte: 4, tlbEntries: 8, ...workloadMix('small'),
};
/** Steps in a row without a finished operation or move that declare a livelock. The longest such
 * stretches measured in clean runs: 414 steps in the small scenario, 3.5k with 16 CPUs and 8
 * migrators, 114k with 4096-page objects (one move of a whole object). Only 4096-page objects on 16
 * CPUs with prefault vma (1.2M) or also ptrsPerPte 1 (4.3M) go past it: those need a higher value.
 * Low enough that a real livelock is caught within seconds, well before the explore watchdog. */
export const DEFAULT_MAX_STEPS = 1_000_000;
/** The values maxSteps may take, for the CLI and the schedule-file reader to check (checkMaxSteps). */
export const MAX_STEPS_RANGE = { min: 100, max: STEP_CEILING } as const;
export const DEFAULT_MOVES = 2;
/** Choice points an exhaustive strategy's tape holds. */
const EXHAUSTIVE_TAPE = 100_000;

/** A deterministic run spec: the caller's machine (or test) and what differs from the defaults
 * (the portfolio, the livelock limit, two moves, no full trace, a tape only for exhaustive runs).
 * Every spec is built here, so a new field gets its default in one place. */
export function detRunSpec(o: Pick<DetRunSpec, 'cfg'> & Partial<DetRunSpec>): DetRunSpec {
  const strategy = o.strategy ?? DEFAULT_STRATEGY;
  return { maxSteps: DEFAULT_MAX_STEPS, moves: DEFAULT_MOVES, trace: false, tapeCapacity: isExhaustive(strategy) ? EXHAUSTIVE_TAPE : 0, ...o, strategy };
}

/** null when `n` is a valid maxSteps, else what is wrong with it (for the caller to prefix with
 * the flag or key it came from). */
export function checkMaxSteps(n: unknown): string | null {
  const { min, max } = MAX_STEPS_RANGE;
  if (typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max) return null;
  return `must be an integer in [${min}, ${max}] (steps without progress), got ${String(n)}`;
}

export interface TracedRun {
  seed: number;
  /** the strategy that ran this seed, calibrated (a portfolio's member): it replays the run alone */
  strategy: SearchSpec;
  traceHash: string;
  steps: number;
  switches: number;
  /** the switches away from a thread that could have gone on */
  preemptions: number;
  violation: ViolationInfo | null;
  errors: string[];
  /** scheduler buffer holding the trace */
  sched: Int32Array;
  /** the machine (or test memory) as the run left it */
  machine: Int32Array;
  traceBase: number;
  traceLen: number;
  /** the run outgrew TRACE_CAPACITY: the trace (and a schedule file made from it) holds only its
   * first traceLen steps */
  traceTruncated: boolean;
  /** replay of a schedule file: decisions followed, and where it first diverged (-1: never) */
  replay?: { used: number; total: number; divergedAt: number };
  profile?: ProfileData;
}

export async function tracedRun(spec: DetRunSpec, seed: number): Promise<TracedRun> {
  const traced: DetRunSpec = { ...spec, trace: true };
  // one schedule, also in exhaustive mode (where the tape, not the seed, says which)
  const r = await explore({ spec: traced, seedStart: seed, seedCount: 1, jobs: 1, stopOnFirst: false, maxSchedules: 1 });
  const sl = schedLayoutOf(traced);
  const run = r.runs[0];
  const out: TracedRun = {
    seed,
    strategy: memberOf(r.strategy, seed),
    traceHash: run?.traceHash ?? traceHash(r.sched),
    steps: run?.steps ?? r.sched[DS_STEP]!,
    switches: run?.switches ?? 0,
    preemptions: r.sched[DS_PREEMPTIONS]!,
    violation: r.failures[0]?.violation ?? null,
    errors: r.errors,
    sched: r.sched,
    machine: r.machine,
    traceBase: sl.trace,
    traceLen: r.sched[DS_TRACE_LEN]!,
    traceTruncated: r.sched[DS_TRACE_LEN]! < r.sched[DS_STEP]!,
    ...(r.profile ? { profile: { ...r.profile, trace: { ...r.profile.trace, cap: spec.profile?.traceCap ?? 0 } } } : {}),
  };
  if (spec.strategy.name === 'replay') {
    const st = replayStatus(r.sched, sl.strategy);
    out.replay = { used: st.used, total: spec.strategy.decisions.length, divergedAt: st.divergedAt };
  }
  return out;
}

/** `dir`: where the file goes (a user test's path is written relative to it). */
export function scheduleFileOf(spec: DetRunSpec, run: TracedRun, dir = '.'): ScheduleFile {
  return {
    $schema: schemaRef('schedule.schema.json', dir),
    faultline: 'schedule',
    version: 1,
    tool: toolStamp(),
    ...(spec.test ? { test: { file: relative(resolve(dir), spec.test.file) } } : {}),
    // modules relative to the file, as its test
    config: { ...mapModules(spec.cfg, (ref) => relativeModuleRef(ref, dir)), seed: run.seed },
    seed: run.seed,
    strategy: run.strategy,
    maxSteps: spec.maxSteps,
    moves: spec.moves,
    traceHash: run.traceHash,
    steps: run.steps,
    ...(run.traceTruncated ? { traceTruncated: true as const } : {}),
    violation: run.violation ? { oracle: run.violation.oracle, message: run.violation.message, thread: run.violation.thread } : null,
    decisions: decisionsFromTrace(run.sched, run.traceBase, run.traceLen),
  };
}
