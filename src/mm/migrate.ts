// Page migration of one system page of an object's mapping (compaction, NUMA placement), the way
// mm/migrate.c moves a normal page in its asynchronous, batched mode: lock the page; through the
// reverse map, replace every PTE that maps it by a migration entry, deferring the flush
// (TTU_BATCH_FLUSH: the PTE is cleared under the PTL, the TLBs are flushed once for the batch
// after the PTLs are dropped, tlb_batch.ts; an entry no TLB may hold is not flushed at all: race
// R4); freeze the reference count with a compare-and-swap, which fails if anyone else holds a
// reference (a GUP pin, a zapper's gather); copy, switch the object's backing, and turn the
// migration entries into PTEs of the new page (or back into the old one when the freeze failed);
// unlock the page, which lets faults that met a migration entry go on; free the old page. The
// batch here is one page (Linux batches up to 512): one deferred flush opens the same window.
// What the driver needs around it (a buffer object's reservation) is the caller's (drm/bo_migrate.ts).
import type { Task } from '../kernel/task.js';
import {
  PG_MAPCOUNT, PG_OWNER, PG_PINCOUNT, PG_REFCOUNT, POOL_SYSTEM, ST_MIGRATIONS, VMA_FLAGS, VM_READ, VM_SHARED, VM_WRITE,
} from '../shm/layout.js';
import { label } from '../sched/labels.js';
import { spin_lock, spin_unlock } from '../locking/spinlock.js';
import { alloc_frame, free_frame, get_page, put_page } from './frames.js';
import { lock_page, migration_entry_wait_on_locked, unlock_page } from './filemap.js';
import { pte_page } from './pgtable.js';
import { rmap_walk } from './rmap.js';
import { is_migration_entry, make_migration_entry, mk_pte, pte_mkprotnone, pte_pfn, pte_present } from './pte.js';
import { ptep_modify_prot, vm_normal_page } from './memory.js';
import { pte_accessible } from './flush_pending.js';
import { flush_tlb_mm_range } from './tlb.js';
import { set_tlb_ubc_flush_pending, should_defer_flush, try_to_unmap_flush } from './tlb_batch.js';
import { check_no_tlb_reaches } from '../check/frames.js';
import type { VmFault } from './vm_fault.js';

const L_MAPPING = label('migrate:mapping');
const L_RMAP = label('migrate:rmap');
const L_PTL = label('try_to_migrate_one:ptl');
const L_COPY = label('migrate:copy');
const L_REF = label('migrate:ref_freeze');
const L_REMOVE = label('remove_migration_pte:ptl');
const L_WAIT = label('migration_entry_wait:ptl');

/** Moves page `p` of `obj` (in system RAM) to a fresh system frame; false if memory is short or
 * the page is in use (pinned, or gathered by a zapper whose flush has not landed). */
export function migrate_page(t: Task, obj: number, p: number): boolean {
  const a = t.a;
  const lay = t.lay;
  const fresh = alloc_frame(t, POOL_SYSTEM);
  if (fresh < 0) return false;
  const old = a.load(lay.backing(obj, p), L_MAPPING);
  lock_page(t, old);
  try_to_migrate(t, obj, p, old);
  try_to_unmap_flush(t);
  if (!folio_ref_freeze(t, old)) {
    remove_migration_ptes(t, obj, p, old, old);
    unlock_page(t, old);
    free_frame(t, POOL_SYSTEM, fresh);
    return false;
  }
  a.store(lay.page(fresh, PG_OWNER), ((obj << 16) | p) + 1, L_MAPPING);
  check_no_tlb_reaches(t, old, 'copied out of');
  a.copy(lay.word(fresh, 0), lay.word(old, 0), t.cfg.wordsPerPage, L_COPY);
  a.store(lay.backing(obj, p), fresh, L_MAPPING);
  remove_migration_ptes(t, obj, p, old, fresh);
  a.store(lay.page(old, PG_OWNER), 0, L_MAPPING);
  unlock_page(t, old);
  // frozen at zero: no reference is left to drop
  free_frame(t, POOL_SYSTEM, old);
  t.count(ST_MIGRATIONS);
  return true;
}

/** The references a page no PTE maps holds when only its object does: the object's own. A pin,
 * or a zapper's gather whose flush is still in flight, holds another. */
function expected_refs(t: Task, page: number, lbl: number): number {
  // R9: the pins are not counted as references
  return 1 + (t.bugs.migratePinnedPage ? t.a.load(t.lay.page(page, PG_PINCOUNT), lbl) : 0);
}

/** folio_ref_freeze: the count drops from the expected references to zero in one
 * compare-and-swap, so nobody can take a reference in between; it fails if anyone holds more. */
function folio_ref_freeze(t: Task, page: number): boolean {
  const expected = expected_refs(t, page, L_REF);
  return t.a.cas(t.lay.page(page, PG_REFCOUNT), expected, 0, L_REF) === expected;
}

/** The same test without the freeze, for the TTM move (it holds the page lock and the
 * reservation, and frees the page through the object's own reference). */
export function page_ref_freezable(t: Task, page: number): boolean {
  return t.a.load(t.lay.page(page, PG_REFCOUNT), L_MAPPING) === expected_refs(t, page, L_MAPPING);
}

/** The PTE of page `p` of `obj` in every VMA mapping it (the reverse-map walk), each handed to
 * `fn` with its PTL held. */
function walk_ptes(t: Task, obj: number, p: number, lbl: number, fn: (mm: number, vma: number, vpn: number, ptep: number) => void): void {
  const lay = t.lay;
  rmap_walk(t, obj, p, 1, L_RMAP, (mm, slot, vpn) => {
    const pp = pte_page(t, mm, vpn, lbl);
    if (pp < 0) return;
    spin_lock(t, lay.ptlOf(pp), lbl);
    fn(mm, lay.vma(mm, slot, 0), vpn, lay.pte(pp, vpn % t.cfg.ptrsPerPte));
    spin_unlock(t, lay.ptlOf(pp), lbl);
  });
}

/** try_to_migrate: every PTE mapping `page` is cleared, its flush deferred to the batch's (or
 * done at once if no other CPU runs the mm), then holds a migration entry; the PTE's mapcount
 * and reference go. */
function try_to_migrate(t: Task, obj: number, p: number, page: number): void {
  const a = t.a;
  walk_ptes(t, obj, p, L_PTL, (mm, vma, vpn, ptep) => {
    const pte = a.load(ptep, L_PTL);
    if (!pte_present(pte) || vm_normal_page(t, vma, vpn, pte, L_PTL) !== page) return;
    if (should_defer_flush(t, mm)) {
      a.store(ptep, 0, L_PTL); // ptep_get_and_clear
      set_tlb_ubc_flush_pending(t, mm, pte);
    } else ptep_clear_flush(t, mm, vpn, ptep, pte);
    a.store(ptep, make_migration_entry(page), L_PTL);
    a.add(t.lay.page(page, PG_MAPCOUNT), -1, L_PTL);
    put_page(t, page); // the PTE's reference; the object still holds its own
  });
}

/** remove_migration_ptes: each migration entry for `old` still in place maps `page` again, with
 * the VMA's protection as it is now (an mprotect may have changed it meanwhile). A zap may have
 * cleared an entry: that address stays unmapped. */
function remove_migration_ptes(t: Task, obj: number, p: number, old: number, page: number): void {
  const a = t.a;
  walk_ptes(t, obj, p, L_REMOVE, (mm, vma, vpn, ptep) => {
    const entry = a.load(ptep, L_REMOVE);
    if (!is_migration_entry(entry) || pte_pfn(entry) !== old) return;
    const flags = a.load(vma + VMA_FLAGS, L_REMOVE);
    const pte = mk_pte(page, false, (flags & (VM_SHARED | VM_WRITE)) === (VM_SHARED | VM_WRITE), false);
    get_page(t, page);
    a.add(t.lay.page(page, PG_MAPCOUNT), 1, L_REMOVE);
    ptep_modify_prot(t, mm, vpn, ptep, (flags & VM_READ) !== 0 ? pte : pte_mkprotnone(pte), L_REMOVE);
  });
}

/** Clears one PTE and flushes it, unless no TLB can hold it. */
function ptep_clear_flush(t: Task, mm: number, vpn: number, ptep: number, pte: number): void {
  t.a.store(ptep, 0, L_PTL);
  if (pte_accessible(t, mm, pte, L_PTL)) flush_tlb_mm_range(t, mm, vpn, vpn + 1);
}

/** migration_entry_wait: a fault met a migration entry. If it is still there under the PTL,
 * sleep until the migration unlocks the page; the access is retried either way. */
export function migration_entry_wait(t: Task, vmf: VmFault): number {
  const pp = pte_page(t, vmf.mm, vmf.vpn, L_WAIT);
  if (pp < 0) return 0;
  const ptl = t.lay.ptlOf(pp);
  spin_lock(t, ptl, L_WAIT);
  const entry = t.a.load(t.lay.pte(pp, vmf.vpn % t.cfg.ptrsPerPte), L_WAIT);
  if (is_migration_entry(entry)) migration_entry_wait_on_locked(t, pte_pfn(entry), ptl);
  else spin_unlock(t, ptl, L_WAIT);
  return 0;
}
