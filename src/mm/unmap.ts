// unmap_mapping_range: walk the device mapping's reverse map (every VMA in every process that
// maps the object) and zap each range, flushing TLBs before returning.
// It takes no mmap_sem: faults on the same mm run concurrently, excluded only by the reservation.
import type { Task } from '../kernel/task.js';
import { label } from '../sched/labels.js';
import { rmap_walk } from './rmap.js';
import { tlb_finish_mmu, tlb_gather_mmu } from './mmu_gather.js';
import { zap_pte_range } from './memory.js';
import type { PendingAcks } from './tlb.js';

const L_IMMAP = label('unmap_mapping_range:i_mmap');

/** zap_page_range_single: a sub-range of VMA `slot`, gathered and flushed. */
export function zap_page_range_single(t: Task, mm: number, slot: number, start: number, end: number, defer?: PendingAcks): void {
  const tlb = tlb_gather_mmu(t, mm);
  zap_pte_range(t, tlb, t.lay.vma(mm, slot, 0), start, end);
  tlb_finish_mmu(t, tlb, start, end, defer);
}

/** Zaps object pages [first, first + n) everywhere they are mapped. With `defer` the shootdown
 * acks are left to the caller (only the free-before-flush bug does that). */
export function unmap_mapping_range(t: Task, obj: number, first: number, n: number, defer?: PendingAcks): void {
  rmap_walk(t, obj, first, n, L_IMMAP, (mm, slot, lo, hi) => zap_page_range_single(t, mm, slot, lo, hi, defer));
}
