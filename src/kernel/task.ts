// `current`: the thread executing model code (a CPU or a migrator), with its view of the machine.
import type { Config } from '../config.js';
import { Bugs } from '../bugs/catalog.js';
import { Layout, ST_HEARTBEAT } from '../shm/layout.js';
import { Access } from '../sched/access.js';
import type { Scheduler } from '../sched/scheduler.js';
import { VmFault, type VmOperations } from '../mm/vm_fault.js';

export class Task {
  readonly lay: Layout;
  readonly a: Access;
  readonly bugs: Bugs;
  readonly isCpu: boolean;
  /** operations completed by this thread: the step shown in violation reports */
  step = 0;
  /** locks this thread holds, innermost last (for reports and the lock-order checker) */
  readonly held = new Int32Array(64);
  heldDepth = 0;
  /** spinlocks held: sleeping while > 0 is a bug the lock oracle reports */
  spinDepth = 0;
  /** the fault being handled (one per thread: faults do not nest) */
  readonly vmf = new VmFault();
  /** TLB replacement cursor */
  tlbVictim = 0;

  constructor(
    readonly cfg: Config,
    readonly m: Int32Array,
    readonly tid: number,
    sched: Scheduler,
    /** the driver behind every VMA in this model (TTM) */
    readonly vmOps: VmOperations,
  ) {
    this.lay = new Layout(cfg);
    this.a = new Access(m, sched);
    this.bugs = new Bugs(cfg.bugs);
    this.isCpu = tid < cfg.cpus;
  }

  /** Counts a statistic on this thread's own cache line (not a scheduling point: bookkeeping). */
  count(field: number, n = 1): void {
    const i = this.lay.stat(this.tid, field);
    this.m[i] = (this.m[i] as number) + n;
  }

  hold(lk: number): void {
    if (this.heldDepth === this.held.length) throw new Error(`${this.name} holds more than ${this.held.length} locks`);
    this.held[this.heldDepth++] = lk;
  }
  /** Locks are mostly released innermost first; otherwise close the gap. */
  unhold(lk: number): void {
    let i = this.heldDepth - 1;
    while (i >= 0 && this.held[i] !== lk) i--;
    if (i < 0) return;
    this.held.copyWithin(i, i + 1, this.heldDepth);
    this.heldDepth--;
  }

  heartbeat(): void {
    this.step++;
    Atomics.store(this.m, this.lay.stat(this.tid, ST_HEARTBEAT), this.step);
  }

  get name(): string {
    return this.isCpu ? `cpu${this.tid}` : `migrator${this.tid - this.cfg.cpus}`;
  }
}
