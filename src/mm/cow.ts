// Copy on write (mm/memory.c do_wp_page → wp_page_copy): a write to a read-only PTE of a private
// writable mapping gets the process its own anonymous copy of the page. do_wp_page looks at the
// entry under the PTL and takes a reference on its struct page; wp_page_copy allocates and copies
// with the PTL dropped (a mover can zap the entry meanwhile, but the reference keeps the source
// page from being freed or moved), then takes the PTL again and installs the copy only if the
// entry is still the one it copied from (pte_same), else discards it. A source without a struct
// page (a VRAM pfn) has no reference to hold: it is copied under the PTL once pte_same holds, as
// __wp_page_copy_user copies through the user mapping. The old entry is cleared and flushed before the new one is set, so
// no CPU ever holds both translations.
import type { Task } from '../kernel/task.js';
import { PG_ANON, PG_MAPCOUNT, POOL_SYSTEM, ST_COWS, VMA_OBJ, VMA_PGOFF, VMA_START } from '../shm/layout.js';
import { label } from '../sched/labels.js';
import { alloc_frame, get_page, put_page } from './frames.js';
import { get_locked_pte, pte_unlock, set_pte_at, vm_normal_page } from './memory.js';
import { mk_pte, pte_frame, pte_mmu_valid, pte_write } from './pte.js';
import { flush_tlb_mm_range } from './tlb.js';
import { VM_FAULT_OOM, type VmFault } from './vm_fault.js';

const L_WP = label('wp_page_copy:ptl');
const L_COPY = label('wp_page_copy:copy');

export function do_wp_page(t: Task, vmf: VmFault): number {
  const a = t.a;
  const { mm, vpn } = vmf;
  let ptep = get_locked_pte(t, mm, vpn, L_WP);
  const orig = a.load(ptep, L_WP);
  if (!pte_mmu_valid(orig) || pte_write(orig)) {
    // zapped or already copied since the walk: the access is retried
    pte_unlock(t, ptep, L_WP);
    return 0;
  }
  const old = vm_normal_page(t, vmf.vmaWord, vpn, orig, L_WP);
  if (old >= 0) get_page(t, old);
  pte_unlock(t, ptep, L_WP);
  // wp_page_copy: allocate (and, from a struct page, copy) with the PTL dropped
  const anon = alloc_frame(t, POOL_SYSTEM);
  if (anon >= 0 && old >= 0) copy_user_page(t, vmf, anon, pte_frame(t.lay, orig));
  ptep = get_locked_pte(t, mm, vpn, L_WP);
  if (anon < 0 || a.load(ptep, L_WP) !== orig) {
    // no memory, or !pte_same: the entry changed while the PTL was dropped; the copy goes
    pte_unlock(t, ptep, L_WP);
    if (anon >= 0) put_page(t, anon);
    if (old >= 0) put_page(t, old);
    return anon < 0 ? VM_FAULT_OOM : 0;
  }
  if (old < 0) copy_user_page(t, vmf, anon, pte_frame(t.lay, orig));
  a.store(t.lay.page(anon, PG_MAPCOUNT), 1, L_WP); // its one reference, from the allocation, is the PTE's
  a.store(ptep, 0, L_WP);
  // set before the flush, and one CPU may load the new entry while another still holds the old
  const late = t.bugs.cowSetBeforeFlush;
  if (!late) flush_tlb_mm_range(t, mm, vpn, vpn + 1);
  set_pte_at(t, mm, vpn, ptep, mk_pte(anon, false, true, false), L_WP);
  if (late) flush_tlb_mm_range(t, mm, vpn, vpn + 1);
  if (old >= 0) a.add(t.lay.page(old, PG_MAPCOUNT), -1, L_WP);
  pte_unlock(t, ptep, L_WP);
  if (old >= 0) {
    put_page(t, old); // the old PTE's reference
    put_page(t, old); // ours
  }
  t.count(ST_COWS);
  return 0;
}

/** The copy and its anon identity (this process's page of the object). */
function copy_user_page(t: Task, vmf: VmFault, anon: number, src: number): void {
  const a = t.a;
  const lay = t.lay;
  a.copy(lay.word(anon, 0), lay.word(src, 0), t.cfg.wordsPerPage, L_COPY);
  const obj = a.load(vmf.vmaWord + VMA_OBJ, L_WP);
  const base = a.load(vmf.vmaWord + VMA_START, L_WP) - a.load(vmf.vmaWord + VMA_PGOFF, L_WP);
  a.store(lay.page(anon, PG_ANON), lay.anonId(vmf.mm, obj, vmf.vpn - base), L_WP);
}
