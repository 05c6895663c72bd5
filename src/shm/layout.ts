// The one place that knows where everything lives in the machine's SharedArrayBuffer.
// All shared simulated state is Int32 words in a single buffer; nothing else computes an offset.
import type { Config } from '../config.js';

/** Words per 64-byte cache line: per-thread hot words get a line each. */
export const LINE = 16;

// control words
export const CTL_STOP = 0; // 1: stop at the next operation boundary
export const CTL_ABORT = LINE; // 1: a violation or watchdog fired; unwind everywhere
export const CTL_VIOLATIONS = 2 * LINE;
export const CTL_QUIESCED = 2 * LINE + 1; // threads that finished their work (CPUs still take IPIs)
export const CTL_CPUS_DONE = 2 * LINE + 2; // CPUs that finished their operations: the last one stops the run
export const CTL_PROGRESS = 2 * LINE + 3; // paced runs: CPU operations done so far, which paces the migrators
export const CTL_MEASURING = 2 * LINE + 4; // stress: 1 inside the measured window (after the warm-up, before the stop)

// per-thread statistics (STAT_STRIDE words per thread)
export const STAT_STRIDE = 2 * LINE;
/** The per-thread statistics counters, by name: a counter's word is its position here. */
export const STAT_NAMES = [
  'accesses', 'faults', 'retries', 'segv', 'migrations', 'shootdowns', 'ipisSent', 'ipisReceived',
  'heartbeat', 'tlbHits', 'mmaps', 'munmaps', 'pteInstalls', 'mprotects', 'mremaps',
  'vmaLockFaults', 'vmaLockFallbacks', 'cows', 'ptesUnused',
] as const;
const stat = (name: (typeof STAT_NAMES)[number]): number => STAT_NAMES.indexOf(name);
export const ST_ACCESSES = stat('accesses');
export const ST_FAULTS = stat('faults');
export const ST_RETRIES = stat('retries');
export const ST_SEGV = stat('segv');
export const ST_MIGRATIONS = stat('migrations');
export const ST_SHOOTDOWNS = stat('shootdowns');
export const ST_IPIS_SENT = stat('ipisSent');
export const ST_IPIS_RECEIVED = stat('ipisReceived');
export const ST_HEARTBEAT = stat('heartbeat');
export const ST_TLB_HITS = stat('tlbHits');
export const ST_MMAPS = stat('mmaps');
export const ST_MUNMAPS = stat('munmaps');
export const ST_PTE_INSTALLS = stat('pteInstalls');
export const ST_MPROTECTS = stat('mprotects');
export const ST_MREMAPS = stat('mremaps');
/** faults handled under the per-VMA lock alone */
export const ST_VMA_LOCK_FAULTS = stat('vmaLockFaults');
/** per-VMA-lock attempts that fell back to mmap_sem */
export const ST_VMA_LOCK_FALLBACKS = stat('vmaLockFallbacks');
export const ST_COWS = stat('cows');
/** PTEs zapped that no access ever loaded (prefaulted for nothing) */
export const ST_PTES_UNUSED = stat('ptesUnused');

// per-thread state (one line per thread)
export const TH_WAIT_IDX = 0; // word the thread sleeps on (+1), so an IPI sender can wake it
export const TH_CUR_MM = 1; // CPUs: the mm loaded on this CPU, -1 for none
export const TH_IPI_PENDING = 2; // CPUs: IPIs posted and not yet serviced
export const TH_LAZY = 3; // CPUs: 1 while a kernel thread runs with the user mm still loaded (lazy TLB), 2 while leaving
export const TH_TLB_GEN = 4; // CPUs: the mm tlb_gen this CPU's TLB is known to be flushed up to
export const TH_WOKEN = 5; // strict waits: bumped by every wake-up aimed at the word this thread sleeps on
// the Linux rwsem's struct rwsem_waiter, which lives on the sleeper's stack (a thread waits on one rwsem at a time)
export const TH_RW_TICKET = 6; // its place in the rwsem's wait queue (FIFO by ticket)
export const TH_RW_STATE = 7; // RWW_* flags: woken (a writer rwsem_mark_wake chose), handoff_set
export const TH_RW_TIMEOUT = 8; // when the wait counts as too long: see rwsem_clock

/** Where each thread's own line of words is (TH_* fields): Layout for the machine, TestLayout for
 * a user test. The schedulers and the lock slow paths need no more of a layout than this. */
export interface ThreadLines {
  readonly threads: number;
  th(tid: number, field: number): number;
}

// IPI mailbox, one per (target CPU, sender thread)
export const IPI_REQ = 0;
export const IPI_ACK = 1;
export const IPI_MM = 2;
export const IPI_START = 3;
export const IPI_END = 4;
export const IPI_GEN = 5; // the mm's tlb_gen this flush request brings the target up to
export const IPI_STRIDE = 8;

// frame oracle words (both pools): not part of the machine, the checker's own bookkeeping
export const FO_STATE = 0; // 0 free, 1 allocated
export const FO_GEN = 1; // bumped on every free: a TLB entry remembers the generation it was filled at
export const FO_STRIDE = 2;

// struct page metadata (system RAM only; VRAM is io memory without struct pages)
export const PG_REFCOUNT = 0;
export const PG_MAPCOUNT = 1;
export const PG_PINCOUNT = 2;
export const PG_OWNER = 3; // (object << 16 | page) + 1, 0 when the page belongs to no object
export const PG_LOCKED = 4; // page lock: holder tid + 1 (a mutex: its waiter count is word 5)
export const PG_ANON = 6; // an anonymous (COW) page: the process and object page it copies (anonId); 0 for object pages
export const PG_STRIDE = 8;

// frame allocator: [lock, lock waiters, top, ...stack]
export const AL_LOCK = 0;
export const AL_TOP = 2;
export const AL_STACK = 4;
export const POOL_SYSTEM = 0;
export const POOL_VRAM = 1;
export const POOL_PTE = 2; // PTE pages come from their own allocator

// rw_semaphore: one line
export const RW_COUNT = 0;
export const RW_WAIT_LOCK = 1; // spinlock word + waiters at +2
export const RW_RWAIT = 3;
export const RW_WWAIT = 4;
export const RW_RGEN = 5;
export const RW_WTICKET = 6;
export const RW_WNEXT = 7;
export const RW_OWNER = 8;
export const RW_READERS = 9; // bitmask of reader tids, for reports and the lock oracle
// --rwsem linux: RW_WTICKET numbers every waiter; readers sleep on RW_RGEN, writers on RW_WNEXT
export const RW_WAITLIST = 10; // bitmask of queued tids (the wait_list)
export const RW_WAITLIST_W = 11; // the writers among them
export const RW_CLOCK = 12; // deterministic runs: releases that found waiters (the handoff timeout's clock)
/** The rwsem's words by offset, as reports name them. */
export const RW_FIELD_NAMES = ['count', 'wait_lock', 'wait_lock.waiters', 'readers_waiting', 'writers_waiting', 'read_grant', 'writer_ticket', 'writer_next', 'owner', 'readers', 'wait_list', 'wait_list.writers', 'clock'];

// spinlock and mutex: [holder tid + 1, waiters]
export const LK_STRIDE = 4;

// mm_struct
export const MM_MMAP_SEM = 0; // rwsem line
export const MM_PT_LOCK = LINE; // mm->page_table_lock, guards pgd population
export const MM_CPUMASK = LINE + LK_STRIDE;
export const MM_TLB_GEN = LINE + LK_STRIDE + 1;
export const MM_FLUSH_PENDING = LINE + LK_STRIDE + 2;
export const MM_MAP_COUNT = LINE + LK_STRIDE + 3;
/** mm_lock_seq: bumped when mmap_sem is write-released, which unlocks every write-locked VMA */
export const MM_LOCK_SEQ = LINE + LK_STRIDE + 4;
/** tlb_flush_batched: unmaps whose flush a batcher deferred (low half) and how many of them a
 * flush_tlb_batched_pending has covered (high half) */
export const MM_TLB_FLUSH_BATCHED = LINE + LK_STRIDE + 5;
export const MM_PGD = 2 * LINE;

// vm_area_struct: the per-VMA lock (an rwsem line), then the fields
export const VMA_LOCK = 0;
export const VMA_START = LINE;
export const VMA_END = LINE + 1; // exclusive, in pages
export const VMA_FLAGS = LINE + 2;
export const VMA_PGOFF = LINE + 3;
export const VMA_OBJ = LINE + 4;
export const VMA_LOCK_SEQ = LINE + 5; // == mm_lock_seq: write-locked
export const VMA_ATTACHED = LINE + 6; // one of VMA_FREE, VMA_IN_TREE, VMA_UNMAPPING; a detached VMA keeps its fields
export const VMA_FREE = 0;
export const VMA_IN_TREE = 1;
/** detached from the tree by munmap, its pages not yet zapped and flushed: the VMA still exists */
export const VMA_UNMAPPING = 2;
export const VMA_STRIDE = 2 * LINE;
export const VM_READ = 0x1;
export const VM_WRITE = 0x2;
export const VM_MAYWRITE = 0x20;
export const VM_SHARED = 0x8;
export const VM_PFNMAP = 0x400;
export const VM_IO = 0x4000;
export const VM_DONTEXPAND = 0x40000;
export const VM_MIXEDMAP = 0x10000000;

// buffer object
export const BO_PLACEMENT = 0; // PL_SYSTEM or PL_VRAM
export const BO_NPAGES = 1;
export const BO_RESV = 4; // mutex: holder + waiters
export const BO_FENCE = 8; // move in flight: mover tid + 1, 0 when signalled
export const BO_BACKING = 16;
export const PL_SYSTEM = 0;
export const PL_VRAM = 1;

// TLB entry
export const TLB_TAG = 0; // vpn + 1, 0 when invalid
export const TLB_PTE = 1;
export const TLB_GEN = 2;
export const TLB_STRIDE = 4;

export class Layout implements ThreadLines {
  readonly threads: number;
  readonly sysFrames: number;
  readonly vramFrames: number;
  readonly frames: number;
  /** address windows of `pages` pages: object o may live at window o (home) or objects + o
   * (where mremap moves it) */
  readonly windows: number;
  readonly vaPages: number;
  readonly pgdEntries: number;
  readonly ptePages: number;
  readonly maxVmas: number;
  readonly mmStride: number;
  readonly boStride: number;
  readonly tlbSets: number;

  readonly stats: number;
  readonly thread: number;
  readonly ipi: number;
  readonly frameOracle: number;
  readonly pageMeta: number;
  readonly data: number;
  readonly alloc: number[];
  readonly ptes: number;
  readonly ptl: number;
  readonly mm: number;
  readonly bo: number;
  readonly iMmap: number;
  readonly tlb: number;
  readonly words: number;

  constructor(readonly cfg: Config) {
    const T = cfg.cpus + cfg.migrators;
    this.threads = T;
    // every object fits in either pool, plus room for the moves in flight
    this.sysFrames = cfg.objects * cfg.pages + Math.max(1, cfg.migrators) * cfg.pages;
    this.vramFrames = this.sysFrames;
    this.frames = this.sysFrames + this.vramFrames;
    const ptrs = cfg.ptrsPerPte;
    this.windows = 2 * cfg.objects;
    this.vaPages = Math.ceil((this.windows * cfg.pages) / ptrs) * ptrs;
    this.pgdEntries = this.vaPages / ptrs;
    // every thread may hold one spare PTE page while it loses a pmd_populate race
    this.ptePages = cfg.processes * this.pgdEntries + T;
    this.maxVmas = this.windows;
    this.mmStride = align(MM_PGD + this.pgdEntries) + this.maxVmas * VMA_STRIDE + align(cfg.objects);
    this.boStride = align(BO_BACKING + cfg.pages + 2 * cfg.processes);
    this.tlbSets = cfg.tlbEntries / cfg.tlbWays;

    let at = 3 * LINE;
    const take = (n: number): number => {
      const base = at;
      at = align(at + n);
      return base;
    };
    this.stats = take(T * STAT_STRIDE);
    this.thread = take(T * LINE);
    this.ipi = take(cfg.cpus * T * IPI_STRIDE);
    this.frameOracle = take(this.frames * FO_STRIDE);
    this.pageMeta = take(this.sysFrames * PG_STRIDE);
    this.data = take(this.frames * cfg.wordsPerPage);
    this.alloc = [
      take(AL_STACK + this.sysFrames),
      take(AL_STACK + this.vramFrames),
      take(AL_STACK + this.ptePages),
    ];
    this.ptes = take(this.ptePages * ptrs);
    this.ptl = take(this.ptePages * LK_STRIDE);
    this.mm = take(cfg.processes * this.mmStride);
    this.bo = take(cfg.objects * this.boStride);
    this.iMmap = take(LINE);
    this.tlb = take(cfg.cpus * cfg.tlbEntries * TLB_STRIDE);
    this.words = at;
  }

  stat(tid: number, field: number): number {
    return this.stats + tid * STAT_STRIDE + field;
  }
  th(tid: number, field: number): number {
    return this.thread + tid * LINE + field;
  }
  ipiBox(target: number, sender: number): number {
    return this.ipi + (target * this.threads + sender) * IPI_STRIDE;
  }
  /** global frame number: system frames first, then VRAM */
  frame(pool: number, index: number): number {
    return pool === POOL_VRAM ? this.sysFrames + index : index;
  }
  fo(frame: number, field: number): number {
    return this.frameOracle + frame * FO_STRIDE + field;
  }
  /** PG_ANON's value for mm's private copy of page `page` of `obj`, wherever mm maps it */
  anonId(mm: number, obj: number, page: number): number {
    return (mm * this.cfg.objects + obj) * this.cfg.pages + page + 1;
  }
  page(sysIndex: number, field: number): number {
    return this.pageMeta + sysIndex * PG_STRIDE + field;
  }
  word(frame: number, w: number): number {
    return this.data + frame * this.cfg.wordsPerPage + w;
  }
  pte(ptePage: number, i: number): number {
    return this.ptes + ptePage * this.cfg.ptrsPerPte + i;
  }
  ptlOf(ptePage: number): number {
    return this.ptl + ptePage * LK_STRIDE;
  }
  mmw(mm: number, field: number): number {
    return this.mm + mm * this.mmStride + field;
  }
  vma(mm: number, slot: number, field: number): number {
    return this.mm + mm * this.mmStride + align(MM_PGD + this.pgdEntries) + slot * VMA_STRIDE + field;
  }
  /** user memory: the process's pointer to object `obj` (its window + 1, 0 when not mapped) */
  userPtr(mm: number, obj: number): number {
    return this.mm + mm * this.mmStride + align(MM_PGD + this.pgdEntries) + this.maxVmas * VMA_STRIDE + obj;
  }
  bow(obj: number, field: number): number {
    return this.bo + obj * this.boStride + field;
  }
  backing(obj: number, page: number): number {
    return this.bo + obj * this.boStride + BO_BACKING + page;
  }
  /** reverse map: the window + 1 of the n-th VMA that maps `obj` in `mm`, 0 for none. There is
   * a second one (n = 1) only while mremap moves the mapping to its other window. */
  rmap(obj: number, mm: number, n = 0): number {
    return this.bo + obj * this.boStride + BO_BACKING + this.cfg.pages + 2 * mm + n;
  }
  tlbEntry(cpu: number, slot: number, field: number): number {
    return this.tlb + (cpu * this.cfg.tlbEntries + slot) * TLB_STRIDE + field;
  }
}

function align(n: number): number {
  return Math.ceil(n / LINE) * LINE;
}
