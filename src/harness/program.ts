// What the deterministic engine runs: a program of T threads over one shared buffer. The built-in
// machine (CPUs and migrators) is one program; a user test (src/api) is another. The engine owns
// scheduling, replay, hashing and the end of a run; the program owns its memory, its threads'
// bodies, its end-of-run check and how it names what a stuck thread waits for.
import type { Thread } from '../kernel/thread.js';
import type { ThreadLines } from '../shm/layout.js';
import type { LockNaming } from '../profile/lock_class.js';
import type { Scheduler } from '../sched/scheduler.js';
import type { DetScheduler, StuckOracle } from '../sched/det.js';
import type { ViolationInfo, ViolationRefs } from '../check/violation.js';
import type { RoleResult } from './guard.js';
import type { TraceView } from '../report/interleaving.js';

export interface Program<T extends Thread = Thread> {
  readonly threads: number;
  /** Int32 words of the shared buffer */
  readonly words: number;
  /** each thread's line of words (its wait word, the rwsem waiter's words) */
  readonly lines: ThreadLines;
  /** its locks as the profiler (lockstat, lockdep, the timeline) groups them */
  readonly locks: LockNaming;
  /** a fresh state for the run of `seed` */
  boot(m: Int32Array, seed: number): void;
  /** thread `tid` of the run of `seed`, scheduled by `sched` */
  thread(m: Int32Array, tid: number, sched: Scheduler, seed: number): T;
  /** the thread's whole part of a run; violations and crashes come back in the result */
  run(t: T): RoleResult;
  /** once every thread has exited, on a run nothing failed in yet */
  finalCheck(m: Int32Array, seed: number): ViolationInfo | null;
  threadName(tid: number): string;
  /** a word of the shared buffer as reports name it ("mm0.pgd[1]", "balance", "ring[2]") */
  describeWord(idx: number): string;
  /** a value that word held, as reports show it (PTEs in hex) */
  showValue(idx: number, value: number): string;
  /** the report when no thread can run or none makes progress */
  explainStuck(m: Int32Array, oracle: StuckOracle, sched: DetScheduler): string;
  /** the words a violation's refs name, as the run left `m` (absent: the program's violations
   * name no words) */
  refWords?(m: Int32Array, refs: ViolationRefs): { words: Set<number>; what: string[] };
  /** the race behind a violation in sentences, from the first `to` steps of the trace and the
   * state the run left in `m` (absent: the program cannot tell its story) */
  explain?(m: Int32Array, trace: TraceView, violation: ViolationInfo, to: number): string[];
}

/** Every thread's name, by tid (the interleaving's columns, the timeline's tracks). */
export function threadNamesOf(p: Program): string[] {
  return Array.from({ length: p.threads }, (_, t) => p.threadName(t));
}
