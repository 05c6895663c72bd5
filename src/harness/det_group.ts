// A deterministic group: one machine, one scheduler state, and T long-lived threads (CPUs and
// migrators) that run schedule after schedule back to back. The thread that exits last in a run
// checks the machine, takes the next seed from the shared counter, resets both buffers and starts
// the next run, so the coordinator is never on the path between two schedules.
import type { Config } from '../config.js';
import { LINE } from '../shm/layout.js';
import {
  DS_DEADLINE, DS_HASH_HI, DS_HASH_LO, DS_LIVE, DS_RUN_FAILED, DS_RUN_GEN, DS_RUN_INDEX, DS_RUN_QUIT, DS_RUN_SEED, DS_SEED, DS_STEP, DS_TRACE_LEN,
  DS_SWITCHES, DT_PENDING, DT_STATE, DT_TOKEN, SchedLayout, STEP_CEILING, STRATEGY_WORDS, TRACE_CAPACITY, TS_READY,
} from '../sched/det_layout.js';
import { DetScheduler } from '../sched/det.js';
import { dependsOnHistory, isExhaustive, makeStrategy, type StrategySpec } from '../sched/strategies/index.js';
import { decisionsFromTrace } from '../sched/schedule_file.js';
import type { ScheduleDecision } from '../sched/strategies/replay.js';
import { ChoiceTape } from '../sched/strategies/choice_tape.js';
import { ConflictCoverage, coverageWords } from '../sched/coverage.js';
import { CalibrateStrategy } from '../sched/strategies/calibrate.js';
import type { Strategy } from '../sched/strategies/strategy.js';
import type { ViolationInfo } from '../check/violation.js';
import { attachStepClock } from '../profile/attach.js';
import type { Program } from './program.js';
import { programOf, type TestRef } from './programs.js';
import type { ProfileOptions, ProfilePart, Recorder } from '../profile/recorder.js';

// control words shared by every group of an exploration (a line each)
export const C_NEXT = 0; // next seed index to hand out
export const C_COMPLETED = 16;
export const C_FAILED = 32;
export const C_STOP = 48; // stop handing out seeds (stop-on-first, or the caller gave up)
export const C_KILL = 64; // tear down: a run stopped making progress
export const C_EXHAUSTED = 80; // exhaustive enumeration finished
export const C_SEED_START = 96;
export const C_SEED_COUNT = 97;
export const C_STOP_ON_FIRST = 98;
export const C_MAX_SCHEDULES = 99;
// the seeds of failing runs, in the order they failed, so that the coordinator can write each
// schedule file the moment it is found (past the capacity, they come with the groups' results)
export const C_FAIL_COUNT = 112;
export const C_FAIL_LOG = 128;
export const FAIL_LOG_CAPACITY = 4096;
export const CONTROL_WORDS = C_FAIL_LOG + FAIL_LOG_CAPACITY;

export interface DetRunSpec {
  /** the built-in machine's configuration (unused when `test` is given) */
  cfg: Config;
  /** a user test (src/api) instead of the machine */
  test?: TestRef;
  strategy: StrategySpec;
  /** a livelock: this many steps in a row without any thread finishing an operation or a move
   * (checkMaxSteps: at most STEP_CEILING, which also bounds a run's total length) */
  maxSteps: number;
  /** moves per migrator in a run (runs must end without a fairness assumption) */
  moves: number;
  /** keep the full trace (replay); otherwise only the hash */
  trace: boolean;
  /** choice points an exhaustive run may have */
  tapeCapacity: number;
  /** collect lockstat and lock order (in logical steps) over every run (the machine only) */
  profile?: ProfileOptions;
  /** exhaustive mode: start from these choices (a failing schedule found by enumeration) */
  tapePrefix?: number[];
  /** calibration runs (calibrate.ts): run CalibrateStrategy instead and keep what it measured */
  measure?: boolean;
  /** measure interleaving coverage (sched/coverage.ts) */
  coverage?: boolean;
}

export interface RunRecord {
  seed: number;
  traceHash: string;
  steps: number;
  switches: number;
  failed: boolean;
  /** a failed run whose seed alone does not make it: in exhaustive mode the choice at each choice
   * point, under cover (whose runs depend on those before) its switches; either replays it */
  how?: { choices: number[] } | { decisions: ScheduleDecision[] };
  /** calibration runs: CalibrateStrategy.measure */
  measure?: number[];
}

export interface FailureRecord {
  seed: number;
  violation: ViolationInfo;
  /** portfolio: the member that ran this seed (strategyLabel) */
  member?: string;
}

export interface GroupThreadResult {
  tid: number;
  failures: FailureRecord[];
  runs: RunRecord[];
  error?: string;
  /** the seed whose run the coordinator tore down */
  tornDown?: number;
  profile?: ProfilePart;
}

export function schedLayoutOf(spec: DetRunSpec): SchedLayout {
  // the trace's size is its own: a run's length is bounded by progress, not by maxSteps
  const program = programOf(spec);
  return new SchedLayout(program.threads, spec.trace ? TRACE_CAPACITY : 0, spec.tapeCapacity, measuresCoverage(spec) ? coverageWords(program.words) : 0);
}

/** Coverage is measured when asked for, and for cover, which steers by it. */
function measuresCoverage(spec: DetRunSpec): boolean {
  return spec.coverage === true || (spec.strategy.name === 'cover' && spec.measure !== true);
}

/** The coverage state of a group's scheduler buffer (null when the spec does not measure it). */
export function coverageOf(spec: DetRunSpec, s: Int32Array, sl: SchedLayout): ConflictCoverage | null {
  return measuresCoverage(spec) ? new ConflictCoverage(s, sl.coverage, programOf(spec).words) : null;
}

export function tapeOf(s: Int32Array, sl: SchedLayout): ChoiceTape {
  return new ChoiceTape(s, sl.tape, sl.tapeCapacity);
}

export function traceHash(s: Int32Array): string {
  return (s[DS_HASH_HI]! >>> 0).toString(16).padStart(8, '0') + (s[DS_HASH_LO]! >>> 0).toString(16).padStart(8, '0');
}

/** Every thread's view of the strategy of the run of `seed`. */
function strategyOf(spec: DetRunSpec, s: Int32Array, sl: SchedLayout, seed: number): Strategy {
  return spec.measure ? new CalibrateStrategy(s, sl.strategy) : makeStrategy(spec.strategy, s, sl.strategy, tapeOf(s, sl), seed, coverageOf(spec, s, sl));
}

/** Resets machine and scheduler for a run of `seed`; thread 0 holds the token first. */
export function resetRun(spec: DetRunSpec, m: Int32Array, s: Int32Array, seed: number, program: Program = programOf(spec)): void {
  const sl = schedLayoutOf(spec);
  program.boot(m, seed);
  s.fill(0, 0, LINE); // per-run globals; the run-control line survives
  s[DS_RUN_FAILED] = 0;
  s.fill(0, sl.threadBase, sl.strategy + STRATEGY_WORDS);
  for (let t = 0; t < sl.threads; t++) {
    s[sl.th(t, DT_STATE)] = TS_READY;
    s[sl.th(t, DT_PENDING)] = -1;
    s[sl.th(t, DT_TOKEN)] = t === 0 ? 1 : 0;
  }
  s[DS_LIVE] = sl.threads;
  s[DS_SEED] = seed;
  s[DS_DEADLINE] = Math.min(spec.maxSteps, STEP_CEILING);
  strategyOf(spec, s, sl, seed).init(seed, sl.threads);
}

/** Starts the next run (or tells the group to quit); returns false when there is none. */
export function startNext(spec: DetRunSpec, m: Int32Array, s: Int32Array, control: Int32Array, first: boolean, program: Program = programOf(spec)): boolean {
  let seed = -1;
  if (isExhaustive(spec.strategy)) {
    const sl = schedLayoutOf(spec);
    const more = first || tapeOf(s, sl).advance();
    s[DS_RUN_INDEX] = first ? 1 : s[DS_RUN_INDEX]! + 1;
    if (!more) Atomics.store(control, C_EXHAUSTED, 1);
    const max = control[C_MAX_SCHEDULES]!;
    if (more && Atomics.load(control, C_STOP) === 0 && (max === 0 || Atomics.load(control, C_COMPLETED) < max)) seed = control[C_SEED_START]!;
  } else if (Atomics.load(control, C_STOP) === 0) {
    const i = Atomics.add(control, C_NEXT, 1);
    if (i < control[C_SEED_COUNT]!) seed = (control[C_SEED_START]! + i) >>> 0;
    s[DS_RUN_INDEX] = i + 1;
  }
  if (seed === -1) {
    Atomics.store(s, DS_RUN_QUIT, 1);
  } else {
    resetRun(spec, m, s, seed, program);
    s[DS_RUN_SEED] = seed;
  }
  Atomics.add(s, DS_RUN_GEN, 1);
  Atomics.notify(s, DS_RUN_GEN);
  return seed !== -1;
}

/** One thread of a group: runs its part of the program in every run until told to quit. */
export function groupThread(spec: DetRunSpec, machine: SharedArrayBuffer, sched: SharedArrayBuffer, controlSab: SharedArrayBuffer, tid: number, profileSab?: SharedArrayBuffer): GroupThreadResult {
  const m = new Int32Array(machine);
  const s = new Int32Array(sched);
  const control = new Int32Array(controlSab);
  const kill = new Int32Array(controlSab, C_KILL * 4, 1);
  const program = programOf(spec);
  const sl = schedLayoutOf(spec);
  const out: GroupThreadResult = { tid, failures: [], runs: [] };
  const coverage = coverageOf(spec, s, sl);
  const profile = spec.profile && profileSab ? { ...spec.profile, shared: profileSab } : null;
  let recorder: Recorder | null = null;
  let gen = 0;
  for (;;) {
    while (Atomics.load(s, DS_RUN_GEN) === gen) {
      if (Atomics.wait(s, DS_RUN_GEN, gen, 1000) === 'timed-out' && Atomics.load(kill, 0) !== 0) return out;
    }
    gen = Atomics.load(s, DS_RUN_GEN);
    if (Atomics.load(s, DS_RUN_QUIT) !== 0) {
      if (recorder) out.profile = recorder.part();
      return out;
    }
    const seed = s[DS_RUN_SEED]! >>> 0;
    const strategy = strategyOf(spec, s, sl, seed);
    const det = new DetScheduler(m, s, sl, tid, strategy, {
      maxSteps: spec.maxSteps,
      trace: spec.trace,
      kill,
      explainStuck: (oracle, d) => program.explainStuck(m, oracle, d),
      ...(coverage ? { coverage } : {}),
    });
    let exit: ReturnType<DetScheduler['exit']>;
    try {
      det.start();
      const t = program.thread(m, tid, det, seed);
      if (profile) {
        if (recorder === null) recorder = attachStepClock(t, program.locks, profile, s, DS_STEP);
        t.probe = recorder;
      }
      const r = program.run(t);
      // killed by the coordinator mid-run: the machine is half done, not a result to check
      if (r.aborted && Atomics.load(kill, 0) !== 0) {
        out.tornDown = seed;
        return out;
      }
      if (r.error) {
        out.error = `${t.name} crashed on seed ${seed}: ${r.error}`;
        Atomics.store(control, C_STOP, 1);
        s[DS_RUN_FAILED] = 1;
      }
      if (r.violation) {
        out.failures.push({ seed, violation: r.violation });
        s[DS_RUN_FAILED] = 1;
      }
      exit = det.exit();
    } catch {
      // only a kill by the coordinator gets here (its watchdog, or an interrupt)
      out.tornDown = seed;
      return out;
    }
    // (exit marked the run failed before it passed the token on)
    if (exit.stuck !== null) out.failures.push({ seed, violation: { oracle: exit.stuck.oracle, message: exit.stuck.message, cpu: tid, thread: program.threadName(tid), step: 0 } });
    if (!exit.last) continue;
    // the last thread out: check the quiet machine, record the run, start the next one
    if (s[DS_RUN_FAILED] === 0) {
      const bad = program.finalCheck(m, seed);
      if (bad !== null) {
        out.failures.push({ seed, violation: bad });
        s[DS_RUN_FAILED] = 1;
      }
    }
    const failed = s[DS_RUN_FAILED] !== 0;
    out.runs.push({
      seed, traceHash: traceHash(s), steps: s[DS_STEP]!, switches: s[DS_SWITCHES]!, failed,
      ...(failed ? howOf(spec, s, sl) : {}),
      ...(strategy instanceof CalibrateStrategy ? { measure: strategy.measure(sl.threads) } : {}),
    });
    Atomics.add(control, C_COMPLETED, 1);
    if (failed) {
      // a run known by its seed is written at once; the others come with the result (how)
      const i = dependsOnHistory(spec.strategy) ? FAIL_LOG_CAPACITY : Atomics.add(control, C_FAIL_COUNT, 1);
      if (i < FAIL_LOG_CAPACITY) Atomics.store(control, C_FAIL_LOG + i, seed | 0);
      Atomics.add(control, C_FAILED, 1);
      if (control[C_STOP_ON_FIRST] !== 0) Atomics.store(control, C_STOP, 1);
    }
    if (profileSab) new Int32Array(profileSab).fill(0);
    startNext(spec, m, s, control, false, program);
  }
}

/** How a failed run went, where its seed alone does not make it (RunRecord.how). */
function howOf(spec: DetRunSpec, s: Int32Array, sl: SchedLayout): Pick<RunRecord, 'how'> {
  if (isExhaustive(spec.strategy)) return { how: { choices: tapeOf(s, sl).choices() } };
  if (dependsOnHistory(spec.strategy)) return { how: { decisions: decisionsFromTrace(s, sl.trace, s[DS_TRACE_LEN]!) } };
  return {};
}

/** Words of a machine buffer for this spec. */
export function machineWords(spec: DetRunSpec): number {
  return programOf(spec).words;
}
