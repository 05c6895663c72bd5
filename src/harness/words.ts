// Names any word of the machine buffer for reports: "mm0.mmap_sem.count", "bo1.backing[2]",
// "pte(page 3)[5]", "frame 12 word 3", "ptl(page 3)", …
import {
  AL_STACK, BO_BACKING, FO_STATE, CTL_ABORT, CTL_CPUS_DONE, CTL_PROGRESS, CTL_QUIESCED, CTL_STOP, CTL_VIOLATIONS, BO_FENCE, BO_NPAGES, BO_PLACEMENT, BO_RESV, FO_STRIDE, IPI_STRIDE, LINE, LK_STRIDE, Layout, MM_CPUMASK,
  MM_FLUSH_PENDING, MM_LOCK_SEQ, MM_MAP_COUNT, MM_PGD, MM_PT_LOCK, MM_TLB_GEN, PG_MAPCOUNT, PG_OWNER, PG_PINCOUNT, PG_REFCOUNT, PG_STRIDE, RW_FIELD_NAMES, STAT_NAMES, STAT_STRIDE, TLB_STRIDE, VMA_STRIDE,
} from '../shm/layout.js';
import type { ViolationRefs } from '../check/violation.js';

const PAGE_FIELDS = ['refcount', 'mapcount', 'pincount', 'owner', 'lock', 'lock.waiters', 'anon'];
const VMA_FIELDS = ['start', 'end', 'flags', 'pgoff', 'obj', 'vm_lock_seq', 'attached'];
const IPI_FIELDS = ['req', 'ack', 'mm', 'start', 'end'];
const THREAD_FIELDS = ['wait_idx', 'cur_mm', 'ipi_pending', 'lazy', 'tlb_gen', 'woken'];
const POOLS = ['system', 'vram', 'pte'];
const CONTROL_WORDS: Record<number, string> = {
  [CTL_STOP]: 'stop', [CTL_ABORT]: 'abort', [CTL_VIOLATIONS]: 'violations', [CTL_QUIESCED]: 'quiesced', [CTL_CPUS_DONE]: 'cpus_done',
  [CTL_PROGRESS]: 'progress',
};

function lock(base: string, off: number): string {
  return off === 0 ? base : `${base}.waiters`;
}

export function describeWord(lay: Layout, idx: number): string {
  const cfg = lay.cfg;
  const within = (base: number, n: number): boolean => idx >= base && idx < base + n;
  if (idx < 0) return '-';
  if (idx < lay.stats) return CONTROL_WORDS[idx] ?? `control[${idx}]`;
  if (within(lay.stats, lay.threads * STAT_STRIDE)) return `stats[t${Math.floor((idx - lay.stats) / STAT_STRIDE)}].${STAT_NAMES[(idx - lay.stats) % STAT_STRIDE] ?? '?'}`;
  if (within(lay.thread, lay.threads * LINE)) return `thread${Math.floor((idx - lay.thread) / LINE)}.${THREAD_FIELDS[(idx - lay.thread) % LINE] ?? '?'}`;
  if (within(lay.ipi, cfg.cpus * lay.threads * IPI_STRIDE)) {
    const box = Math.floor((idx - lay.ipi) / IPI_STRIDE);
    return `ipi[to cpu${Math.floor(box / lay.threads)} from t${box % lay.threads}].${IPI_FIELDS[(idx - lay.ipi) % IPI_STRIDE] ?? '?'}`;
  }
  if (within(lay.frameOracle, lay.frames * FO_STRIDE)) return `frame ${Math.floor((idx - lay.frameOracle) / FO_STRIDE)}.${(idx - lay.frameOracle) % FO_STRIDE ? 'gen' : 'state'}`;
  if (within(lay.pageMeta, lay.sysFrames * PG_STRIDE)) return `page${Math.floor((idx - lay.pageMeta) / PG_STRIDE)}.${PAGE_FIELDS[(idx - lay.pageMeta) % PG_STRIDE] ?? '?'}`;
  if (within(lay.data, lay.frames * cfg.wordsPerPage)) return `frame ${Math.floor((idx - lay.data) / cfg.wordsPerPage)} word ${(idx - lay.data) % cfg.wordsPerPage}`;
  for (let pool = 0; pool < 3; pool++) {
    const base = lay.alloc[pool] as number;
    if (within(base, AL_STACK)) return `alloc[${POOLS[pool]}].${idx - base < 2 ? lock('lock', idx - base) : 'top'}`;
    if (idx >= base + AL_STACK && idx < (lay.alloc[pool + 1] ?? lay.ptes)) return `alloc[${POOLS[pool]}].stack[${idx - base - AL_STACK}]`;
  }
  if (within(lay.ptes, lay.ptePages * cfg.ptrsPerPte)) return `pte(page ${Math.floor((idx - lay.ptes) / cfg.ptrsPerPte)})[${(idx - lay.ptes) % cfg.ptrsPerPte}]`;
  if (within(lay.ptl, lay.ptePages * LK_STRIDE)) return lock(`ptl(page ${Math.floor((idx - lay.ptl) / LK_STRIDE)})`, (idx - lay.ptl) % LK_STRIDE);
  if (within(lay.mm, cfg.processes * lay.mmStride)) {
    const mm = Math.floor((idx - lay.mm) / lay.mmStride);
    const off = (idx - lay.mm) % lay.mmStride;
    if (off < LINE) return `mm${mm}.mmap_sem.${RW_FIELD_NAMES[off] ?? '?'}`;
    if (off < MM_PT_LOCK + 2) return lock(`mm${mm}.page_table_lock`, off - MM_PT_LOCK);
    const named: Record<number, string> = {
      [MM_CPUMASK]: 'cpumask', [MM_TLB_GEN]: 'tlb_gen', [MM_FLUSH_PENDING]: 'tlb_flush_pending', [MM_MAP_COUNT]: 'map_count', [MM_LOCK_SEQ]: 'mm_lock_seq',
    };
    if (named[off] !== undefined) return `mm${mm}.${named[off]}`;
    if (off >= MM_PGD && off < MM_PGD + lay.pgdEntries) return `mm${mm}.pgd[${off - MM_PGD}]`;
    const vmas = lay.vma(mm, 0, 0);
    const rel = idx - vmas;
    if (rel >= 0 && rel < lay.maxVmas * VMA_STRIDE) {
      const name = `mm${mm}.vma${Math.floor(rel / VMA_STRIDE)}`;
      const f = rel % VMA_STRIDE;
      if (f < LINE) return `${name}.vm_lock.${RW_FIELD_NAMES[f] ?? '?'}`;
      return `${name}.${VMA_FIELDS[f - LINE] ?? '?'}`;
    }
    if (idx >= lay.userPtr(mm, 0) && idx < lay.userPtr(mm, cfg.objects)) return `mm${mm}.user_ptr[bo${idx - lay.userPtr(mm, 0)}]`;
    return `mm${mm}[${off}]`;
  }
  if (within(lay.bo, cfg.objects * lay.boStride)) {
    const obj = Math.floor((idx - lay.bo) / lay.boStride);
    const off = (idx - lay.bo) % lay.boStride;
    if (off === BO_PLACEMENT) return `bo${obj}.placement`;
    if (off === BO_NPAGES) return `bo${obj}.npages`;
    if (off === BO_RESV || off === BO_RESV + 1) return lock(`bo${obj}.resv`, off - BO_RESV);
    if (off === BO_FENCE) return `bo${obj}.fence`;
    if (off >= BO_BACKING && off < BO_BACKING + cfg.pages) return `bo${obj}.backing[${off - BO_BACKING}]`;
    const r = off - BO_BACKING - cfg.pages;
    return `bo${obj}.rmap[mm${r >> 1}]${r & 1 ? '.moving' : ''}`;
  }
  if (within(lay.iMmap, LINE)) return `i_mmap_rwsem.${RW_FIELD_NAMES[idx - lay.iMmap] ?? '?'}`;
  if (within(lay.tlb, cfg.cpus * cfg.tlbEntries * TLB_STRIDE)) return `tlb[cpu${Math.floor((idx - lay.tlb) / (cfg.tlbEntries * TLB_STRIDE))}]`;
  return `word ${idx}`;
}

/** The lock a word belongs to ("mm0.mmap_sem", "bo1.resv", "ptl(page 3)", "page2.lock"), or the word's name. */
export function lockOf(lay: Layout, idx: number): string {
  return describeWord(lay, idx).replace(/\.(waiters|count|wait_lock(\.waiters)?|readers_waiting|writers_waiting|read_grant|writer_ticket|writer_next|owner|readers)$/, '');
}

/** The words a violation names (its refs), as the run left the machine: the PTE of vpn in mm
 * (through mm's page table: its walks are the TLB fills, as a CPU's own TLB is not traced), the
 * frame's data, allocator state and struct page counts. With what they are, for the heading. */
export function refWords(lay: Layout, m: Int32Array, refs: ViolationRefs): { words: Set<number>; what: string[] } {
  const cfg = lay.cfg;
  const words = new Set<number>();
  const what: string[] = [];
  if (refs.vpn !== undefined && refs.mm !== undefined) {
    const pte = pteWordOf(lay, m, refs.mm, refs.vpn);
    if (pte !== null) words.add(pte);
    what.push(`the PTE of vpn ${refs.vpn} in mm ${refs.mm}`);
  }
  if (refs.frame !== undefined) {
    for (let w = 0; w < cfg.wordsPerPage; w++) words.add(lay.word(refs.frame, w));
    words.add(lay.fo(refs.frame, FO_STATE));
    // a system page's counts (not its lock: every fault takes it)
    if (refs.frame < lay.sysFrames) for (const f of [PG_REFCOUNT, PG_MAPCOUNT, PG_PINCOUNT, PG_OWNER]) words.add(lay.page(refs.frame, f));
    what.push(`frame ${refs.frame}`);
  }
  return { words, what };
}

/** The PTE word of `vpn` in `mm`, through mm's page table as `m` holds it (null: no table there). */
export function pteWordOf(lay: Layout, m: Int32Array, mm: number, vpn: number): number | null {
  const pp = (m[lay.mmw(mm, MM_PGD + Math.floor(vpn / lay.cfg.ptrsPerPte))] ?? 0) - 1;
  return pp >= 0 ? lay.pte(pp, vpn % lay.cfg.ptrsPerPte) : null;
}
