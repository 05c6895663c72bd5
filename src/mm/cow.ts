// Copy on write (mm/memory.c do_wp_page → wp_page_copy): a write to a read-only PTE of a private
// writable mapping gets the process its own anonymous copy of the page. The copy is taken under
// the PTL, so a mover, which must zap this PTE before it frees the source frame, cannot free it
// meanwhile; the old entry is cleared and flushed before the new one is set, so no CPU ever
// holds both translations.
import type { Task } from '../kernel/task.js';
import { PG_ANON, PG_MAPCOUNT, POOL_SYSTEM, ST_COWS, VMA_OBJ, VMA_PGOFF, VMA_START } from '../shm/layout.js';
import { label } from '../sched/labels.js';
import { alloc_frame, free_frame, put_page } from './frames.js';
import { get_locked_pte, pte_unlock, set_pte_at, vm_normal_page } from './memory.js';
import { mk_pte, pte_frame, pte_mmu_valid, pte_write } from './pte.js';
import { flush_tlb_mm_range } from './tlb.js';
import { VM_FAULT_OOM, type VmFault } from './vm_fault.js';

const L_WP = label('wp_page_copy:ptl');
const L_COPY = label('wp_page_copy:copy');

export function do_wp_page(t: Task, vmf: VmFault): number {
  const a = t.a;
  const lay = t.lay;
  const { mm, vpn } = vmf;
  // the new page is allocated before the PTL is taken, as wp_page_copy does
  const anon = alloc_frame(t, POOL_SYSTEM);
  if (anon < 0) return VM_FAULT_OOM;
  const ptep = get_locked_pte(t, mm, vpn, L_WP);
  const pte = a.load(ptep, L_WP);
  if (!pte_mmu_valid(pte) || pte_write(pte)) {
    // zapped or already copied meanwhile (!pte_same): the access is retried
    pte_unlock(t, ptep, L_WP);
    free_frame(t, POOL_SYSTEM, anon);
    return 0;
  }
  const old = vm_normal_page(t, vmf.vmaWord, vpn, pte, L_WP);
  const src = pte_frame(lay, pte);
  a.copy(lay.word(anon, 0), lay.word(src, 0), t.cfg.wordsPerPage, L_COPY);
  const obj = a.load(vmf.vmaWord + VMA_OBJ, L_WP);
  const base = a.load(vmf.vmaWord + VMA_START, L_WP) - a.load(vmf.vmaWord + VMA_PGOFF, L_WP);
  a.store(lay.page(anon, PG_ANON), lay.anonId(mm, obj, vpn - base), L_WP);
  a.store(lay.page(anon, PG_MAPCOUNT), 1, L_WP); // its one reference, from the allocation, is the PTE's
  a.store(ptep, 0, L_WP);
  // set before the flush, and one CPU may load the new entry while another still holds the old
  const late = t.bugs.cowSetBeforeFlush;
  if (!late) flush_tlb_mm_range(t, mm, vpn, vpn + 1);
  set_pte_at(t, mm, vpn, ptep, mk_pte(anon, false, true, false), L_WP);
  if (late) flush_tlb_mm_range(t, mm, vpn, vpn + 1);
  if (old >= 0) a.add(lay.page(old, PG_MAPCOUNT), -1, L_WP);
  pte_unlock(t, ptep, L_WP);
  if (old >= 0) put_page(t, old);
  t.count(ST_COWS);
  return 0;
}
