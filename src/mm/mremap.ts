// mremap under mmap_sem for write: growing a VMA in place, and (MREMAP_MAYMOVE | MREMAP_FIXED)
// moving a whole VMA to the object's other window: link the new VMA, move the PTEs table by
// table under both PTLs, then unlink the old VMA. A TLB may still hold an old address's
// translation once its PTE has moved, and the migrator (no mmap_sem) can zap the new address and
// free the page: so the old range is flushed before the PTLs are dropped (race R7).
import type { Task } from '../kernel/task.js';
import { BO_NPAGES, ST_MREMAPS, VM_DONTEXPAND, VM_PFNMAP, VMA_END, VMA_FLAGS, VMA_OBJ, VMA_PGOFF, VMA_START } from '../shm/layout.js';
import { label } from '../sched/labels.js';
import { spin_lock, spin_unlock } from '../locking/spinlock.js';
import { pgd_index, pte_alloc, pte_page } from './pgtable.js';
import { pte_present } from './pte.js';
import { find_vma, window_vpn } from './vma.js';
import { mmap_write_lock, mmap_write_unlock, vma_start_write } from './mmap_lock.js';
import { set_rmap, vma_insert, vma_remove } from './mmap.js';
import { set_pte_at } from './memory.js';
import { flush_tlb_mm_range } from './tlb.js';
import { flush_tlb_batched_pending } from './tlb_batch.js';
import { check_tlb_revoked } from '../check/tlb_coherence.js';

const L_MREMAP = label('mremap:mmap_sem');
const L_VMA = label('mremap:vma');
const L_OLD_PTL = label('move_ptes:old_ptl');
const L_NEW_PTL = label('move_ptes:new_ptl');

/** Moves the VMA at vpn to the other window of its object; returns the new window, or -1. */
export function do_mremap(t: Task, mm: number, vpn: number): number {
  const a = t.a;
  const lay = t.lay;
  mmap_write_lock(t, mm, L_MREMAP);
  const slot = find_vma(t, mm, vpn);
  let to = -1;
  if (slot >= 0) {
    const vma = lay.vma(mm, slot, 0);
    const obj = a.load(vma + VMA_OBJ, L_VMA);
    const start = a.load(vma + VMA_START, L_VMA);
    const len = a.load(vma + VMA_END, L_VMA) - start;
    to = slot === obj ? obj + t.cfg.objects : obj;
    const newStart = window_vpn(t, to) + (start - window_vpn(t, slot));
    // fork in 6.4 forgot this for the parent's VMAs (R11): faults under the VMA lock go on
    if (!t.bugs.vmaWriterSkipsLock) vma_start_write(t, mm, slot);
    vma_insert(t, mm, to, obj, newStart, len, a.load(vma + VMA_FLAGS, L_VMA));
    // both VMAs in the reverse map, old first, while the PTEs move: a zapper walking it finds
    // each PTE in one of them (the order that spares Linux its rmap locks here)
    set_rmap(t, mm, obj, slot + 1, to + 1);
    move_page_tables(t, mm, start, newStart, len);
    set_rmap(t, mm, obj, to + 1);
    vma_remove(t, mm, slot);
    t.count(ST_MREMAPS);
  }
  mmap_write_unlock(t, mm, L_MREMAP);
  return to;
}

/** Grows the VMA at vpn in place to the whole object; false if there is none or it is whole. */
export function do_mremap_grow(t: Task, mm: number, vpn: number): boolean {
  const a = t.a;
  mmap_write_lock(t, mm, L_MREMAP);
  const slot = find_vma(t, mm, vpn);
  let grown = false;
  // vma_to_resize: a VM_DONTEXPAND or VM_PFNMAP mapping cannot grow (-EFAULT)
  if (slot >= 0 && (a.load(t.lay.vma(mm, slot, VMA_FLAGS), L_VMA) & (VM_DONTEXPAND | VM_PFNMAP)) === 0) {
    const vma = t.lay.vma(mm, slot, 0);
    const end = a.load(vma + VMA_START, L_VMA) - a.load(vma + VMA_PGOFF, L_VMA) + a.load(t.lay.bow(a.load(vma + VMA_OBJ, L_VMA), BO_NPAGES), L_VMA);
    if (a.load(vma + VMA_END, L_VMA) < end) {
      vma_start_write(t, mm, slot);
      a.store(vma + VMA_END, end, L_VMA);
      grown = true;
      t.count(ST_MREMAPS);
    }
  }
  mmap_write_unlock(t, mm, L_MREMAP);
  return grown;
}

/** Moves the PTEs of [from, from + len) to `to`, one page table at a time. */
function move_page_tables(t: Task, mm: number, from: number, to: number, len: number): void {
  const ptrs = t.cfg.ptrsPerPte;
  let moved = false;
  for (let off = 0; off < len; ) {
    // a chunk never crosses a page table on either side
    const n = Math.min(len - off, (pgd_index(t, from + off) + 1) * ptrs - (from + off), (pgd_index(t, to + off) + 1) * ptrs - (to + off));
    if (pte_page(t, mm, from + off, L_OLD_PTL) >= 0) moved = move_ptes(t, mm, from + off, to + off, n) || moved;
    off += n;
  }
  // before eb66ae030829 the old range was flushed once, here, after every PTL was dropped
  if (moved && t.bugs.mremapFlushAfterUnlock) flush_tlb_mm_range(t, mm, from, from + len);
  check_tlb_revoked(t, mm, from, from + len, 'mremap (the old range)');
}

/** Moves n PTEs (and migration entries) within one old and one new page table; true if a present one moved. */
function move_ptes(t: Task, mm: number, from: number, to: number, n: number): boolean {
  const a = t.a;
  const lay = t.lay;
  const ptrs = t.cfg.ptrsPerPte;
  const newPp = pte_alloc(t, mm, to);
  const oldPp = pte_page(t, mm, from, L_OLD_PTL);
  spin_lock(t, lay.ptlOf(oldPp), L_OLD_PTL);
  // both windows may share one page table, and so one PTL
  const twoLocks = newPp !== oldPp;
  if (twoLocks) spin_lock(t, lay.ptlOf(newPp), L_NEW_PTL);
  // a migration entry moved below may hide a batched unmap's deferred flush of the old address
  flush_tlb_batched_pending(t, mm);
  let moved = false;
  for (let i = 0; i < n; i++) {
    const oldp = lay.pte(oldPp, (from + i) % ptrs);
    const pte = a.load(oldp, L_OLD_PTL);
    // a migration entry moves too: the migration finds it at the new address
    if (pte === 0) continue;
    a.store(oldp, 0, L_OLD_PTL);
    set_pte_at(t, mm, to + i, lay.pte(newPp, (to + i) % ptrs), pte, L_NEW_PTL);
    moved ||= pte_present(pte);
  }
  // the fix: no TLB may reach the page through the old address once the new PTL is dropped
  if (moved && !t.bugs.mremapFlushAfterUnlock) flush_tlb_mm_range(t, mm, from, from + n);
  if (twoLocks) spin_unlock(t, lay.ptlOf(newPp), L_NEW_PTL);
  spin_unlock(t, lay.ptlOf(oldPp), L_OLD_PTL);
  return moved;
}
