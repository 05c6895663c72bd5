// `current`: the thread executing model code (a CPU or a migrator), with its view of the machine.
import type { Config } from '../config.js';
import { makeBugs, type Bugs } from '../bugs/switches.js';
import { Layout, ST_HEARTBEAT, TH_CUR_MM } from '../shm/layout.js';
import type { Scheduler } from '../sched/scheduler.js';
import { VmFault, type VmOperations } from '../mm/vm_fault.js';
import type { MmuGather } from '../mm/mmu_gather.js';
import { DataOracle } from '../check/data.js';
import type { FaultClock } from '../arch/x86/uaccess.js';
import { Thread } from './thread.js';

export class Task extends Thread {
  readonly lay: Layout;
  readonly bugs: Bugs;
  readonly isCpu: boolean;
  /** the fault being handled (one per thread: faults do not nest) */
  readonly vmf = new VmFault();
  /** TLB replacement cursor */
  tlbVictim = 0;
  /** an mmu_gather to reuse (zaps would otherwise allocate one each) */
  spareGather: MmuGather | null = null;
  /** the data oracle of this thread's user accesses (the CPU's loads and stores, its DMA) */
  readonly data: DataOracle;
  /** times each user fault, when the run measures fault latency */
  faultClock: FaultClock | null = null;
  /** tlb_ubc: the mms whose flush this thread deferred (a bit each), flushed by try_to_unmap_flush */
  ubcMms = 0;

  // Per-thread constants of the hot paths, computed once instead of on every access.
  /** first word of this thread's statistics line */
  readonly statBase: number;
  /** the word holding the mm loaded on this CPU (TH_CUR_MM) */
  readonly curMmWord: number;
  /** first word of this CPU's TLB (meaningless for a migrator, which has no TLB) */
  readonly tlbBase: number;
  /** cfg.prefault as a number: pages per fault window, 0 for the whole VMA (a config that came
   * through postMessage holds non-internalized strings, and comparing those costs per fault) */
  readonly prefaultPages: number;
  /** --fault-lock vma */
  readonly vmaLockFaults: boolean;
  /** --zap-flush page */
  readonly zapFlushPage: boolean;

  constructor(
    readonly cfg: Config,
    m: Int32Array,
    tid: number,
    sched: Scheduler,
    /** the driver behind every VMA in this model (--driver) */
    readonly vmOps: VmOperations,
  ) {
    const lay = new Layout(cfg);
    super(m, tid, sched, lay, cfg.rwsem, tid < cfg.cpus ? `cpu${tid}` : `migrator${tid - cfg.cpus}`);
    this.lay = lay;
    this.bugs = makeBugs(cfg.bugs);
    this.isCpu = tid < cfg.cpus;
    this.statBase = this.lay.stat(tid, 0);
    this.curMmWord = this.lay.th(tid, TH_CUR_MM);
    this.tlbBase = this.lay.tlbEntry(tid, 0, 0);
    this.prefaultPages = cfg.prefault === 'vma' ? 0 : Number(cfg.prefault);
    this.vmaLockFaults = cfg.faultLock === 'vma';
    this.zapFlushPage = cfg.zapFlush === 'page';
    this.data = new DataOracle(this);
  }

  /** Counts a statistic on this thread's own cache line (not a scheduling point: bookkeeping). */
  count(field: number, n = 1): void {
    const i = this.statBase + field;
    this.m[i] = (this.m[i] as number) + n;
  }

  heartbeat(): void {
    this.step++;
    Atomics.store(this.m, this.statBase + ST_HEARTBEAT, this.step);
  }

  /** An operation or a move is done: a heartbeat, and progress for the livelock check (a thread
   * that only waits, as in quiesce, beats without progressing). */
  completed(): void {
    this.heartbeat();
    this.a.sched.progress();
  }
}
