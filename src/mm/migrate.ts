// Page migration of one system page of a buffer object (compaction, NUMA placement), the way
// mm/migrate.c moves a normal page: lock the page, unmap it everywhere through the reverse map
// with ptep_clear_flush, refuse if anyone else holds a reference (a GUP pin), copy, switch the
// object's backing, free the old page. The object stays reserved throughout, so no fault can map
// the page meanwhile. ptep_clear_flush flushes only entries a TLB may still hold (race R4).
import type { Task } from '../kernel/task.js';
import {
  BO_PLACEMENT, PG_MAPCOUNT, PG_OWNER, PG_PINCOUNT, PG_REFCOUNT, PL_SYSTEM, POOL_SYSTEM, ST_MIGRATIONS, VMA_END, VMA_PGOFF, VMA_START,
} from '../shm/layout.js';
import { label } from '../sched/labels.js';
import { down_read, up_read } from '../locking/rwsem.js';
import { spin_lock, spin_unlock } from '../locking/spinlock.js';
import { bo_fence_wait, dma_resv_lock, dma_resv_unlock } from '../drm/bo.js';
import { alloc_frame, free_frame, put_page } from './frames.js';
import { lock_page, unlock_page } from './filemap.js';
import { pte_page } from './pgtable.js';
import { pte_present } from './pte.js';
import { vm_normal_page } from './memory.js';
import { pte_accessible } from './mprotect.js';
import { flush_tlb_mm_range } from './tlb.js';
import { check_no_tlb_reaches } from '../check/frames.js';

const L_BO = label('migrate:bo');
const L_RMAP = label('migrate:rmap');
const L_PTL = label('try_to_migrate_one:ptl');
const L_COPY = label('migrate:copy');

/** Moves page `p` of `obj` to a fresh system frame; false if the object is not in system RAM,
 * memory is short, or the page is pinned. */
export function migrate_bo_page(t: Task, obj: number, p: number): boolean {
  const a = t.a;
  const lay = t.lay;
  dma_resv_lock(t, obj);
  bo_fence_wait(t, obj);
  const fresh = a.load(lay.bow(obj, BO_PLACEMENT), L_BO) === PL_SYSTEM ? alloc_frame(t, POOL_SYSTEM) : -1;
  if (fresh < 0) {
    dma_resv_unlock(t, obj);
    return false;
  }
  const old = a.load(lay.backing(obj, p), L_BO);
  lock_page(t, old);
  try_to_migrate(t, obj, p, old);
  if (!page_ref_freezable(t, old)) {
    unlock_page(t, old);
    free_frame(t, POOL_SYSTEM, fresh);
    dma_resv_unlock(t, obj);
    return false;
  }
  a.store(lay.page(fresh, PG_OWNER), ((obj << 16) | p) + 1, L_BO);
  check_no_tlb_reaches(t, old, 'copied out of');
  a.copy(lay.word(fresh, 0), lay.word(old, 0), t.cfg.wordsPerPage, L_COPY);
  a.store(lay.backing(obj, p), fresh, L_BO);
  a.store(lay.page(old, PG_OWNER), 0, L_BO);
  unlock_page(t, old);
  put_page(t, old);
  dma_resv_unlock(t, obj);
  t.count(ST_MIGRATIONS);
  return true;
}

/** folio_ref_freeze's test, for a page no PTE maps any more: only the object's own reference is
 * left. A pin or a zapper's gather whose flush is still in flight holds another. */
export function page_ref_freezable(t: Task, page: number): boolean {
  const refs = t.a.load(t.lay.page(page, PG_REFCOUNT), L_BO);
  // R9: the pins are not counted as references
  const pins = t.bugs.migratePinnedPage ? t.a.load(t.lay.page(page, PG_PINCOUNT), L_BO) : 0;
  return refs - pins === 1;
}

/** The reverse-map walk: clear every PTE mapping `page` with ptep_clear_flush. */
function try_to_migrate(t: Task, obj: number, p: number, page: number): void {
  const a = t.a;
  const lay = t.lay;
  down_read(t, lay.iMmap, L_RMAP);
  for (let r = 0; r < 2 * t.cfg.processes; r++) {
    const mm = r >> 1;
    const slot = a.load(lay.rmap(obj, mm, r & 1), L_RMAP) - 1;
    if (slot < 0) continue;
    const vma = lay.vma(mm, slot, 0);
    const vpn = a.load(vma + VMA_START, L_RMAP) - a.load(vma + VMA_PGOFF, L_RMAP) + p;
    if (vpn >= a.load(vma + VMA_END, L_RMAP)) continue;
    const pp = pte_page(t, mm, vpn, L_PTL);
    if (pp < 0) continue;
    spin_lock(t, lay.ptlOf(pp), L_PTL);
    const ptep = lay.pte(pp, vpn % t.cfg.ptrsPerPte);
    const pte = a.load(ptep, L_PTL);
    if (pte_present(pte) && vm_normal_page(t, vma, vpn, pte, L_PTL) === page) {
      ptep_clear_flush(t, mm, vpn, ptep, pte);
      a.add(lay.page(page, PG_MAPCOUNT), -1, L_PTL);
      put_page(t, page); // the PTE's reference; the object still holds its own
    }
    spin_unlock(t, lay.ptlOf(pp), L_PTL);
  }
  up_read(t, lay.iMmap, L_RMAP);
}

/** Clears one PTE and flushes it, unless no TLB can hold it. */
function ptep_clear_flush(t: Task, mm: number, vpn: number, ptep: number, pte: number): void {
  t.a.store(ptep, 0, L_PTL);
  if (pte_accessible(t, mm, pte, L_PTL)) flush_tlb_mm_range(t, mm, vpn, vpn + 1);
}
