// mmap and munmap of a buffer object. munmap in Linux 6.x's order: under mmap_lock for write it
// write-locks the VMA (per-VMA-lock faults drain first) and detaches it from the tree, so no new
// fault finds it; then it downgrades to mmap_lock for read (dd2283f2605e) and unmaps the region:
// zap, flush (forced for PFNMAP/MIXEDMAP VMAs, CVE-2022-39188), unlink from the object's reverse
// map (free_pgtables), finish the gather; the VMA is freed last. A concurrent unmap_mapping_range
// either still sees the VMA (and forces a flush through the nested-zap check) or finds it
// unlinked, after its TLB entries are gone.
import type { Task } from '../kernel/task.js';
import {
  BO_NPAGES, MM_LOCK_SEQ, MM_MAP_COUNT, ST_MMAPS, ST_MUNMAPS, VMA_ATTACHED, VMA_END, VMA_FLAGS, VMA_FREE, VMA_IN_TREE, VMA_LOCK_SEQ,
  VMA_OBJ, VMA_PGOFF, VMA_START, VMA_UNMAPPING, VM_MAYWRITE, VM_MIXEDMAP, VM_PFNMAP, VM_READ, VM_SHARED, VM_WRITE,
} from '../shm/layout.js';
import { label } from '../sched/labels.js';
import { down_write, up_write } from '../locking/rwsem.js';
import { find_vma, window_vpn } from './vma.js';
import { mmap_read_unlock, mmap_write_downgrade, mmap_write_lock, mmap_write_unlock, vma_start_write } from './mmap_lock.js';
import { tlb_finish_mmu, tlb_flush_mmu_tlbonly, tlb_gather_mmu } from './mmu_gather.js';
import { zap_pte_range } from './memory.js';
import { check_tlb_revoked } from '../check/tlb_coherence.js';

const L_MMAP = label('mmap:mmap_sem');
const L_MUNMAP = label('munmap:mmap_sem');
const L_IMMAP = label('mmap:i_mmap');
const L_VMA = label('mmap:vma');

/** Sets up VMA `slot` for `obj` over [start, start + len) and inserts it into the tree. It
 * starts write-locked, until mmap_sem is released. */
export function vma_insert(t: Task, mm: number, slot: number, obj: number, start: number, len: number, flags: number): void {
  const a = t.a;
  const lay = t.lay;
  a.store(lay.vma(mm, slot, VMA_LOCK_SEQ), a.load(lay.mmw(mm, MM_LOCK_SEQ), L_VMA), L_VMA);
  a.store(lay.vma(mm, slot, VMA_START), start, L_VMA);
  a.store(lay.vma(mm, slot, VMA_END), start + len, L_VMA);
  a.store(lay.vma(mm, slot, VMA_PGOFF), 0, L_VMA);
  a.store(lay.vma(mm, slot, VMA_OBJ), obj, L_VMA);
  a.store(lay.vma(mm, slot, VMA_FLAGS), flags, L_VMA);
  a.store(lay.vma(mm, slot, VMA_ATTACHED), VMA_IN_TREE, L_VMA);
  a.add(lay.mmw(mm, MM_MAP_COUNT), 1, L_VMA);
}

/** Frees the VMA (out of the tree, if it still was). A freed VMA keeps its fields, as a
 * vm_area_struct waiting for its RCU grace period does. */
export function vma_remove(t: Task, mm: number, slot: number): void {
  t.a.store(t.lay.vma(mm, slot, VMA_ATTACHED), VMA_FREE, L_VMA);
  t.a.add(t.lay.mmw(mm, MM_MAP_COUNT), -1, L_VMA);
}

/** Sets the object's reverse-map entries for mm (window + 1, 0 for none; see Layout.rmap). */
export function set_rmap(t: Task, mm: number, obj: number, first: number, second = 0): void {
  down_write(t, t.lay.iMmap, L_IMMAP);
  t.a.store(t.lay.rmap(obj, mm, 0), first, L_IMMAP);
  t.a.store(t.lay.rmap(obj, mm, 1), second, L_IMMAP);
  up_write(t, t.lay.iMmap, L_IMMAP);
}

/** The VMA flags of an object mapping: shared, or private (copy on write), with what the
 * driver's mmap adds; -1 if the driver refuses it. */
function bo_vm_flags(t: Task, priv: boolean): number {
  const driver = t.vmOps.mmap(t, priv);
  if (driver < 0) return -1;
  return driver | VM_READ | VM_WRITE | VM_MAYWRITE | (priv ? 0 : VM_SHARED);
}

/** Maps the first `len` pages of the object (all when 0), shared or private, at its home
 * window (MAP_FIXED at the object's fake offset). Returns the window, or -1 if the object is
 * already mapped in this mm. */
export function do_mmap(t: Task, mm: number, obj: number, len = 0, priv = false): number {
  const a = t.a;
  const lay = t.lay;
  mmap_write_lock(t, mm, L_MMAP);
  let slot = -1;
  const pages = a.load(lay.bow(obj, BO_NPAGES), L_VMA);
  const flags = bo_vm_flags(t, priv);
  if (flags >= 0 && a.load(lay.rmap(obj, mm), L_VMA) === 0) {
    slot = obj;
    vma_insert(t, mm, slot, obj, window_vpn(t, slot), len > 0 ? Math.min(len, pages) : pages, flags);
    set_rmap(t, mm, obj, slot + 1);
    t.count(ST_MMAPS);
  }
  mmap_write_unlock(t, mm, L_MMAP);
  return slot;
}

/** munmap of the VMA at vpn; false if there is none. */
export function do_munmap(t: Task, mm: number, vpn: number): boolean {
  mmap_write_lock(t, mm, L_MUNMAP);
  const slot = find_vma(t, mm, vpn);
  if (slot < 0) {
    mmap_write_unlock(t, mm, L_MUNMAP);
    return false;
  }
  vma_start_write(t, mm, slot);
  t.a.store(t.lay.vma(mm, slot, VMA_ATTACHED), VMA_UNMAPPING, L_VMA);
  mmap_write_downgrade(t, mm, L_MUNMAP);
  unmap_region(t, mm, slot);
  vma_remove(t, mm, slot);
  mmap_read_unlock(t, mm, L_MUNMAP);
  t.count(ST_MUNMAPS);
  return true;
}

/** unmap_region: zap the VMA's pages, flush, unlink it from the object's reverse map, then free
 * the gathered pages. */
function unmap_region(t: Task, mm: number, slot: number): void {
  const a = t.a;
  const vma = t.lay.vma(mm, slot, 0);
  const start = a.load(vma + VMA_START, L_VMA);
  const end = a.load(vma + VMA_END, L_VMA);
  const tlb = tlb_gather_mmu(t, mm);
  zap_pte_range(t, tlb, vma, start, end);
  // tlb_end_vma: a driver's unmap_mapping_range that no longer finds the VMA returns at once, so
  // the TLBs must not reach its pfns by then (before the fix the flush came at the finish)
  const pfn = (a.load(vma + VMA_FLAGS, L_VMA) & (VM_PFNMAP | VM_MIXEDMAP)) !== 0;
  if (pfn && !t.bugs.munmapUnlinkBeforeFlush) tlb_flush_mmu_tlbonly(t, tlb);
  set_rmap(t, mm, a.load(vma + VMA_OBJ, L_VMA), 0);
  tlb_finish_mmu(t, tlb, start, end);
  check_tlb_revoked(t, mm, start, end, 'munmap');
}
