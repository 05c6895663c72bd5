// A buffer object's reservation (dma_resv lock) and its move fence (the KERNEL-usage fence a
// pipelined move leaves behind until the copy lands).
import type { Task } from '../kernel/task.js';
import { BO_FENCE, BO_NPAGES, BO_PLACEMENT, BO_RESV, PL_VRAM, VMA_OBJ, VMA_PGOFF, VMA_START } from '../shm/layout.js';
import type { VmFault } from '../mm/vm_fault.js';
import { label } from '../sched/labels.js';
import { OPEN_FENCE_WAIT } from '../profile/probe.js';
import { mutex_lock, mutex_trylock, mutex_unlock, mutex_wait_unlocked } from '../locking/mutex.js';

const L_RESV = label('bo:resv');
const L_FENCE = label('bo:fence');

export function dma_resv_trylock(t: Task, obj: number): boolean {
  return mutex_trylock(t, t.lay.bow(obj, BO_RESV), L_RESV);
}
export function dma_resv_lock(t: Task, obj: number): void {
  mutex_lock(t, t.lay.bow(obj, BO_RESV), L_RESV);
}
export function dma_resv_unlock(t: Task, obj: number): void {
  mutex_unlock(t, t.lay.bow(obj, BO_RESV), L_RESV);
}
/** Waits for the current holder to finish (lock, then unlock at once). */
export function dma_resv_wait_unlocked(t: Task, obj: number): void {
  mutex_wait_unlocked(t, t.lay.bow(obj, BO_RESV), L_RESV);
}

export function bo_fence_pending(t: Task, obj: number): boolean {
  return t.a.load(t.lay.bow(obj, BO_FENCE), L_FENCE) !== 0;
}
export function bo_fence_wait(t: Task, obj: number): void {
  const f = t.lay.bow(obj, BO_FENCE);
  let v = t.a.load(f, L_FENCE);
  if (v === 0) return;
  const since = t.probe.open(OPEN_FENCE_WAIT, obj);
  for (; v !== 0; v = t.a.load(f, L_FENCE)) t.a.block(f, v, L_FENCE);
  t.probe.waitedFor('bo_fence', `bo${obj}`, L_FENCE, since);
}
export function bo_fence_arm(t: Task, obj: number): void {
  t.a.store(t.lay.bow(obj, BO_FENCE), t.tid + 1, L_FENCE);
}
export function bo_fence_signal(t: Task, obj: number): void {
  t.a.store(t.lay.bow(obj, BO_FENCE), 0, L_FENCE);
  t.a.wake(t.lay.bow(obj, BO_FENCE));
}

// A buffer object as a driver module sees it (faultline/kernel): the object behind a VMA, its
// pages and where they live, each read a scheduling point.
const L_OBJ = label('bo:obj');

/** The object a faulting VMA maps (vm_private_data). */
export function bo_of_vma(t: Task, vmf: VmFault): number {
  return t.a.load(vmf.vmaWord + VMA_OBJ, L_OBJ);
}
/** The page of the object that faulted: vpn − vm_start + vm_pgoff. */
export function bo_fault_page(t: Task, vmf: VmFault): number {
  return vmf.vpn - t.a.load(vmf.vmaWord + VMA_START, L_OBJ) + t.a.load(vmf.vmaWord + VMA_PGOFF, L_OBJ);
}
export function bo_num_pages(t: Task, obj: number): number {
  return t.a.load(t.lay.bow(obj, BO_NPAGES), L_OBJ);
}
export function bo_in_vram(t: Task, obj: number): boolean {
  return t.a.load(t.lay.bow(obj, BO_PLACEMENT), L_OBJ) === PL_VRAM;
}
/** The frame backing page `p` (a VRAM frame or a system page, as bo_in_vram says). */
export function bo_page_frame(t: Task, obj: number, p: number): number {
  return t.a.load(t.lay.backing(obj, p), L_OBJ);
}
