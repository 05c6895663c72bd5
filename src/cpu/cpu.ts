// A CPU: services IPIs at its interrupt points and runs a seeded user workload of loads and
// stores to mapped objects, munmap (and mmap again on SIGSEGV), DRM ioctls, and switches between
// processes.
import type { Task } from '../kernel/task.js';
import { TH_IPI_PENDING } from '../shm/layout.js';
import { Prng } from '../lib/prng.js';
import { ipi_pending, smp_service } from '../kernel/smp.js';
import { enter_lazy_tlb, flush_tlb_func, leave_lazy_tlb, switch_mm } from '../mm/tlb.js';
import { label } from '../sched/labels.js';
import { bo_vpn, do_mmap, do_munmap } from '../mm/mmap.js';
import { DataOracle } from '../check/data.js';
import { drm_ioctl_execbuf } from '../drm/execbuf.js';
import { madvise_dontneed } from '../mm/madvise.js';
import { dma_complete, dma_start, type Dma } from '../drm/dma.js';
import { user_access, type FaultClock } from './user_access.js';

const L_KTHREAD = label('kthread:run');


export class Cpu {
  readonly rng: Prng;
  readonly data: DataOracle;
  clock: FaultClock | null = null;
  /** a DMA transfer in flight: the device writes it a few operations after it was queued */
  private dma: Dma | null = null;
  private dmaDue = 0;
  /** the workload mix as thresholds on a 32-bit draw */
  private readonly pSwitch: number;
  private readonly pMunmap: number;
  private readonly pIoctl: number;
  private readonly pMadvise: number;
  private readonly pLazy: number;
  private readonly pDma: number;

  constructor(readonly t: Task) {
    this.rng = new Prng(t.cfg.seed, 1 + t.tid);
    this.data = new DataOracle(t);
    this.pSwitch = t.cfg.pSwitch * 4294967296;
    this.pMunmap = this.pSwitch + t.cfg.pMunmap * 4294967296;
    this.pIoctl = this.pMunmap + t.cfg.pIoctl * 4294967296;
    this.pMadvise = this.pIoctl + t.cfg.pMadvise * 4294967296;
    this.pLazy = this.pMadvise + t.cfg.pLazy * 4294967296;
    this.pDma = this.pLazy + t.cfg.pDma * 4294967296;
    t.a.sched.setInterruptHandler(t.lay.th(t.tid, TH_IPI_PENDING), () => smp_service(t, flush_tlb_func));
  }

  /** Interrupt point: take pending IPIs. */
  interrupts(): void {
    if (ipi_pending(this.t)) smp_service(this.t, flush_tlb_func);
  }

  /** Lets the device finish a DMA in flight (at once when `now`). */
  completeDma(now: boolean): void {
    if (this.dma !== null && (now || --this.dmaDue <= 0)) {
      dma_complete(this.t, this.data, this.dma);
      this.dma = null;
    }
  }

  /** One user operation. */
  step(): void {
    const t = this.t;
    const cfg = t.cfg;
    this.interrupts();
    this.completeDma(false);
    const r = this.rng.u32();
    if (r < this.pSwitch) {
      switch_mm(t, this.rng.below(cfg.processes));
    } else if (r < this.pMunmap) {
      do_munmap(t, t.a.local(t.curMmWord), this.rng.below(cfg.objects));
    } else if (r < this.pIoctl) {
      drm_ioctl_execbuf(t, this.data, this.rng.below(cfg.objects), this.rng.below(cfg.pages), this.rng.below(cfg.wordsPerPage));
    } else if (r < this.pMadvise) {
      const obj = this.rng.below(cfg.objects);
      madvise_dontneed(t, t.a.local(t.curMmWord), bo_vpn(t, obj, this.rng.below(cfg.pages)), 1 + this.rng.below(4));
    } else if (r < this.pLazy) {
      // a kernel thread runs for a few steps with the user mm still loaded, then the task is back
      enter_lazy_tlb(t);
      for (let k = this.rng.below(4); k >= 0; k--) {
        this.interrupts();
        t.a.point(L_KTHREAD, -1);
      }
      leave_lazy_tlb(t);
    } else if (r < this.pDma) {
      if (this.dma === null) {
        this.dma = dma_start(t, this.data, this.rng.below(cfg.objects), this.rng.below(cfg.pages));
        this.dmaDue = 1 + this.rng.below(4);
      }
    } else {
      const obj = this.rng.below(cfg.objects);
      const page = this.rng.below(cfg.pages);
      const w = this.rng.below(cfg.wordsPerPage);
      const g = (obj * cfg.pages + page) * cfg.wordsPerPage + w;
      const write = DataOracle.owner(g, cfg.cpus) === t.tid && (this.rng.u32() & 1) === 1;
      // the program maps an object back when it finds it gone (SIGSEGV), then goes on
      if (!user_access(t, this.data, this.clock, obj, page, w, write)) do_mmap(t, t.a.local(t.curMmWord), obj);
    }
    t.heartbeat();
  }
}
