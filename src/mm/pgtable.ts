// Two-level page tables: a pgd per mm whose entries point at PTE pages allocated on demand, one
// split PTE lock (PTL) per PTE page. pgd population is serialised by mm->page_table_lock.
import type { Task } from '../kernel/task.js';
import { MM_PGD, MM_PT_LOCK, POOL_PTE } from '../shm/layout.js';
import { label } from '../sched/labels.js';
import { spin_lock, spin_unlock } from '../locking/spinlock.js';
import { alloc_frame, free_frame } from './frames.js';
import { _PAGE_ACCESSED, pte_mmu_valid, pte_young } from './pte.js';

const L_WALK_PGD = label('walk:pgd');
const L_WALK_PTE = label('walk:pte');
const L_MKYOUNG = label('pte:mkyoung');
const L_PTE_ALLOC = label('pte_alloc:pmd_populate');
const L_PTE_ZERO = label('pte_alloc:clear');

/** pgd_index: the PTE page slot covering vpn (an integer division: vpn is never negative). */
export function pgd_index(t: Task, vpn: number): number {
  return (vpn / t.cfg.ptrsPerPte) | 0;
}

/** pte_index: the PTE's position inside its PTE page. */
export function pte_index(t: Task, vpn: number): number {
  return vpn % t.cfg.ptrsPerPte;
}

export function pgd_entry(t: Task, mm: number, vpn: number): number {
  return t.lay.mmw(mm, MM_PGD + pgd_index(t, vpn));
}

/** The PTE page covering vpn, or -1: a lockless read, as the hardware walker does. */
export function pte_page(t: Task, mm: number, vpn: number, lbl = L_WALK_PGD): number {
  return t.a.load(pgd_entry(t, mm, vpn), lbl) - 1;
}

/** Hardware page walk: reads the PTE atomically, takes no lock. 0 when nothing is mapped. The
 * walker sets the accessed bit of a valid entry that lacks it with a locked update, and walks
 * again if the entry changed meanwhile (the TLB must get what the PTE held when it was set). */
export function walk(t: Task, mm: number, vpn: number): number {
  const pp = pte_page(t, mm, vpn);
  if (pp < 0) return 0;
  const ptep = t.lay.pte(pp, pte_index(t, vpn));
  for (;;) {
    const pte = t.a.load(ptep, L_WALK_PTE);
    if (!pte_mmu_valid(pte) || pte_young(pte)) return pte;
    if (t.a.cas(ptep, pte, pte | _PAGE_ACCESSED, L_MKYOUNG) === pte) return pte | _PAGE_ACCESSED;
  }
}

/** pte_alloc: the PTE page covering vpn, allocated first if the pgd entry is empty. The check
 * stays inline; the allocation is out of line, as in the kernel (pte_alloc → __pte_alloc). */
export function pte_alloc(t: Task, mm: number, vpn: number): number {
  const pgd = pgd_entry(t, mm, vpn);
  const cur = t.a.load(pgd, L_PTE_ALLOC) - 1;
  return cur >= 0 ? cur : __pte_alloc(t, mm, pgd);
}

/** __pte_alloc: allocate a PTE page outside the lock, install it under page_table_lock unless
 * another thread won the race, in which case ours goes back. Returns the PTE page. */
function __pte_alloc(t: Task, mm: number, pgd: number): number {
  const fresh = alloc_frame(t, POOL_PTE);
  if (fresh < 0) throw new Error('out of PTE pages (layout sized too small)');
  for (let i = 0; i < t.cfg.ptrsPerPte; i++) t.a.store(t.lay.pte(fresh, i), 0, L_PTE_ZERO);
  if (t.bugs.pteAllocWithoutLock) {
    // check-then-set with no lock: a racing thread's table (and the PTEs already in it) is lost
    t.a.store(pgd, fresh + 1, L_PTE_ALLOC);
    return fresh;
  }
  const ptl = t.lay.mmw(mm, MM_PT_LOCK);
  spin_lock(t, ptl, L_PTE_ALLOC);
  let pp = t.a.load(pgd, L_PTE_ALLOC) - 1;
  if (pp < 0) {
    t.a.store(pgd, fresh + 1, L_PTE_ALLOC);
    pp = fresh;
  }
  spin_unlock(t, ptl, L_PTE_ALLOC);
  if (pp !== fresh) free_frame(t, POOL_PTE, fresh);
  return pp;
}
