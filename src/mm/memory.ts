// mm/memory.c: installing PTEs (insert_pfn, insert_page, finish_fault's set_pte_at) and zapping
// them (zap_pte_range). Every PTE write happens under the PTE page's split lock.
import type { Task } from '../kernel/task.js';
import { PG_MAPCOUNT, ST_PTE_INSTALLS, ST_PTES_UNUSED, VMA_END, VMA_FLAGS, VMA_PGOFF, VMA_START, VM_MAYWRITE, VM_MIXEDMAP, VM_PFNMAP, VM_SHARED } from '../shm/layout.js';
import { label } from '../sched/labels.js';
import { spin_lock, spin_unlock } from '../locking/spinlock.js';
import { check_set_pte } from '../check/pte.js';
import { check_tlb_coherent } from '../check/tlb_coherence.js';
import { get_page } from './frames.js';
import { pgd_index, pte_alloc, pte_index, pte_page } from './pgtable.js';
import { is_migration_entry, mk_pte, pte_pfn, pte_present, pte_special, pte_vram, pte_young } from './pte.js';
import type { MmuGather } from './mmu_gather.js';
import { flush_tlb_batched_pending } from './tlb_batch.js';
import { flush_tlb_mm_range } from './tlb.js';
import { VM_FAULT_NOPAGE, VM_FAULT_SIGBUS } from './vm_fault.js';

const L_INSERT = label('fault:insert_pfn:ptl');
const L_INSERT_PAGE = label('fault:insert_page:ptl');
const L_ZAP = label('zap_pte_range:ptl');
const L_MAPCOUNT = label('page:mapcount');

/** insert_page's errors, as the kernel's negative errnos */
export const EFAULT = -14;
export const EBUSY = -16;

/** get_locked_pte: allocate the PTE page if needed and take its PTL. Returns the PTE word. */
export function get_locked_pte(t: Task, mm: number, vpn: number, lbl: number): number {
  const pp = pte_alloc(t, mm, vpn);
  spin_lock(t, t.lay.ptlOf(pp), lbl);
  return t.lay.pte(pp, pte_index(t, vpn));
}

/** pte_unmap_unlock: the PTL of the PTE page holding `ptep`. */
export function pte_unlock(t: Task, ptep: number, lbl: number): void {
  spin_unlock(t, t.lay.ptlOf(((ptep - t.lay.ptes) / t.cfg.ptrsPerPte) | 0), lbl);
}

/** set_pte_at: the oracles check the entry was not present and that no TLB still holds a
 * translation the new entry does not allow. */
export function set_pte_at(t: Task, mm: number, vpn: number, ptep: number, pte: number, lbl: number): void {
  const a = t.a;
  check_set_pte(t, a.peek(ptep), vpn, mm);
  a.store(ptep, pte, lbl);
  check_tlb_coherent(t, mm, vpn, pte);
  t.count(ST_PTE_INSTALLS);
  if (t.probe.on) t.probe.instant('pte install', 'mm', { mm, vpn, pte: `0x${(pte >>> 0).toString(16)}` });
}

/** ptep_modify_prot_commit: a present entry changed in place (a protection change). The only
 * other writes to a PTE clear it. */
export function ptep_modify_prot(t: Task, mm: number, vpn: number, ptep: number, pte: number, lbl: number): void {
  t.a.store(ptep, pte, lbl);
  check_tlb_coherent(t, mm, vpn, pte);
}

/** The helpers refuse an address outside the VMA (vmf_insert_pfn_prot: SIGBUS; vm_insert_page:
 * -EFAULT). The 2006 proposal's io_remap_pfn_range-like helper did not look: the
 * prefault-past-vma-end switch stands for it. */
function outside_vma(t: Task, vma: number, vpn: number, lbl: number): boolean {
  if (t.bugs.prefaultPastVmaEnd) return false;
  return vpn < t.a.load(vma + VMA_START, lbl) || vpn >= t.a.load(vma + VMA_END, lbl);
}

/**
 * insert_pfn (vmf_insert_pfn_prot): the one-page, race-tolerant helper from the 2006 thread.
 * Under the PTL: if another CPU already set the PTE do nothing and still report success
 * (VM_FAULT_NOPAGE). With the remap-bug-on-set switch it behaves like remap_pfn_range, which
 * assumes an empty range and writes unconditionally.
 */
export function insert_pfn(t: Task, mm: number, vma: number, vpn: number, pfn: number, vram: boolean, write: boolean, young = true): number {
  if (outside_vma(t, vma, vpn, L_INSERT)) return VM_FAULT_SIGBUS;
  const ptep = get_locked_pte(t, mm, vpn, L_INSERT);
  if (t.bugs.remapBugOnSet || t.a.load(ptep, L_INSERT) === 0) {
    set_pte_at(t, mm, vpn, ptep, mk_pte(pfn, vram, write, true, young), L_INSERT);
  }
  pte_unlock(t, ptep, L_INSERT);
  return VM_FAULT_NOPAGE;
}

/**
 * insert_page (vm_insert_page, what vmf_insert_mixed uses for a pfn with a struct page): a
 * normal, refcounted PTE. Returns 0, EBUSY if the PTE was already set, EFAULT outside the VMA.
 */
export function insert_page(t: Task, mm: number, vma: number, vpn: number, sysIdx: number, write: boolean, takeRef: boolean, young = true, lbl = L_INSERT_PAGE): number {
  if (outside_vma(t, vma, vpn, lbl)) return EFAULT;
  const ptep = get_locked_pte(t, mm, vpn, lbl);
  const a = t.a;
  const busy = a.load(ptep, lbl) !== 0;
  if (!busy) {
    if (takeRef) get_page(t, sysIdx);
    a.add(t.lay.page(sysIdx, PG_MAPCOUNT), 1, L_MAPCOUNT);
    set_pte_at(t, mm, vpn, ptep, mk_pte(sysIdx, false, write, false, young), lbl);
  }
  pte_unlock(t, ptep, lbl);
  return busy ? EBUSY : 0;
}

function is_cow_mapping(flags: number): boolean {
  return (flags & (VM_SHARED | VM_MAYWRITE)) === VM_MAYWRITE;
}

/**
 * vm_normal_page: the struct page (system page) behind a PTE of the VMA at `vma`, or -1 for a
 * special mapping, which is never refcounted or rmapped. With pte_special the PTE says so. An
 * arch without it (the cow-pfnmap-pgoff-rule bug) must guess from the VMA: VM_MIXEDMAP maps a
 * struct page iff the pfn has one; VM_PFNMAP is special only where pfn == vm_pgoff + offset (the
 * rule remap_pfn_range establishes), or when nothing can have been COWed.
 */
export function vm_normal_page(t: Task, vma: number, vpn: number, pte: number, lbl: number): number {
  if (!t.bugs.cowPfnmapPgoffRule) return pte_special(pte) ? -1 : pte_pfn(pte);
  const a = t.a;
  const flags = a.load(vma + VMA_FLAGS, lbl);
  if (flags & VM_MIXEDMAP) return pte_vram(pte) ? -1 : pte_pfn(pte);
  if (flags & VM_PFNMAP) {
    if (pte_pfn(pte) === a.load(vma + VMA_PGOFF, lbl) + vpn - a.load(vma + VMA_START, lbl)) return -1;
    if (!is_cow_mapping(flags)) return -1;
  }
  return pte_pfn(pte); // a COWed page, as far as this arch can tell
}

/** zap_pte_range over [start, end) of the VMA at `vma` in one mm: clear each present PTE under
 * its PTL and record the range (and the pages to release) in the gather; the flush comes later.
 * A PTE found clear may be a batched unmap's whose flush is still deferred: that is flushed first.
 * Private COW pages go too (even_cows, as unmap_mapping_range is called by DRM). */
export function zap_pte_range(t: Task, tlb: MmuGather, vma: number, start: number, end: number): void {
  const a = t.a;
  const ptrs = t.cfg.ptrsPerPte;
  for (let vpn = start; vpn < end; ) {
    const tableStart = pgd_index(t, vpn) * ptrs;
    const tableEnd = Math.min(end, tableStart + ptrs);
    const pp = pte_page(t, tlb.mm, vpn, L_ZAP);
    if (pp >= 0) {
      const ptl = t.lay.ptlOf(pp);
      // PTEs of one page table are consecutive words: step the PTE word along with vpn
      const ptep0 = t.lay.pte(pp, 0) - tableStart;
      spin_lock(t, ptl, L_ZAP);
      flush_tlb_batched_pending(t, tlb.mm);
      for (let v = vpn; v < tableEnd; v++) {
        const ptep = ptep0 + v;
        const pte = a.load(ptep, L_ZAP);
        if (!pte_present(pte)) {
          // a migration entry holds no reference: clear it, and the migration maps nothing here
          if (is_migration_entry(pte)) a.store(ptep, 0, L_ZAP);
          continue;
        }
        a.store(ptep, 0, L_ZAP);
        // a prefaulted entry no access ever loaded (the cost side of prefaulting)
        if (!pte_young(pte)) t.count(ST_PTES_UNUSED);
        // --zap-flush page: each PTE flushed as it goes (what the gather saves)
        if (t.zapFlushPage) flush_tlb_mm_range(t, tlb.mm, v, v + 1);
        else tlb.remove_tlb_entry(v);
        const page = vm_normal_page(t, vma, v, pte, L_ZAP);
        if (page >= 0) {
          a.add(t.lay.page(page, PG_MAPCOUNT), -1, L_MAPCOUNT);
          tlb.remove_page(page);
        }
      }
      spin_unlock(t, ptl, L_ZAP);
    }
    vpn = tableEnd;
  }
}
