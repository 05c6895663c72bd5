// unmap_mapping_range: walk the device mapping's reverse map (every VMA in every process that
// maps the object) under i_mmap_rwsem read and zap each range, flushing TLBs before returning.
// It takes no mmap_sem: faults on the same mm run concurrently, excluded only by the reservation.
import type { Task } from '../kernel/task.js';
import { VMA_END, VMA_PGOFF, VMA_START } from '../shm/layout.js';
import { label } from '../sched/labels.js';
import { down_read, up_read } from '../locking/rwsem.js';
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
  const a = t.a;
  down_read(t, t.lay.iMmap, L_IMMAP);
  // a mapping mremap is moving has two VMAs, old first: every PTE is found in one of them
  for (let r = 0; r < 2 * t.cfg.processes; r++) {
    const mm = r >> 1;
    const slot = a.load(t.lay.rmap(obj, mm, r & 1), L_IMMAP) - 1;
    if (slot < 0) continue;
    const start = a.load(t.lay.vma(mm, slot, VMA_START), L_IMMAP);
    const end = a.load(t.lay.vma(mm, slot, VMA_END), L_IMMAP);
    const base = start - a.load(t.lay.vma(mm, slot, VMA_PGOFF), L_IMMAP);
    // only the part of the object this VMA maps (vma_interval_tree_foreach clips the same way)
    const lo = Math.max(start, base + first);
    const hi = Math.min(end, base + first + n);
    if (hi > lo) zap_page_range_single(t, mm, slot, lo, hi, defer);
  }
  up_read(t, t.lay.iMmap, L_IMMAP);
}
