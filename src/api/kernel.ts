// faultline/kernel: the model's kernel API, for a driver module (--driver FILE: the buffer
// object's fault handler and move) or an rwsem module (--rwsem FILE). The functions are the
// model's own, with Linux's names; every access to shared state through them, or through the
// thread's accessor `t.a` (load, store, cas, add, or, and, xchg, block, wake), is a labelled
// scheduling point. A label is a stable name: label('mydrv:fence').
export type { Task } from '../kernel/task.js';
export type { Thread } from '../kernel/thread.js';
export { label } from '../sched/labels.js';

// the driver's side of a fault (mm/vm_fault.ts, mm/memory.c)
export {
  VM_FAULT_SIGBUS, VM_FAULT_NOPAGE, VM_FAULT_LOCKED, VM_FAULT_RETRY, VM_FAULT_ERROR, FAULT_FLAG_WRITE, FAULT_FLAG_TRIED,
  fault_flag_allow_retry_first, pgprot_write, type VmFault,
} from '../mm/vm_fault.js';
export { insert_pfn, insert_page, EFAULT } from '../mm/memory.js';
export { release_fault_lock } from '../mm/mmap_lock.js';
export { lock_page, unlock_page } from '../mm/filemap.js';
export { get_page, put_page } from '../mm/frames.js';
export { unmap_mapping_range } from '../mm/unmap.js';

// buffer objects: reservation, move fence, placement (drm/bo.ts), and TTM's own pieces to reuse
export {
  dma_resv_lock, dma_resv_trylock, dma_resv_unlock, dma_resv_wait_unlocked, bo_fence_pending, bo_fence_wait, bo_fence_arm, bo_fence_signal,
  bo_of_vma, bo_fault_page, bo_num_pages, bo_in_vram, bo_page_frame,
} from '../drm/bo.js';
export { ttm_bo_vm_fault, ttm_bo_vm_fault_reserved } from '../drm/ttm_vm.js';
export { ttm_bo_move } from '../drm/ttm_move.js';
export { defineDriver, type DriverDef } from '../drm/driver.js';

// an rw_semaphore's words (the block at `s`) and the wait-lock spinlock on them
export { RW_COUNT, RW_WAIT_LOCK, RW_RWAIT, RW_WWAIT, RW_RGEN, RW_WTICKET, RW_WNEXT } from '../shm/layout.js';
export { lockword_lock as spin_lock, lockword_unlock as spin_unlock, lockword_trylock as spin_trylock } from '../locking/lockword.js';
export { defineRwsem, type RwsemOps } from '../locking/rwsem_module.js';
