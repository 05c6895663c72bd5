// What a word of the machine buffer is, decoded from the layout's own offsets: its region, the
// thread, object or page it belongs to, its field, the name reports give it ("mm0.pgd[1]",
// "bo1.backing[2]", "pte(page 3)[5]"), and the lock it is part of. The only decoder of words: the
// reports, the lock classes, the wait-for graph and the race explanations all ask it. Field names
// are keyed by the field constants (test/shm/words.test.ts checks that none is missing).
import {
  AL_LOCK, AL_STACK, AL_TOP, BO_BACKING, BO_FENCE, BO_NPAGES, BO_PLACEMENT, BO_RESV, CTL_ABORT, CTL_CPUS_DONE, CTL_MEASURING, CTL_PROGRESS, CTL_QUIESCED, CTL_STOP, CTL_VIOLATIONS,
  FO_GEN, FO_STATE, FO_STRIDE, IPI_ACK, IPI_END, IPI_GEN, IPI_MM, IPI_REQ, IPI_START, IPI_STRIDE, Layout, LINE, LK_STRIDE, MM_CPUMASK, MM_FLUSH_PENDING, MM_LOCK_SEQ, MM_TLB_FLUSH_BATCHED,
  MM_MAP_COUNT, MM_MMAP_SEM, MM_PGD, MM_PT_LOCK, MM_TLB_GEN, PG_ANON, PG_LOCKED, PG_MAPCOUNT, PG_OWNER, PG_PINCOUNT, PG_REFCOUNT, PG_STRIDE, RW_CLOCK, RW_FIELD_NAMES,
  PL_VRAM, POOL_SYSTEM, POOL_VRAM, RW_WAIT_LOCK, RW_WAITLIST, RW_WAITLIST_W,
  STAT_NAMES, STAT_STRIDE, TH_CUR_MM, TH_IPI_PENDING, TH_LAZY, TH_RW_STATE, TH_RW_TICKET, TH_RW_TIMEOUT, TH_TLB_GEN, TH_WAIT_IDX, TH_WOKEN, TLB_GEN, TLB_PTE,
  TLB_STRIDE, TLB_TAG, VMA_ATTACHED, VMA_END, VMA_FLAGS, VMA_LOCK, VMA_LOCK_SEQ, VMA_OBJ, VMA_PGOFF, VMA_START, VMA_STRIDE,
} from './layout.js';
import type { ViolationRefs } from '../check/violation.js';

export const CTL_FIELDS: Readonly<Record<number, string>> = {
  [CTL_STOP]: 'stop', [CTL_ABORT]: 'abort', [CTL_VIOLATIONS]: 'violations', [CTL_QUIESCED]: 'quiesced', [CTL_CPUS_DONE]: 'cpus_done', [CTL_PROGRESS]: 'progress',
  [CTL_MEASURING]: 'measuring',
};
export const TH_FIELDS: Readonly<Record<number, string>> = {
  [TH_WAIT_IDX]: 'wait_idx', [TH_CUR_MM]: 'cur_mm', [TH_IPI_PENDING]: 'ipi_pending', [TH_LAZY]: 'lazy', [TH_TLB_GEN]: 'tlb_gen', [TH_WOKEN]: 'woken',
  [TH_RW_TICKET]: 'rw_ticket', [TH_RW_STATE]: 'rw_state', [TH_RW_TIMEOUT]: 'rw_timeout',
};
export const IPI_FIELDS: Readonly<Record<number, string>> = {
  [IPI_REQ]: 'req', [IPI_ACK]: 'ack', [IPI_MM]: 'mm', [IPI_START]: 'start', [IPI_END]: 'end', [IPI_GEN]: 'gen',
};
export const FO_FIELDS: Readonly<Record<number, string>> = { [FO_STATE]: 'state', [FO_GEN]: 'gen' };
export const PG_FIELDS: Readonly<Record<number, string>> = {
  [PG_REFCOUNT]: 'refcount', [PG_MAPCOUNT]: 'mapcount', [PG_PINCOUNT]: 'pincount', [PG_OWNER]: 'owner', [PG_LOCKED]: 'lock', [PG_LOCKED + 1]: 'lock.waiters', [PG_ANON]: 'anon',
};
export const MM_FIELDS: Readonly<Record<number, string>> = {
  [MM_CPUMASK]: 'cpumask', [MM_TLB_GEN]: 'tlb_gen', [MM_FLUSH_PENDING]: 'tlb_flush_pending', [MM_MAP_COUNT]: 'map_count', [MM_LOCK_SEQ]: 'mm_lock_seq', [MM_TLB_FLUSH_BATCHED]: 'tlb_flush_batched',
};
export const VMA_FIELDS: Readonly<Record<number, string>> = {
  [VMA_START]: 'start', [VMA_END]: 'end', [VMA_FLAGS]: 'flags', [VMA_PGOFF]: 'pgoff', [VMA_OBJ]: 'obj', [VMA_LOCK_SEQ]: 'vm_lock_seq', [VMA_ATTACHED]: 'attached',
};
export const BO_FIELDS: Readonly<Record<number, string>> = {
  [BO_PLACEMENT]: 'placement', [BO_NPAGES]: 'npages', [BO_RESV]: 'resv', [BO_RESV + 1]: 'resv.waiters', [BO_FENCE]: 'fence',
};
export const TLB_FIELDS: Readonly<Record<number, string>> = { [TLB_TAG]: 'tag', [TLB_PTE]: 'pte', [TLB_GEN]: 'gen' };
const POOLS = ['system', 'vram', 'pte'];

/** Where a word is. `offset` is within its object (an mm, a buffer object, an allocator, a lock). */
export type Region =
  | { kind: 'control'; field: number }
  | { kind: 'stats'; thread: number; field: number }
  | { kind: 'thread'; thread: number; field: number }
  | { kind: 'ipi'; target: number; sender: number; field: number }
  | { kind: 'frame'; frame: number; field: number }
  | { kind: 'page'; page: number; field: number }
  | { kind: 'data'; frame: number; word: number }
  | { kind: 'alloc'; pool: number; offset: number }
  | { kind: 'pte'; ptePage: number; index: number }
  | { kind: 'ptl'; ptePage: number; offset: number }
  | { kind: 'mm'; mm: number; offset: number }
  | { kind: 'vma'; mm: number; slot: number; field: number }
  | { kind: 'user-ptr'; mm: number; obj: number }
  | { kind: 'bo'; obj: number; offset: number }
  | { kind: 'i_mmap'; field: number }
  | { kind: 'tlb'; cpu: number; slot: number; field: number }
  | { kind: 'none' };

export function regionOf(lay: Layout, idx: number): Region {
  const cfg = lay.cfg;
  const within = (base: number, n: number): boolean => idx >= base && idx < base + n;
  if (idx < 0) return { kind: 'none' };
  if (idx < lay.stats) return { kind: 'control', field: idx };
  if (within(lay.stats, lay.threads * STAT_STRIDE)) return { kind: 'stats', thread: Math.floor((idx - lay.stats) / STAT_STRIDE), field: (idx - lay.stats) % STAT_STRIDE };
  if (within(lay.thread, lay.threads * LINE)) return { kind: 'thread', thread: Math.floor((idx - lay.thread) / LINE), field: (idx - lay.thread) % LINE };
  if (within(lay.ipi, cfg.cpus * lay.threads * IPI_STRIDE)) {
    const box = Math.floor((idx - lay.ipi) / IPI_STRIDE);
    return { kind: 'ipi', target: Math.floor(box / lay.threads), sender: box % lay.threads, field: (idx - lay.ipi) % IPI_STRIDE };
  }
  if (within(lay.frameOracle, lay.frames * FO_STRIDE)) return { kind: 'frame', frame: Math.floor((idx - lay.frameOracle) / FO_STRIDE), field: (idx - lay.frameOracle) % FO_STRIDE };
  if (within(lay.pageMeta, lay.sysFrames * PG_STRIDE)) return { kind: 'page', page: Math.floor((idx - lay.pageMeta) / PG_STRIDE), field: (idx - lay.pageMeta) % PG_STRIDE };
  if (within(lay.data, lay.frames * cfg.wordsPerPage)) return { kind: 'data', frame: Math.floor((idx - lay.data) / cfg.wordsPerPage), word: (idx - lay.data) % cfg.wordsPerPage };
  for (let pool = 0; pool < lay.alloc.length; pool++) {
    const base = lay.alloc[pool]!;
    if (idx >= base && idx < (lay.alloc[pool + 1] ?? lay.ptes)) return { kind: 'alloc', pool, offset: idx - base };
  }
  if (within(lay.ptes, lay.ptePages * cfg.ptrsPerPte)) return { kind: 'pte', ptePage: Math.floor((idx - lay.ptes) / cfg.ptrsPerPte), index: (idx - lay.ptes) % cfg.ptrsPerPte };
  if (within(lay.ptl, lay.ptePages * LK_STRIDE)) return { kind: 'ptl', ptePage: Math.floor((idx - lay.ptl) / LK_STRIDE), offset: (idx - lay.ptl) % LK_STRIDE };
  if (within(lay.mm, cfg.processes * lay.mmStride)) {
    const mm = Math.floor((idx - lay.mm) / lay.mmStride);
    const vmas = lay.vma(mm, 0, 0);
    if (idx >= vmas && idx < vmas + lay.maxVmas * VMA_STRIDE) return { kind: 'vma', mm, slot: Math.floor((idx - vmas) / VMA_STRIDE), field: (idx - vmas) % VMA_STRIDE };
    if (idx >= lay.userPtr(mm, 0) && idx < lay.userPtr(mm, cfg.objects)) return { kind: 'user-ptr', mm, obj: idx - lay.userPtr(mm, 0) };
    return { kind: 'mm', mm, offset: (idx - lay.mm) % lay.mmStride };
  }
  if (within(lay.bo, cfg.objects * lay.boStride)) return { kind: 'bo', obj: Math.floor((idx - lay.bo) / lay.boStride), offset: (idx - lay.bo) % lay.boStride };
  if (within(lay.iMmap, LINE)) return { kind: 'i_mmap', field: idx - lay.iMmap };
  if (within(lay.tlb, cfg.cpus * cfg.tlbEntries * TLB_STRIDE)) {
    const entry = Math.floor((idx - lay.tlb) / TLB_STRIDE);
    return { kind: 'tlb', cpu: Math.floor(entry / cfg.tlbEntries), slot: entry % cfg.tlbEntries, field: (idx - lay.tlb) % TLB_STRIDE };
  }
  return { kind: 'none' };
}

/** A field's name, or `?N` for an offset no field has (padding): visible, never silent. */
function field(names: Readonly<Record<number, string>> | readonly string[], f: number): string {
  return (names as Record<number, string | undefined>)[f] ?? `?${f}`;
}

export function describeWord(lay: Layout, idx: number): string {
  const r = regionOf(lay, idx);
  switch (r.kind) {
    case 'control': return CTL_FIELDS[r.field] ?? `control[${r.field}]`;
    case 'stats': return `stats[t${r.thread}].${field(STAT_NAMES, r.field)}`;
    case 'thread': return `thread${r.thread}.${field(TH_FIELDS, r.field)}`;
    case 'ipi': return `ipi[to cpu${r.target} from t${r.sender}].${field(IPI_FIELDS, r.field)}`;
    case 'frame': return `frame ${r.frame}.${field(FO_FIELDS, r.field)}`;
    case 'page': return `page${r.page}.${field(PG_FIELDS, r.field)}`;
    case 'data': return `frame ${r.frame} word ${r.word}`;
    case 'alloc': {
      const name = `alloc[${POOLS[r.pool] ?? r.pool}]`;
      if (r.offset >= AL_STACK) return `${name}.stack[${r.offset - AL_STACK}]`;
      if (r.offset >= AL_TOP) return `${name}.top`;
      return r.offset === AL_LOCK ? `${name}.lock` : `${name}.lock.waiters`;
    }
    case 'pte': return `pte(page ${r.ptePage})[${r.index}]`;
    case 'ptl': return r.offset === 0 ? `ptl(page ${r.ptePage})` : `ptl(page ${r.ptePage}).waiters`;
    case 'mm': {
      const o = r.offset;
      if (o < LINE) return `mm${r.mm}.mmap_sem.${field(RW_FIELD_NAMES, o)}`;
      if (o < MM_PT_LOCK + 2) return o === MM_PT_LOCK ? `mm${r.mm}.page_table_lock` : `mm${r.mm}.page_table_lock.waiters`;
      if (MM_FIELDS[o] !== undefined) return `mm${r.mm}.${MM_FIELDS[o]}`;
      if (o >= MM_PGD && o < MM_PGD + lay.pgdEntries) return `mm${r.mm}.pgd[${o - MM_PGD}]`;
      return `mm${r.mm}[${o}]`;
    }
    case 'vma': {
      const name = `mm${r.mm}.vma${r.slot}`;
      return r.field < LINE ? `${name}.vm_lock.${field(RW_FIELD_NAMES, r.field - VMA_LOCK)}` : `${name}.${field(VMA_FIELDS, r.field)}`;
    }
    case 'user-ptr': return `mm${r.mm}.user_ptr[bo${r.obj}]`;
    case 'bo': {
      const o = r.offset;
      if (BO_FIELDS[o] !== undefined) return `bo${r.obj}.${BO_FIELDS[o]}`;
      if (o >= BO_BACKING && o < BO_BACKING + lay.cfg.pages) return `bo${r.obj}.backing[${o - BO_BACKING}]`;
      const m = o - BO_BACKING - lay.cfg.pages;
      return `bo${r.obj}.rmap[mm${m >> 1}]${m & 1 ? '.moving' : ''}`;
    }
    case 'i_mmap': return `i_mmap_rwsem.${field(RW_FIELD_NAMES, r.field)}`;
    case 'tlb': return `tlb[cpu${r.cpu}][${r.slot}].${field(TLB_FIELDS, r.field)}`;
    case 'none': return idx < 0 ? '-' : `word ${idx}`;
  }
}

/** The lock a word is part of: its instance ("mm0.mmap_sem", "bo1.resv", "ptl(page 3)",
 * "page2.lock"), the kernel's class of it (the classes lockdep and lockstat group instances by),
 * whether it is a reader-writer lock, and for an rwsem which of its fields the word is; null for a
 * word of no lock. */
function lockWord(lay: Layout, idx: number): { instance: string; cls: string; rw: boolean; rwField?: number } | null {
  const r = regionOf(lay, idx);
  switch (r.kind) {
    case 'mm':
      if (r.offset < LINE) return { instance: `mm${r.mm}.mmap_sem`, cls: 'mmap_lock', rw: true, rwField: r.offset };
      return r.offset === MM_PT_LOCK || r.offset === MM_PT_LOCK + 1 ? { instance: `mm${r.mm}.page_table_lock`, cls: 'page_table_lock', rw: false } : null;
    case 'vma': return r.field < LINE ? { instance: `mm${r.mm}.vma${r.slot}.vm_lock`, cls: 'vm_lock', rw: true, rwField: r.field - VMA_LOCK } : null;
    case 'i_mmap': return { instance: 'i_mmap_rwsem', cls: 'i_mmap_rwsem', rw: true, rwField: r.field };
    case 'ptl': return { instance: `ptl(page ${r.ptePage})`, cls: 'ptl', rw: false };
    case 'bo': return r.offset === BO_RESV || r.offset === BO_RESV + 1 ? { instance: `bo${r.obj}.resv`, cls: 'resv', rw: false } : null;
    case 'page': return r.field === PG_LOCKED || r.field === PG_LOCKED + 1 ? { instance: `page${r.page}.lock`, cls: 'page_lock', rw: false } : null;
    case 'alloc': return r.offset < AL_TOP ? { instance: `alloc[${POOLS[r.pool] ?? r.pool}].lock`, cls: 'frame_alloc', rw: false } : null;
    default: return null;
  }
}

/** The lock a word belongs to, or the word's own name when it is not part of a lock. */
export function lockOf(lay: Layout, idx: number): string {
  return lockWord(lay, idx)?.instance ?? describeWord(lay, idx);
}

/** The PTE word of `vpn` in `mm`, through mm's page table as `m` holds it (null: no table there). */
export function pteWordOf(lay: Layout, m: Int32Array, mm: number, vpn: number): number | null {
  const pp = (m[lay.mmw(mm, MM_PGD + Math.floor(vpn / lay.cfg.ptrsPerPte))] ?? 0) - 1;
  return pp >= 0 ? lay.pte(pp, vpn % lay.cfg.ptrsPerPte) : null;
}

/** The global frame that backs page `page` of `obj` as `m` holds it: the backing word is an index
 * into the pool the object's placement names (the one place the oracles turn one into the other). */
export function backingFrame(lay: Layout, m: Int32Array, obj: number, page: number): number {
  const pool = Atomics.load(m, lay.bow(obj, BO_PLACEMENT)) === PL_VRAM ? POOL_VRAM : POOL_SYSTEM;
  return lay.frame(pool, Atomics.load(m, lay.backing(obj, page)));
}

/** The words a violation names (its refs), as the run left the machine: the PTE of vpn in mm
 * (through mm's page table: its walks are the TLB fills, as a CPU's own TLB is not traced), the
 * frame's data, allocator state and struct page counts. With what they are, for the heading. */
export function refWords(lay: Layout, m: Int32Array, refs: ViolationRefs): { words: Set<number>; what: string[] } {
  const words = new Set<number>();
  const what: string[] = [];
  if (refs.vpn !== undefined && refs.mm !== undefined) {
    const pte = pteWordOf(lay, m, refs.mm, refs.vpn);
    if (pte !== null) words.add(pte);
    what.push(`the PTE of vpn ${refs.vpn} in mm ${refs.mm}`);
  }
  if (refs.frame !== undefined) {
    for (let w = 0; w < lay.cfg.wordsPerPage; w++) words.add(lay.word(refs.frame, w));
    words.add(lay.fo(refs.frame, FO_STATE));
    // a system page's counts (not its lock: every fault takes it)
    if (refs.frame < lay.sysFrames) for (const f of [PG_REFCOUNT, PG_MAPCOUNT, PG_PINCOUNT, PG_OWNER]) words.add(lay.page(refs.frame, f));
    what.push(`frame ${refs.frame}`);
  }
  return { words, what };
}

/** Whether `idx` is an mm's mmap_lock word (the timeline draws its readers and waiters). */
export function isMmapSem(lay: Layout, idx: number): boolean {
  const r = regionOf(lay, idx);
  return r.kind === 'mm' && r.offset === MM_MMAP_SEM;
}

/** An rwsem's words that are not the lock a profile follows: its internal spinlock, the wait-list
 * bookkeeping and the clock (and offsets past its fields). */
const RWSEM_INTERNAL = new Set([RW_WAIT_LOCK, RW_WAITLIST, RW_WAITLIST_W, RW_CLOCK]);

/** The kernel's class of the lock `idx` is a word of, whether it is a reader-writer lock, and the
 * lock's instance; null for a word of no lock, and for an rwsem's internal words. */
export function lockClassOf(lay: Layout, idx: number): { cls: string; rw: boolean; instance: string } | null {
  const l = lockWord(lay, idx);
  if (l === null || (l.rwField !== undefined && (RWSEM_INTERNAL.has(l.rwField) || l.rwField >= RW_FIELD_NAMES.length))) return null;
  return { cls: l.cls, rw: l.rw, instance: l.instance };
}
