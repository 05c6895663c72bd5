// Deterministic mode: the same worker threads and model code as free mode, but one thread runs at
// a time. A run token passes between threads at scheduling points; the holder asks the seeded
// strategy (whose state is in shared memory) whether to go on or hand over, and wakes the next
// thread directly on that thread's own word. A waiting thread is not runnable until a waker wakes
// it, as a futex or a wait queue sleeper: a word changed without a wake-up leaves it asleep (a lost
// wake-up, reported when nothing else can run). A pending IPI runs its handler on the sleeping CPU,
// and the task sleeps on. No spin loop ever burns the token.
import { CTL_ABORT } from '../shm/layout.js';
import type { OracleName } from '../check/oracles.js';
import {
  DS_CUR, DS_DEADLINE, DS_HASH_HI, DS_RUN_FAILED, DS_RUN_INDEX, DS_HASH_LO, DS_LIVE, DS_PREEMPTIONS, DS_PROGRESS, DS_STEP, DS_SWITCHES, DS_TRACE_LEN, DT_LAST_LABEL,
  DT_PENDING, DT_STATE, DT_TOKEN, DT_WAIT_IDX, DT_WAIT_LABEL, DT_WAIT_VAL, DT_WOKEN, SchedLayout, STEP_CEILING, TRACE_STRIDE, TRACE_WAIT,
  TS_BLOCKED, TS_DONE, TS_READY,
} from './det_layout.js';
import { label as mkLabel } from './labels.js';
import { Aborted, type Scheduler } from './scheduler.js';
import { IrqLine } from './irq.js';
import type { Strategy } from './strategies/strategy.js';
import type { ConflictCoverage } from './coverage.js';

export const L_EXIT = mkLabel('thread:exit');
const L_IRQ_RETURN = mkLabel('irq:return');

export type StuckOracle = Extract<OracleName, 'deadlock' | 'livelock' | 'lost-wakeup'>;

/** What the scheduler reports when the run cannot go on: a lost wake-up or a deadlock (no thread
 * can run), or a livelock (no progress for maxSteps steps, or the total STEP_CEILING). */
export class ScheduleStuck extends Error {
  constructor(
    readonly oracle: StuckOracle,
    message: string,
  ) {
    super(message);
  }
}

export interface DetOptions {
  /** steps in a row without progress (see progress()) that declare a livelock */
  maxSteps: number;
  trace: boolean;
  /** builds the report when no thread can run (a lost wake-up, a wait-for cycle) or no thread makes progress */
  explainStuck: (oracle: StuckOracle, sched: DetScheduler) => string;
  /** how long a thread sleeps on its token before it checks for an external kill */
  tokenTimeoutMs?: number;
  /** word 0 of this array is set by the coordinator to tear down runs that stopped making progress */
  kill: Int32Array;
  /** interleaving coverage: each access is noted when it runs */
  coverage?: ConflictCoverage;
}

export class DetScheduler implements Scheduler {
  readonly serial = true;
  private readonly irq: IrqLine;

  constructor(
    readonly m: Int32Array,
    readonly s: Int32Array,
    readonly sl: SchedLayout,
    readonly tid: number,
    private readonly strategy: Strategy,
    private readonly opts: DetOptions,
  ) {
    this.irq = new IrqLine(m);
  }

  /** The thread holds the token because another thread's decision chose it, at a point where it
   * has not decided yet (its first): it runs that event, as a thread handed the token back runs
   * the event it stopped at. Deciding again there would only repeat the chooser's decision. */
  private chosen = false;

  /** Waits for the token at the start of a run. The first thread holds it from the start; any
   * other gets it from a decision of a thread before it. */
  start(): void {
    this.awaitToken();
    this.chosen = this.tid !== 0;
  }

  point(label: number, idx: number, write: boolean): void {
    const row = this.record(label, idx);
    if (this.chosen) {
      this.chosen = false;
      this.strategy.passed?.(label);
    } else if (this.decide(label, idx, write)) {
      // back on the CPU: IPIs posted meanwhile are taken before the next instruction
      this.takeIrqs();
      // the access runs now: the trace shows the value it finds, not the one at the point
      if (row >= 0 && idx >= 0) this.s[row + 3] = this.m[idx]!;
    }
    this.opts.coverage?.note(this.tid, label, idx, write, this.s[DS_RUN_INDEX]!);
  }

  /** Asks the strategy at a recorded point; true when the token went to another thread and came back. */
  private decide(label: number, idx: number, write: boolean): boolean {
    if (this.strategy.keepsRunning !== undefined && this.strategy.keepsRunning(label, write)) return false;
    const next = this.strategy.next(this.tid, this.runnable(), false, label, idx, write);
    if (next === this.tid) return false;
    this.s[DS_PREEMPTIONS]!++;
    this.handOver(next);
    return true;
  }

  /** Services pending IPIs. The return from the handler is a point of its own: on hardware the
   * sender runs on from the ack while the interrupted code has not resumed yet. IPIs posted
   * meanwhile (or during the handler, which runs with interrupts off) are taken next. */
  private takeIrqs(): void {
    while (this.irq.take()) {
      this.record(L_IRQ_RETURN, -1);
      this.decide(L_IRQ_RETURN, -1, false);
    }
  }

  /** Sleeps until woken. A word that no longer holds `val` ends the wait at once (futex_wait's
   * EAGAIN). IPIs are taken while asleep, as the CPU runs them; the task only returns when woken. */
  block(label: number, idx: number, val: number): void {
    this.chosen = false;
    const s = this.s;
    const sl = this.sl;
    const state = sl.th(this.tid, DT_STATE);
    s[sl.th(this.tid, DT_WAIT_IDX)] = idx;
    s[sl.th(this.tid, DT_WAIT_VAL)] = val;
    s[sl.th(this.tid, DT_WAIT_LABEL)] = label;
    s[sl.th(this.tid, DT_WOKEN)] = this.m[idx] !== val ? 1 : 0;
    for (;;) {
      // every decision is a step of the trace (replay keys decisions by the points it records)
      const row = this.record(label, idx);
      if (row >= 0) s[row + 1] = label | TRACE_WAIT;
      s[state] = TS_BLOCKED;
      const runnable = this.runnable();
      if (runnable === 0) throw this.stuck();
      const next = this.strategy.next(this.tid, runnable, true, label, idx, false);
      if (next !== this.tid) this.handOver(next);
      s[state] = TS_READY;
      if (Atomics.load(this.m, CTL_ABORT) !== 0) throw new Aborted();
      if (s[sl.th(this.tid, DT_WOKEN)] !== 0) {
        this.takeIrqs();
        return;
      }
      // only an IPI: the CPU runs its handlers and goes back to the sleeping task, which sleeps on
      // (no return point: nothing resumes)
      while (this.irq.take());
      if (s[sl.th(this.tid, DT_WOKEN)] !== 0) return;
    }
  }

  /** Marks every thread asleep on `idx` woken (not a point of its own: the store before it was). */
  wake(idx: number): void {
    const s = this.s;
    const sl = this.sl;
    for (let t = 0; t < sl.threads; t++) if (s[sl.th(t, DT_WAIT_IDX)] === idx) s[sl.th(t, DT_WOKEN)] = 1;
  }

  /** No thread can run: a sleeper whose word changed with nobody waking it is a lost wake-up,
   * anything else a deadlock. */
  private stuck(): ScheduleStuck {
    const oracle = this.lostWakeups() !== 0 ? 'lost-wakeup' : 'deadlock';
    return new ScheduleStuck(oracle, this.opts.explainStuck(oracle, this));
  }

  /** Bitmask of sleepers whose word no longer holds what they slept on, never woken since. */
  lostWakeups(): number {
    const s = this.s;
    const sl = this.sl;
    let mask = 0;
    for (let t = 0; t < sl.threads; t++) {
      if (s[sl.th(t, DT_STATE)] !== TS_BLOCKED || s[sl.th(t, DT_WOKEN)] !== 0) continue;
      if (this.m[s[sl.th(t, DT_WAIT_IDX)]!] !== s[sl.th(t, DT_WAIT_VAL)]) mask |= 1 << t;
    }
    return mask;
  }

  interrupts(): void {
    this.takeIrqs();
  }

  setInterruptHandler(pendingIdx: number, handler: () => void): void {
    this.s[this.sl.th(this.tid, DT_PENDING)] = pendingIdx;
    this.irq.set(pendingIdx, handler);
  }

  /**
   * The thread's role is over: hand the token on for good. `last` when it was the last thread of
   * the run; `stuck` is the report when the threads left can never run again (they wait for
   * something only an exited thread could have done).
   */
  exit(): { last: boolean; stuck: ScheduleStuck | null } {
    const s = this.s;
    s[this.sl.th(this.tid, DT_STATE)] = TS_DONE;
    const step = s[DS_STEP]!;
    // at the deadline (a livelock was thrown, or is due) recording would throw, and nothing here catches it
    if (step < s[DS_DEADLINE]!) this.record(L_EXIT, -1);
    const live = --s[DS_LIVE]!;
    if (live === 0) return { last: true, stuck: null };
    let stuck: ScheduleStuck | null = null;
    let runnable = this.runnable();
    if (runnable === 0) {
      // nobody can ever wake the others: report it, then let them unwind one by one. The run is
      // marked failed now, while this thread holds the token: once it passes the token on, the
      // last thread may already be resetting the words for the next run.
      stuck = this.stuck();
      s[DS_RUN_FAILED] = 1;
      Atomics.store(this.m, CTL_ABORT, 1);
      runnable = this.runnable();
    }
    const next = this.strategy.next(this.tid, runnable, true, L_EXIT, -1, false);
    this.pass(next);
    return { last: false, stuck };
  }

  /** Bitmask of the threads that could run now. Once the run is aborted, every live thread can
   * (so that each one unwinds). */
  runnable(): number {
    const s = this.s;
    const sl = this.sl;
    const aborting = this.m[CTL_ABORT] !== 0; // written by the token holder's predecessors: visible
    let mask = 0;
    for (let t = 0; t < sl.threads; t++) {
      const state = s[sl.th(t, DT_STATE)];
      if (state === TS_READY) mask |= 1 << t;
      else if (state === TS_BLOCKED) {
        const pending = s[sl.th(t, DT_PENDING)]!;
        if (aborting || s[sl.th(t, DT_WOKEN)] !== 0 || (pending >= 0 && this.m[pending] !== 0)) mask |= 1 << t;
      }
    }
    return mask;
  }

  /** Called by the token holder once per operation or move: the livelock deadline moves to
   * maxSteps steps from now, so the hot path compares the step with one word. */
  progress(): void {
    const s = this.s;
    const step = s[DS_STEP]!;
    s[DS_PROGRESS] = step;
    s[DS_DEADLINE] = Math.min(step + this.opts.maxSteps, STEP_CEILING);
  }

  /** Counts a step (hash, trace); returns where its trace row is, or -1 when it is not traced. */
  private record(label: number, idx: number): number {
    const s = this.s;
    const step = s[DS_STEP]!;
    if (step >= s[DS_DEADLINE]!) throw new ScheduleStuck('livelock', this.opts.explainStuck('livelock', this));
    s[DS_STEP] = step + 1;
    s[this.sl.th(this.tid, DT_LAST_LABEL)] = label;
    // a 64-bit trace hash as two 32-bit lanes, over (thread, point label, word)
    const x = (this.tid * 0x3b) ^ label ^ Math.imul(idx, 0x2c1b3c6d);
    const lo = Math.imul(s[DS_HASH_LO]! ^ x, 0x01000193);
    s[DS_HASH_LO] = lo;
    s[DS_HASH_HI] = Math.imul(s[DS_HASH_HI]! ^ x ^ (lo >>> 13), 0x5bd1e995);
    if (this.opts.trace && step < this.sl.traceCapacity) {
      const at = this.sl.trace + step * TRACE_STRIDE;
      s[at] = this.tid;
      s[at + 1] = label;
      s[at + 2] = idx;
      s[at + 3] = idx >= 0 ? this.m[idx]! : 0;
      s[DS_TRACE_LEN] = step + 1;
      return at;
    }
    return -1;
  }

  /** Give the token to `next` and sleep until it comes back. */
  private handOver(next: number): void {
    this.pass(next);
    this.awaitToken();
  }

  /** Sleeps until this thread holds the token (also how a thread starts a run). */
  awaitToken(): void {
    const tok = this.sl.th(this.tid, DT_TOKEN);
    const timeout = this.opts.tokenTimeoutMs ?? 1000;
    while (Atomics.load(this.s, tok) === 0) {
      if (Atomics.wait(this.s, tok, 0, timeout) === 'timed-out' && Atomics.load(this.opts.kill, 0) !== 0) throw new Aborted();
    }
  }

  private pass(next: number): void {
    const s = this.s;
    s[DS_CUR] = next;
    s[DS_SWITCHES]!++;
    Atomics.store(s, this.sl.th(this.tid, DT_TOKEN), 0);
    Atomics.store(s, this.sl.th(next, DT_TOKEN), 1);
    Atomics.notify(s, this.sl.th(next, DT_TOKEN), 1);
  }
}
