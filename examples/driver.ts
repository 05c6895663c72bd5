// A driver of your own (--driver FILE): the fault maps the object under its reservation, taken as
// TTM takes it (trylock; on contention drop the fault lock, wait, RETRY), and waits for a move in
// flight; the move is TTM's, unpipelined (copy and free under the reservation). `unreserved` maps without the reservation, as the 2006 helper did before TTM (R1):
// a move's unmap_mapping_range can run between the fault's look at the placement and its PTE, and
// the PTE then points at a frame the move frees.
import {
  bo_fault_page, bo_fence_wait, bo_num_pages, bo_of_vma, defineDriver, dma_resv_lock, dma_resv_trylock, dma_resv_unlock, dma_resv_wait_unlocked,
  fault_flag_allow_retry_first, release_fault_lock, ttm_bo_move, ttm_bo_vm_fault_reserved, VM_FAULT_RETRY, VM_FAULT_SIGBUS,
  type Task, type VmFault,
} from '../src/api/kernel.js';

/** Maps the faulting page (and the prefault window --prefault asks for) as TTM does: a system
 * page is handed back locked for the core to install, VRAM frames are inserted as pfns. */
function map(t: Task, vmf: VmFault, obj: number): number {
  if (bo_fault_page(t, vmf) >= bo_num_pages(t, obj)) return VM_FAULT_SIGBUS;
  return ttm_bo_vm_fault_reserved(t, vmf, obj);
}

export default defineDriver({
  fault(t, vmf) {
    const obj = bo_of_vma(t, vmf);
    if (!dma_resv_trylock(t, obj)) {
      if (fault_flag_allow_retry_first(vmf.flags)) {
        release_fault_lock(t, vmf);
        dma_resv_wait_unlocked(t, obj);
        return VM_FAULT_RETRY;
      }
      dma_resv_lock(t, obj);
    }
    bo_fence_wait(t, obj);
    const r = map(t, vmf, obj);
    dma_resv_unlock(t, obj);
    return r;
  },
  move: (t, obj) => ttm_bo_move(t, obj, false),
});

export const unreserved = defineDriver({
  fault: (t, vmf) => map(t, vmf, bo_of_vma(t, vmf)),
  move: (t, obj) => ttm_bo_move(t, obj, false),
});
