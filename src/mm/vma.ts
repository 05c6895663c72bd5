// The VMA table of an mm. Readers hold mmap_sem for read, writers for write.
import type { Task } from '../kernel/task.js';
import { VMA_END, VMA_START } from '../shm/layout.js';
import { label } from '../sched/labels.js';

const L_FIND = label('find_vma');

/** The slot of the VMA containing vpn, or -1. */
export function find_vma(t: Task, mm: number, vpn: number): number {
  for (let slot = 0; slot < t.lay.maxVmas; slot++) {
    const end = t.a.load(t.lay.vma(mm, slot, VMA_END), L_FIND);
    if (end === 0 || vpn >= end) continue;
    if (vpn >= t.a.load(t.lay.vma(mm, slot, VMA_START), L_FIND)) return slot;
  }
  return -1;
}

export function free_vma_slot(t: Task, mm: number): number {
  for (let slot = 0; slot < t.lay.maxVmas; slot++) {
    if (t.a.load(t.lay.vma(mm, slot, VMA_END), L_FIND) === 0) return slot;
  }
  return -1;
}
