// What every thread of every program has, the machine's CPUs and migrators as much as the threads
// of a user test: the accessor layer, its identity in lock words, its spinlock depth, the
// profiler's probe and the per-thread words the lock slow paths keep (struct rwsem_waiter lives
// on the sleeper's stack in Linux; here in the thread's line). kernel/locking code needs no more.
import type { RwsemChoice } from '../config.js';
import { rwsemOpsOf, type RwsemOps } from '../locking/rwsem_module.js';
import type { ThreadLines } from '../shm/layout.js';
import { Access } from '../sched/access.js';
import type { Scheduler } from '../sched/scheduler.js';
import { MODE_X, NULL_PROBE, type Probe } from '../profile/probe.js';

export class Thread {
  readonly a: Access;
  /** operations completed by this thread: the step shown in violation reports */
  step = 0;
  /** the profiler's hooks: NULL_PROBE unless lockstat, lockdep or a trace was asked for */
  probe: Probe = NULL_PROBE;
  /** spinlocks held: sleeping while > 0 is a bug the lock oracle reports */
  spinDepth = 0;
  /** this thread's lock-word value (holder tid + 1) */
  readonly lockId: number;
  /** --rwsem FILE: the module's operations (null: a built-in variant) */
  readonly rwsemOps: RwsemOps | null;

  constructor(
    readonly m: Int32Array,
    readonly tid: number,
    sched: Scheduler,
    readonly lines: ThreadLines,
    /** the rw_semaphore's slow-path policy, or a module's path (--rwsem FILE) */
    readonly rwsemVariant: RwsemChoice,
    readonly name: string,
  ) {
    this.a = new Access(m, sched);
    this.lockId = tid + 1;
    this.rwsemOps = rwsemOpsOf(rwsemVariant);
  }

  /** A lock was taken: tell the profiler (lockstat, lock order, timeline). */
  hold(lk: number, mode = MODE_X, label = 0, trylock = false): void {
    this.probe.acquired(lk, mode, label, trylock);
  }
  unhold(lk: number, mode = MODE_X): void {
    this.probe.released(lk, mode);
  }
}
