// A CPU: services IPIs at its interrupt points and runs a seeded user workload of loads and
// stores to mapped objects, munmap, mprotect and mremap (and mmap again on SIGSEGV), DRM
// ioctls, DMA, and switches between processes. The program keeps each object's address in user
// memory (one pointer per process and object); a thread caches it and reloads it on SIGSEGV,
// since another thread may have moved or unmapped the mapping.
import type { Task } from '../kernel/task.js';
import { TH_IPI_PENDING } from '../shm/layout.js';
import { WORKLOAD_KEYS, type WorkloadKey } from '../config.js';
import { Prng } from '../lib/prng.js';
import { smp_service } from '../kernel/smp.js';
import { enter_lazy_tlb, flush_tlb_func, leave_lazy_tlb, switch_mm } from '../mm/tlb.js';
import { label } from '../sched/labels.js';
import { do_mmap, do_munmap } from '../mm/mmap.js';
import { do_mprotect } from '../mm/mprotect.js';
import { do_mremap, do_mremap_grow } from '../mm/mremap.js';
import { window_vpn } from '../mm/vma.js';
import { DataOracle } from '../check/data.js';
import { drm_ioctl_execbuf } from '../drm/execbuf.js';
import { madvise_dontneed } from '../mm/madvise.js';
import { dma_complete, dma_start, type Dma } from '../drm/dma.js';
import { user_access } from '../arch/x86/uaccess.js';

const L_KTHREAD = label('kthread:run');
const L_USER_PTR = label('user:ptr');
const L_USER_WORK = label('user:work');

export class Cpu {
  readonly rng: Prng;
  /** a DMA transfer in flight: the device writes it a few operations after it was queued */
  private dma: Dma | null = null;
  private dmaDue = 0;
  /** the workload mix as cumulative thresholds on a 32-bit draw, in WORKLOAD order */
  private readonly mix: Float64Array;
  /** what each workload actor does (config.ts WORKLOAD has the rest of the table) */
  private readonly actors: Record<WorkloadKey, (mm: number) => void> = {
    pSwitch: () => switch_mm(this.t, this.rng.below(this.t.cfg.processes)),
    pMunmap: (mm) => this.munmap(mm),
    pIoctl: () => this.ioctl(),
    pMadvise: (mm) => this.madvise(mm),
    pLazy: () => this.lazy(),
    pDma: () => this.startDma(),
    pMprotect: (mm) => this.guard(mm),
    pMremap: (mm) => this.mremap(mm),
  };
  /** the pages of an object its accesses go to (--touch) */
  private readonly touched: number;
  /** this thread's copy of each (process, object) pointer: the window, -1 before the first load */
  private readonly ptr: Int32Array;

  constructor(readonly t: Task) {
    this.rng = new Prng(t.cfg.seed, 1 + t.tid);
    this.mix = new Float64Array(WORKLOAD_KEYS.length);
    let sum = 0;
    WORKLOAD_KEYS.forEach((k, i) => {
      sum += t.cfg[k] * 4294967296;
      this.mix[i] = sum;
    });
    this.ptr = new Int32Array(t.cfg.processes * t.cfg.objects).fill(-1);
    this.touched = Math.max(1, Math.ceil(t.cfg.touch * t.cfg.pages));
    t.a.sched.setInterruptHandler(t.lay.th(t.tid, TH_IPI_PENDING), () => smp_service(t, flush_tlb_func));
  }

  /** Interrupt point: take pending IPIs. */
  interrupts(): void {
    this.t.a.sched.interrupts();
  }

  /** Lets the device finish a DMA in flight (at once when `now`). */
  completeDma(now: boolean): void {
    if (this.dma !== null && (now || --this.dmaDue <= 0)) {
      dma_complete(this.t, this.dma);
      this.dma = null;
    }
  }

  /** The window where the program believes `obj` is mapped in the current process. */
  private window(obj: number): number {
    const i = this.t.a.local(this.t.curMmWord) * this.t.cfg.objects + obj;
    const w = this.ptr[i] as number;
    return w >= 0 ? w : this.reload(obj);
  }

  /** Reads the process's pointer from user memory (the home window when it is not mapped). */
  private reload(obj: number): number {
    const t = this.t;
    const mm = t.a.local(t.curMmWord);
    const v = t.a.load(t.lay.userPtr(mm, obj), L_USER_PTR) - 1;
    const w = v >= 0 ? v : obj;
    this.ptr[mm * t.cfg.objects + obj] = w;
    return w;
  }

  /** The program publishes where it (re)mapped an object, 0 for nowhere. */
  private publish(obj: number, window: number): void {
    const t = this.t;
    const mm = t.a.local(t.curMmWord);
    t.a.store(t.lay.userPtr(mm, obj), window + 1, L_USER_PTR);
    this.ptr[mm * t.cfg.objects + obj] = window < 0 ? obj : window;
  }

  /** SIGSEGV: another thread may have moved the mapping; if not, grow a mapping that covers
   * only a prefix of the object, or map the object again (some mappings are private). */
  private segv(obj: number): void {
    const t = this.t;
    const before = this.window(obj);
    const w0 = this.reload(obj);
    if (w0 !== before || do_mremap_grow(t, t.a.local(t.curMmWord), window_vpn(t, w0))) return;
    const len = this.rng.float() < t.cfg.pPartial ? 1 + this.rng.below(t.cfg.pages) : 0;
    const priv = this.rng.float() < t.cfg.pPrivate;
    const w = do_mmap(t, t.a.local(t.curMmWord), obj, len, priv);
    if (w >= 0) this.publish(obj, w);
  }

  /** The actor a 32-bit draw picks, or null for an access. */
  private pick(r: number): WorkloadKey | null {
    const mix = this.mix;
    for (let i = 0; i < mix.length; i++) if (r < (mix[i] as number)) return WORKLOAD_KEYS[i]!;
    return null;
  }

  /** One user operation. */
  step(): void {
    const t = this.t;
    const mm = t.a.local(t.curMmWord);
    this.interrupts();
    this.completeDma(false);
    const actor = this.pick(this.rng.u32());
    if (actor === null) this.access();
    else this.actors[actor](mm);
    t.completed();
  }

  private access(): void {
    const t = this.t;
    const cfg = t.cfg;
    const obj = this.rng.below(cfg.objects);
    const page = this.rng.below(this.touched);
    const w = this.rng.below(cfg.wordsPerPage);
    const g = (obj * cfg.pages + page) * cfg.wordsPerPage + w;
    const write = DataOracle.owner(g, cfg.cpus) === t.tid && (this.rng.u32() & 1) === 1;
    const vpn = window_vpn(t, this.window(obj)) + page;
    if (!user_access(t, vpn, obj, page, w, write)) this.segv(obj);
  }

  private munmap(mm: number): void {
    const obj = this.rng.below(this.t.cfg.objects);
    if (do_munmap(this.t, mm, window_vpn(this.t, this.window(obj)))) this.publish(obj, -1);
  }

  private ioctl(): void {
    const cfg = this.t.cfg;
    const args = this.rng.below(cfg.objects) | 1;
    if (args < cfg.objects) drm_ioctl_execbuf(this.t, args - 1, window_vpn(this.t, this.window(args)), args, this.rng.below(cfg.pages), this.rng.below(cfg.wordsPerPage));
  }

  private madvise(mm: number): void {
    const obj = this.rng.below(this.t.cfg.objects);
    madvise_dontneed(this.t, mm, window_vpn(this.t, this.window(obj)) + this.rng.below(this.t.cfg.pages), 1 + this.rng.below(4));
  }

  /** A kernel thread runs for a few steps with the user mm still loaded, then the task is back. */
  private lazy(): void {
    enter_lazy_tlb(this.t);
    this.idle(L_KTHREAD);
    leave_lazy_tlb(this.t);
  }

  private startDma(): void {
    if (this.dma !== null) return;
    const obj = this.rng.below(this.t.cfg.objects);
    const page = this.rng.below(this.t.cfg.pages);
    this.dma = dma_start(this.t, window_vpn(this.t, this.window(obj)) + page, obj, page);
    this.dmaDue = 1 + this.rng.below(4);
  }

  /** A guard window (a GC barrier, a JIT flipping a region): no access for a while. */
  private guard(mm: number): void {
    const vpn = window_vpn(this.t, this.window(this.rng.below(this.t.cfg.objects)));
    if (do_mprotect(this.t, mm, vpn, true)) {
      this.idle(L_USER_WORK);
      do_mprotect(this.t, mm, vpn, false);
    }
  }

  private mremap(mm: number): void {
    const obj = this.rng.below(this.t.cfg.objects);
    const to = do_mremap(this.t, mm, window_vpn(this.t, this.window(obj)));
    if (to >= 0) this.publish(obj, to);
  }

  /** A few steps of work that touch no user memory. */
  private idle(lbl: number): void {
    for (let k = this.rng.below(4); k >= 0; k--) {
      this.interrupts();
      this.t.a.point(lbl, -1, false);
    }
  }
}
