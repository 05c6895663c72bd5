// A thread's body under guard: whatever ends it (a violation, the run's abort, a stuck schedule, a
// lost wake-up, a crash) becomes its result, and every other thread sees the abort word.
import { CTL_ABORT } from '../shm/layout.js';
import type { Thread } from '../kernel/thread.js';
import { Aborted } from '../sched/scheduler.js';
import { ScheduleStuck } from '../sched/det.js';
import { labelName } from '../sched/labels.js';
import { LostWakeup } from '../sched/strict.js';
import { Violation, type ViolationInfo } from '../check/violation.js';

export interface RoleResult {
  tid: number;
  violation?: ViolationInfo;
  /** a crash of the model itself (not an oracle): message and stack */
  error?: string;
  aborted: boolean;
}

interface GuardOptions {
  /** names a word of the shared buffer for reports */
  describe: (idx: number) => string;
  /** an exception that is not faultline's own: a violation of the program (a user test's
   * assertion), or absent for a crash of the model */
  foreign?: (e: unknown) => ViolationInfo;
}

/** FAULTLINE_CRASH=<thread name> (e.g. cpu1): that thread crashes as it starts, so that tests see
 * how faultline reports its own failures (exit 3) apart from violations. */
const INJECTED_CRASH = process.env.FAULTLINE_CRASH;

/** The report of a lost wake-up: the wait's point, the word and what it held, the thread. */
export function lostWakeup(t: Thread, e: LostWakeup, describe: (idx: number) => string): ViolationInfo {
  const message = `${t.name} slept at ${labelName(e.label)} on ${describe(e.idx)} while it held ${e.val}; it changed to ${e.now}, but only the wait's timeout woke the thread`;
  return { oracle: 'lost-wakeup', message, cpu: t.tid, thread: t.name, step: t.step };
}

export function guarded(t: Thread, body: () => void, opts: GuardOptions): RoleResult {
  const result: RoleResult = { tid: t.tid, aborted: false };
  try {
    if (INJECTED_CRASH === t.name) throw new Error(`injected crash in ${t.name} (FAULTLINE_CRASH)`);
    body();
  } catch (e) {
    if (e instanceof Violation) result.violation = e.info;
    else if (e instanceof Aborted) result.aborted = true;
    else if (e instanceof ScheduleStuck) {
      result.violation = { oracle: e.oracle, message: e.message, cpu: t.tid, thread: t.name, step: t.step };
    } else if (e instanceof LostWakeup) {
      result.violation = lostWakeup(t, e, opts.describe);
    } else if (opts.foreign !== undefined) {
      result.violation = opts.foreign(e);
    } else {
      result.error = e instanceof Error ? (e.stack ?? e.message) : String(e);
    }
    Atomics.store(t.m, CTL_ABORT, 1);
  }
  t.probe.stop(result.violation);
  return result;
}
