// The VMA table of an mm. The address space is cut into windows of one object's size; object o
// is mapped at window o or, after an mremap, at window objects + o, and a window holds at most
// one VMA, so the table is indexed by window: find_vma is O(1), the role Linux's maple tree
// plays. Readers hold mmap_sem for read (or the VMA's own lock), writers hold it for write.
import type { Task } from '../kernel/task.js';
import { VMA_ATTACHED, VMA_END, VMA_IN_TREE, VMA_START } from '../shm/layout.js';
import { label } from '../sched/labels.js';

const L_FIND = label('find_vma');

/** The window (VMA slot) holding vpn. */
export function vma_slot_of(t: Task, vpn: number): number {
  return (vpn / t.cfg.pages) | 0; // vpn is never negative
}

/** The first page of a window. */
export function window_vpn(t: Task, window: number): number {
  return window * t.cfg.pages;
}

/** The slot of the VMA in the tree containing vpn, or -1. */
export function find_vma(t: Task, mm: number, vpn: number): number {
  const slot = vma_slot_of(t, vpn);
  if (slot >= t.lay.maxVmas) return -1;
  const vma = t.lay.vma(mm, slot, 0);
  const a = t.a;
  if (a.load(vma + VMA_ATTACHED, L_FIND) !== VMA_IN_TREE) return -1;
  if (vpn >= a.load(vma + VMA_END, L_FIND) || vpn < a.load(vma + VMA_START, L_FIND)) return -1;
  return slot;
}
