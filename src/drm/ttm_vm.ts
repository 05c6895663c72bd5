// TTM's fault handler (ttm_bo_vm.c): reserve the object with trylock (on contention drop
// mmap_sem or the VMA lock, wait, RETRY once), wait for a move in flight, then either hand back the system page
// (the core installs it) or insert VRAM pfns itself and return NOPAGE, prefaulting neighbours.
import type { Task } from '../kernel/task.js';
import { BO_NPAGES, BO_PLACEMENT, PL_VRAM, VM_DONTEXPAND, VM_IO, VM_MIXEDMAP, VM_PFNMAP, VMA_END, VMA_OBJ, VMA_PGOFF, VMA_START } from '../shm/layout.js';
import { label } from '../sched/labels.js';
import { release_fault_lock } from '../mm/mmap_lock.js';
import { get_page } from '../mm/frames.js';
import { lock_page } from '../mm/filemap.js';
import { EFAULT, insert_page, insert_pfn } from '../mm/memory.js';
import {
  fault_flag_allow_retry_first, pgprot_write, VM_FAULT_ERROR, VM_FAULT_LOCKED, VM_FAULT_NOPAGE, VM_FAULT_RETRY, VM_FAULT_SIGBUS,
  type VmFault, type VmOperations,
} from '../mm/vm_fault.js';
import {
  bo_fence_pending, bo_fence_wait, dma_resv_lock, dma_resv_trylock, dma_resv_unlock, dma_resv_wait_unlocked,
} from './bo.js';

const L_VMA = label('ttm_vm:vma');
const L_BO = label('ttm_vm:bo');

/** TTM_BO_VM_NUM_PREFAULT */
const NUM_PREFAULT = 16;

/** TTM until 5.13 (f91142c62161): VM_MIXEDMAP, so system pages are normal, refcounted PTEs that
 * GUP can pin and COW can copy; the cow-pfnmap-pgoff-rule switch maps private ones VM_PFNMAP, as
 * TTM does now, without the -EINVAL it returns for COW mappings. */
export function ttm_bo_mmap_mixedmap(t: Task, priv: boolean): number {
  return priv && t.bugs.cowPfnmapPgoffRule ? VM_PFNMAP : VM_MIXEDMAP;
}

/** ttm_bo_mmap_obj since 5.14: COW mappings are refused; every mapping is VM_PFNMAP | VM_IO |
 * VM_DONTEXPAND, so every page, system or VRAM, goes in as a special pfn (GUP refuses the VMA,
 * madvise and mm's page migration leave it alone, mremap cannot grow it). */
export function ttm_bo_mmap_pfnmap(_t: Task, priv: boolean): number {
  return priv ? -1 : VM_PFNMAP | VM_IO | VM_DONTEXPAND;
}

/** The MIXEDMAP-era TTM (--driver ttm) and today's (--driver ttm-pfnmap): one fault handler, which
 * inserts pfns for every page when the VMA is VM_PFNMAP. */
export const ttm_bo_vm_ops: VmOperations = { fault: ttm_bo_vm_fault, mmap: ttm_bo_mmap_mixedmap };
export const ttm_bo_vm_ops_pfnmap: VmOperations = { fault: ttm_bo_vm_fault, mmap: ttm_bo_mmap_pfnmap };

export function ttm_bo_vm_fault(t: Task, vmf: VmFault): number {
  const obj = t.a.load(vmf.vmaWord + VMA_OBJ, L_VMA);
  if (t.bugs.faultWithoutReserve) return ttm_bo_vm_fault_reserved(t, vmf, obj);
  const ret = ttm_bo_vm_reserve(t, vmf, obj) || ttm_bo_vm_fault_idle(t, vmf, obj);
  if (ret) return ret;
  const r = ttm_bo_vm_fault_reserved(t, vmf, obj);
  dma_resv_unlock(t, obj);
  return r;
}

function ttm_bo_vm_reserve(t: Task, vmf: VmFault, obj: number): number {
  if (dma_resv_trylock(t, obj)) return 0;
  if (fault_flag_allow_retry_first(vmf.flags) && !t.bugs.faultBlocksOnReserve) {
    // never sleep on the reservation with mmap_sem held on the first try (lock order, convoys)
    release_fault_lock(t, vmf);
    dma_resv_wait_unlocked(t, obj);
    return VM_FAULT_RETRY;
  }
  dma_resv_lock(t, obj);
  return 0;
}

/** A pipelined move may still be copying into the new placement: do not map it before it lands. */
function ttm_bo_vm_fault_idle(t: Task, vmf: VmFault, obj: number): number {
  if (!bo_fence_pending(t, obj)) return 0;
  if (fault_flag_allow_retry_first(vmf.flags)) {
    release_fault_lock(t, vmf);
    bo_fence_wait(t, obj);
    dma_resv_unlock(t, obj);
    return VM_FAULT_RETRY;
  }
  bo_fence_wait(t, obj);
  return 0;
}

/** The object is reserved and idle: map the faulting page and its prefault window. */
export function ttm_bo_vm_fault_reserved(t: Task, vmf: VmFault, obj: number): number {
  const a = t.a;
  const lay = t.lay;
  const mm = vmf.mm;
  const fault = vmf.vpn;
  const vma = vmf.vmaWord;
  const bo = lay.bow(obj, 0);
  const start = a.load(vma + VMA_START, L_VMA);
  const end = a.load(vma + VMA_END, L_VMA);
  const base = start - a.load(vma + VMA_PGOFF, L_VMA);
  const npages = a.load(bo + BO_NPAGES, L_BO);
  if (fault - base >= npages) return VM_FAULT_SIGBUS;
  const vram = a.load(bo + BO_PLACEMENT, L_BO) === PL_VRAM;

  // the prefault window: the faulting page first, then neighbours, never past the VMA or object
  let lo = fault;
  let hi = fault + 1;
  if (t.prefaultPages === NUM_PREFAULT) hi = fault + NUM_PREFAULT;
  else if (t.prefaultPages === 0) {
    lo = start;
    hi = end;
  }
  hi = t.bugs.prefaultPastVmaEnd ? Math.min(hi, base + npages) : Math.min(hi, end, base + npages);

  const backing = lay.backing(obj, 0) - base; // + vpn: the backing word of vpn's page
  const write = pgprot_write(vmf);
  // VM_PFNMAP (today's TTM, and the cow-pfnmap-pgoff-rule switch's private mappings) inserts
  // every page as a special pfn (vmf_insert_pfn_prot), system pages too
  const pfnmap = (vmf.vmFlags & VM_PFNMAP) !== 0;
  let ret = VM_FAULT_NOPAGE;
  for (let i = 0; i < hi - lo; i++) {
    const vpn = i === 0 ? fault : lo + i - (lo + i <= fault ? 1 : 0);
    const frame = a.load(backing + vpn, L_BO);
    let err = 0;
    if (vram || pfnmap) {
      err = insert_pfn(t, mm, vma, vpn, frame, vram, write, vpn === fault) & VM_FAULT_ERROR;
    } else if (vpn === fault) {
      // return the page locked with a reference: the core installs it (finish_fault)
      lock_page(t, frame);
      get_page(t, frame);
      vmf.page = frame;
      ret = VM_FAULT_LOCKED;
    } else if (insert_page(t, mm, vma, vpn, frame, write, true, false) === EFAULT) {
      err = VM_FAULT_SIGBUS;
    }
    // a neighbour the helper refuses ends the prefault; only the faulting page's error counts
    if (err !== 0) return i === 0 ? err : ret;
  }
  return ret;
}
