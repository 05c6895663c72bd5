// madvise(MADV_DONTNEED): drop the PTEs of a range under mmap_sem held for read, so it can run
// at the same time as the migrator's unmap_mapping_range on the same PTEs: two zappers, one of
// which may find the PTEs already clear (the nested-zap case tlb_finish_mmu must handle).
import type { Task } from '../kernel/task.js';
import { MM_MMAP_SEM, VM_PFNMAP, VMA_END, VMA_FLAGS, VMA_START } from '../shm/layout.js';
import { label } from '../sched/labels.js';
import { down_read, up_read } from '../locking/rwsem.js';
import { find_vma } from './vma.js';
import { zap_page_range_single } from './unmap.js';

const L_MADVISE = label('madvise:mmap_sem');
const L_VMA = label('madvise:vma');

export function madvise_dontneed(t: Task, mm: number, vpn: number, pages: number): void {
  const sem = t.lay.mmw(mm, MM_MMAP_SEM);
  down_read(t, sem, L_MADVISE);
  const vma = find_vma(t, mm, vpn);
  // can_madv_lru_vma: MADV_DONTNEED is refused (-EINVAL) on VM_PFNMAP mappings
  if (vma >= 0 && (t.a.load(t.lay.vma(mm, vma, VMA_FLAGS), L_VMA) & VM_PFNMAP) === 0) {
    const end = Math.min(vpn + pages, t.a.load(t.lay.vma(mm, vma, VMA_END), L_VMA));
    const start = Math.max(vpn, t.a.load(t.lay.vma(mm, vma, VMA_START), L_VMA));
    if (end > start) zap_page_range_single(t, mm, vma, start, end);
  }
  up_read(t, sem, L_MADVISE);
}
