// get_user_pages with FOLL_PIN for one page, as a driver's DMA path uses it: look the page up
// under mmap_sem read and the PTL, and pin the struct page behind a normal PTE. Special PTEs
// (VRAM pfns) have no struct page: GUP fails on them (I10), the reason TTM maps with VM_PFNMAP.
import type { Task } from '../kernel/task.js';
import { MM_MMAP_SEM, PG_PINCOUNT, VM_IO, VM_PFNMAP, VMA_FLAGS } from '../shm/layout.js';
import { label } from '../sched/labels.js';
import { down_read, up_read } from '../locking/rwsem.js';
import { spin_lock, spin_unlock } from '../locking/spinlock.js';
import { get_page, put_page } from './frames.js';
import { pte_page } from './pgtable.js';
import { pte_mmu_valid, pte_write } from './pte.js';
import { vm_normal_page } from './memory.js';
import { find_vma } from './vma.js';

const L_GUP = label('gup:follow_page_pte');
const L_PIN = label('gup:pin');

export const GUP_NOT_PRESENT = -2;
export const GUP_FAULT = -1;

/** The pinned system page, GUP_NOT_PRESENT (fault it in and retry) or GUP_FAULT (no such page).
 * FOLL_PIN | FOLL_WRITE: the device will write. */
export function pin_user_page(t: Task, mm: number, vpn: number): number {
  const sem = t.lay.mmw(mm, MM_MMAP_SEM);
  down_read(t, sem, L_GUP);
  let page = GUP_FAULT;
  const slot = find_vma(t, mm, vpn);
  // check_vma_flags: no pages behind VM_IO or VM_PFNMAP mappings (TTM's since 5.14)
  if (slot >= 0 && (t.a.load(t.lay.vma(mm, slot, VMA_FLAGS), L_GUP) & (VM_IO | VM_PFNMAP)) === 0) {
    const pp = pte_page(t, mm, vpn, L_GUP);
    page = GUP_NOT_PRESENT;
    if (pp >= 0) {
      const ptl = t.lay.ptlOf(pp);
      spin_lock(t, ptl, L_GUP);
      const pte = t.a.load(t.lay.pte(pp, vpn % t.cfg.ptrsPerPte), L_GUP);
      // FOLL_WRITE: a read-only entry (a private page not yet copied) needs a write fault first;
      // a special one has no struct page, and vm_normal_page's -1 is GUP_FAULT
      if (pte_mmu_valid(pte) && pte_write(pte)) page = vm_normal_page(t, t.lay.vma(mm, slot, 0), vpn, pte, L_GUP);
      if (page >= 0) {
        get_page(t, page);
        t.a.add(t.lay.page(page, PG_PINCOUNT), 1, L_PIN);
      }
      spin_unlock(t, ptl, L_GUP);
    }
  }
  up_read(t, sem, L_GUP);
  return page;
}

export function unpin_user_page(t: Task, page: number): void {
  t.a.add(t.lay.page(page, PG_PINCOUNT), -1, L_PIN);
  put_page(t, page);
}
