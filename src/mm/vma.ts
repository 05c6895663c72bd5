// The VMA table of an mm. Each object has one fixed address range and at most one VMA per mm,
// so the table is indexed by object: find_vma is O(1), the role Linux's maple tree plays.
// Readers hold mmap_sem for read, writers for write.
import type { Task } from '../kernel/task.js';
import { VMA_END, VMA_START } from '../shm/layout.js';
import { label } from '../sched/labels.js';

const L_FIND = label('find_vma');

/** The object whose fixed range holds vpn. */
export function vma_slot_of(t: Task, vpn: number): number {
  return (vpn / t.cfg.pages) | 0; // vpn is never negative
}

/** The slot of the VMA containing vpn, or -1. */
export function find_vma(t: Task, mm: number, vpn: number): number {
  const slot = vma_slot_of(t, vpn);
  if (slot >= t.lay.maxVmas) return -1;
  const vma = t.lay.vma(mm, slot, 0);
  const end = t.a.load(vma + VMA_END, L_FIND);
  if (end === 0 || vpn >= end || vpn < t.a.load(vma + VMA_START, L_FIND)) return -1;
  return slot;
}
