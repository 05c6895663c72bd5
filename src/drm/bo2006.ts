// The driver the 2006 linux-mm thread proposed ("User switchable HW mappings & cie", benh, and
// Thomas Hellström's multi-page variant), before TTM: one VMA per object, a per-object mutex that
// serializes the fault's install against a move's unmap. The fault takes the mutex (sleeping, with
// mmap_sem held for read), returns a system page or installs the PTE itself with the helper that
// leaves a PTE another CPU set alone (insert_pfn), drops the mutex and asks for a refault
// (NOPAGE_REFAULT, today's VM_FAULT_NOPAGE). --prefault 1 is benh's one-page helper; 16 or vma the
// multi-page prefault Thomas asked to be safe under mmap_sem read. The move takes the mutex,
// unmaps, copies and frees before it lets go: nothing is pipelined, so no fault ever waits for a
// fence. What it lacks against TTM is the trylock and RETRY of the fault (added with TTM in 2009,
// R3): it sleeps on the mutex with mmap_sem held.
import type { Task } from '../kernel/task.js';
import { label } from '../sched/labels.js';
import { VMA_OBJ } from '../shm/layout.js';
import type { VmFault, VmOperations } from '../mm/vm_fault.js';
import { dma_resv_lock, dma_resv_unlock } from './bo.js';
import { ttm_bo_move } from './ttm_move.js';
import { ttm_bo_mmap_mixedmap, ttm_bo_vm_fault_reserved } from './ttm_vm.js';

const L_VMA = label('bo2006:vma');

function bo2006_fault(t: Task, vmf: VmFault): number {
  const obj = t.a.load(vmf.vmaWord + VMA_OBJ, L_VMA);
  // do_no_pfn without the object mutex (R1: benh's "not protected against racing unmap_mapping_range()")
  if (t.bugs.faultWithoutReserve) return ttm_bo_vm_fault_reserved(t, vmf, obj);
  dma_resv_lock(t, obj);
  const r = ttm_bo_vm_fault_reserved(t, vmf, obj);
  dma_resv_unlock(t, obj);
  return r;
}

export const bo2006_vm_ops: VmOperations = { fault: bo2006_fault, mmap: ttm_bo_mmap_mixedmap };

/** benh's migration: take the object mutex → unmap_mapping_range → copy → release. */
export function bo2006_move(t: Task, obj: number): boolean {
  return ttm_bo_move(t, obj, false);
}
