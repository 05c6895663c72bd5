// Batched unmap TLB flush (mm/rmap.c, struct tlbflush_unmap_batch; TTU_BATCH_FLUSH): an unmapper
// that does not hold mmap_lock (page migration since 6.4, 7e12beb8ca2a; reclaim since 4.3)
// clears PTEs under the PTL and defers the flush to one try_to_unmap_flush for the whole batch,
// after the PTLs are dropped. Meanwhile another CPU may still cache a cleared entry, and nothing in
// the page table says so: a zap, mprotect or mremap that finds the PTE already gone would return
// with that CPU still reaching the page. So the unmapper counts each deferral in the mm's
// tlb_flush_batched, and those callers flush the mm under the PTL while any is uncovered
// (flush_tlb_batched_pending, 3ea277194daa).
import type { Task } from '../kernel/task.js';
import { MM_CPUMASK, MM_TLB_FLUSH_BATCHED } from '../shm/layout.js';
import { label } from '../sched/labels.js';
import { pte_accessible } from './flush_pending.js';
import { flush_tlb_mm } from './tlb.js';

const L_BATCHED = label('tlb:flush_batched');
const L_MASK = label('tlb:flush:cpumask');

const PENDING_MASK = 0xffff;
const FLUSHED_SHIFT = 16;
/** past this many uncovered deferrals the count restarts at 1, so pending never wraps onto flushed */
const PENDING_LARGE = PENDING_MASK >> 1;

/** should_defer_flush (x86's arch_tlbbatch_should_defer): worth batching only if a CPU other than
 * this one may cache the mm's entries. */
export function should_defer_flush(t: Task, mm: number): boolean {
  return (t.a.load(t.lay.mmw(mm, MM_CPUMASK), L_MASK) & ~(1 << t.tid)) !== 0;
}

/** set_tlb_ubc_flush_pending: the PTE `pte` was cleared without a flush; remember to flush mm,
 * and count the deferral where other unmappers of mm look. An entry no TLB can hold needs neither. */
export function set_tlb_ubc_flush_pending(t: Task, mm: number, pte: number): void {
  if (!pte_accessible(t, mm, pte, L_BATCHED)) return;
  t.ubcMms |= 1 << mm;
  const word = t.lay.mmw(mm, MM_TLB_FLUSH_BATCHED);
  for (;;) {
    const batch = t.a.load(word, L_BATCHED);
    if ((batch & PENDING_MASK) <= PENDING_LARGE) {
      t.a.add(word, 1, L_BATCHED);
      return;
    }
    if (t.a.cas(word, batch, 1, L_BATCHED) === batch) return;
  }
}

/** try_to_unmap_flush: flush every mm this thread deferred a flush for. The mm's count is left
 * as it is: only flush_tlb_batched_pending, which flushes the whole mm, may cover it. */
export function try_to_unmap_flush(t: Task): void {
  for (let mm = 0, mms = t.ubcMms; mms !== 0; mm++, mms >>>= 1) if (mms & 1) flush_tlb_mm(t, mm);
  t.ubcMms = 0;
}

/** flush_tlb_batched_pending, called with a PTL held: if an unmapper deferred a flush that no one
 * has covered yet, the PTE this caller finds cleared may still be cached: flush the mm. A deferral
 * counted during the flush keeps the count uncovered (the compare-and-swap fails). */
export function flush_tlb_batched_pending(t: Task, mm: number): void {
  if (t.bugs.noFlushBatchedPending) return;
  const word = t.lay.mmw(mm, MM_TLB_FLUSH_BATCHED);
  const batch = t.a.load(word, L_BATCHED);
  const pending = batch & PENDING_MASK;
  if (pending === batch >>> FLUSHED_SHIFT) return;
  flush_tlb_mm(t, mm);
  t.a.cas(word, batch, pending | (pending << FLUSHED_SHIFT), L_BATCHED);
}
