// The reverse map of an object (a file's i_mmap): every VMA in every process that maps it, walked
// under i_mmap_rwsem for read. While mremap moves a mapping both VMAs are in it, old first, so a
// walker finds each PTE in one of them.
import type { Task } from '../kernel/task.js';
import { VMA_END, VMA_PGOFF, VMA_START } from '../shm/layout.js';
import { down_read, up_read } from '../locking/rwsem.js';

/** Calls `fn` for each VMA mapping some of the object's pages [first, first + n), with the part
 * of the VMA's address range that maps them (vma_interval_tree_foreach clips the same way). */
export function rmap_walk(t: Task, obj: number, first: number, n: number, lbl: number, fn: (mm: number, slot: number, lo: number, hi: number) => void): void {
  const a = t.a;
  const lay = t.lay;
  down_read(t, lay.iMmap, lbl);
  for (let r = 0; r < 2 * t.cfg.processes; r++) {
    const mm = r >> 1;
    const slot = a.load(lay.rmap(obj, mm, r & 1), lbl) - 1;
    if (slot < 0) continue;
    const start = a.load(lay.vma(mm, slot, VMA_START), lbl);
    const end = a.load(lay.vma(mm, slot, VMA_END), lbl);
    const base = start - a.load(lay.vma(mm, slot, VMA_PGOFF), lbl);
    const lo = Math.max(start, base + first);
    const hi = Math.min(end, base + first + n);
    if (hi > lo) fn(mm, slot, lo, hi);
  }
  up_read(t, lay.iMmap, lbl);
}
