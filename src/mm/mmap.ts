// mmap and munmap of a buffer object, under mmap_sem for write. munmap zaps and flushes before
// it unlinks the VMA from the object's reverse map, so a concurrent unmap_mapping_range either
// still sees the VMA (and forces a flush through the nested-zap check) or finds it fully gone.
import type { Task } from '../kernel/task.js';
import {
  BO_NPAGES, MM_MAP_COUNT, MM_MMAP_SEM, ST_MMAPS, ST_MUNMAPS, VMA_END, VMA_FLAGS, VMA_OBJ, VMA_PGOFF, VMA_START,
  VM_MIXEDMAP, VM_SHARED, VM_WRITE,
} from '../shm/layout.js';
import { label } from '../sched/labels.js';
import { down_write, up_write } from '../locking/rwsem.js';
import { vma_slot_of } from './vma.js';
import { zap_page_range_single } from './unmap.js';

const L_MMAP = label('mmap:mmap_sem');
const L_MUNMAP = label('munmap:mmap_sem');
const L_IMMAP = label('mmap:i_mmap');
const L_VMA = label('mmap:vma');

/** The object's fixed address in every mm (MAP_FIXED at the object's fake offset): a virtual
 * page always belongs to one object, so a CPU's idea of where an object lives never goes stale. */
export function bo_vpn(t: Task, obj: number, page: number): number {
  return obj * t.cfg.pages + page;
}

/** Maps the whole object shared and writable at its fixed address; returns the VMA slot, or -1 if
 * it was already mapped. */
export function do_mmap(t: Task, mm: number, obj: number): number {
  const a = t.a;
  const lay = t.lay;
  down_write(t, lay.mmw(mm, MM_MMAP_SEM), L_MMAP);
  let slot = -1;
  const pages = a.load(lay.bow(obj, BO_NPAGES), L_VMA);
  if (a.load(lay.rmap(obj, mm), L_VMA) === 0) {
    const start = bo_vpn(t, obj, 0);
    slot = vma_slot_of(t, start);
    a.store(lay.vma(mm, slot, VMA_START), start, L_VMA);
    a.store(lay.vma(mm, slot, VMA_PGOFF), 0, L_VMA);
    a.store(lay.vma(mm, slot, VMA_OBJ), obj, L_VMA);
    a.store(lay.vma(mm, slot, VMA_FLAGS), VM_MIXEDMAP | VM_SHARED | VM_WRITE, L_VMA);
    a.store(lay.vma(mm, slot, VMA_END), start + pages, L_VMA);
    a.add(lay.mmw(mm, MM_MAP_COUNT), 1, L_VMA);
    down_write(t, lay.iMmap, L_IMMAP);
    a.store(lay.rmap(obj, mm), slot + 1, L_IMMAP);
    up_write(t, lay.iMmap, L_IMMAP);
    t.count(ST_MMAPS);
  }
  up_write(t, lay.mmw(mm, MM_MMAP_SEM), L_MMAP);
  return slot;
}

export function do_munmap(t: Task, mm: number, obj: number): boolean {
  const a = t.a;
  const lay = t.lay;
  down_write(t, lay.mmw(mm, MM_MMAP_SEM), L_MUNMAP);
  const slot = a.load(lay.rmap(obj, mm), L_VMA) - 1;
  if (slot >= 0) {
    const start = a.load(lay.vma(mm, slot, VMA_START), L_VMA);
    const end = a.load(lay.vma(mm, slot, VMA_END), L_VMA);
    zap_page_range_single(t, mm, start, end);
    down_write(t, lay.iMmap, L_IMMAP);
    a.store(lay.rmap(obj, mm), 0, L_IMMAP);
    up_write(t, lay.iMmap, L_IMMAP);
    a.store(lay.vma(mm, slot, VMA_END), 0, L_VMA);
    a.store(lay.vma(mm, slot, VMA_START), 0, L_VMA);
    a.add(lay.mmw(mm, MM_MAP_COUNT), -1, L_VMA);
    t.count(ST_MUNMAPS);
  }
  up_write(t, lay.mmw(mm, MM_MMAP_SEM), L_MUNMAP);
  return slot >= 0;
}
