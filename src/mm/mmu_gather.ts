// struct mmu_gather: collect the range of cleared PTEs and the pages they held, then
// (1) unhook, (2) TLB-invalidate, (3) free — never free before the flush (asm-generic/tlb.h).
import type { Task } from '../kernel/task.js';
import { label } from '../sched/labels.js';
import { put_page } from './frames.js';
import { dec_tlb_flush_pending, inc_tlb_flush_pending, mm_tlb_flush_nested } from './flush_pending.js';
import { flush_tlb_mm_range_send, flush_tlb_wait, type PendingAcks } from './tlb.js';

const L_PENDING = label('tlb:flush_pending');

export class MmuGather {
  mm = 0;
  start = Number.MAX_SAFE_INTEGER;
  end = 0;
  /** system pages whose PTE was cleared (the first npages entries): their reference is dropped
   * after the flush. A count rather than length = 0, which would drop the array's storage. */
  readonly pages: number[] = [];
  npages = 0;
  /** shootdown acks to wait for (kept here so a flush allocates nothing) */
  readonly acks: PendingAcks = [];

  /** __tlb_remove_page: a page to release once the TLBs no longer reach it */
  remove_page(sysIdx: number): void {
    this.pages[this.npages++] = sysIdx;
  }

  /** tlb_remove_tlb_entry: remember that vpn's translation must be flushed */
  remove_tlb_entry(vpn: number): void {
    if (vpn < this.start) this.start = vpn;
    if (vpn + 1 > this.end) this.end = vpn + 1;
  }
}

/** tlb_gather_mmu: announces a batched PTE change so concurrent zappers can detect nesting.
 * The gather lives on the stack in Linux; here each thread reuses a spare one (a new one only
 * if gathers ever nest on one thread). */
export function tlb_gather_mmu(t: Task, mm: number): MmuGather {
  inc_tlb_flush_pending(t, mm, L_PENDING);
  const tlb = t.spareGather ?? new MmuGather();
  t.spareGather = null;
  tlb.mm = mm;
  tlb.start = Number.MAX_SAFE_INTEGER;
  tlb.end = 0;
  return tlb;
}

/** tlb_flush_mmu_tlbonly: flush what was gathered so far (the pages are still freed only at the
 * finish) and start a new range. */
export function tlb_flush_mmu_tlbonly(t: Task, tlb: MmuGather): void {
  if (tlb.end > tlb.start && !t.bugs.noTlbFlush) {
    flush_tlb_mm_range_send(t, tlb.mm, tlb.start, tlb.end, tlb.acks);
    flush_tlb_wait(t, tlb.acks);
  }
  tlb.start = Number.MAX_SAFE_INTEGER;
  tlb.end = 0;
}

/**
 * tlb_finish_mmu: if another thread is zapping this mm at the same time (tlb_flush_pending > 1)
 * it may have cleared PTEs we found empty and not flushed yet, so flush the whole range we were
 * asked about even if we cleared nothing (the fix for the nested-zap race). With `defer`, the
 * IPIs are sent but the acks are left to the caller.
 */
export function tlb_finish_mmu(t: Task, tlb: MmuGather, rangeStart: number, rangeEnd: number, defer?: PendingAcks): void {
  const nested = mm_tlb_flush_nested(t, tlb.mm, L_PENDING) && !t.bugs.nestedZapSkipsFlush;
  if (nested) {
    tlb.start = Math.min(tlb.start, rangeStart);
    tlb.end = Math.max(tlb.end, rangeEnd);
  }
  if (defer === undefined) tlb_flush_mmu_tlbonly(t, tlb);
  else if (tlb.end > tlb.start && !t.bugs.noTlbFlush) flush_tlb_mm_range_send(t, tlb.mm, tlb.start, tlb.end, defer);
  const pages = tlb.pages;
  for (let i = 0; i < tlb.npages; i++) put_page(t, pages[i] as number);
  tlb.npages = 0;
  dec_tlb_flush_pending(t, tlb.mm, L_PENDING);
  t.spareGather = tlb;
}
