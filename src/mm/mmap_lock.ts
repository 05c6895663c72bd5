// mmap_lock and the per-VMA locks (include/linux/mmap_lock.h, 6.4+). A VMA is write-locked by
// stamping it with the mm's lock sequence while mmap_lock is held for write; releasing mmap_lock
// bumps the sequence, which unlocks every VMA stamped under it at once. Faults may read-lock a
// single VMA instead of taking mmap_lock (--fault-lock vma).
import type { Task } from '../kernel/task.js';
import { MM_LOCK_SEQ, MM_MMAP_SEM, VMA_LOCK, VMA_LOCK_SEQ } from '../shm/layout.js';
import { label } from '../sched/labels.js';
import { down_read_trylock, down_write, downgrade_write, up_read, up_write } from '../locking/rwsem.js';
import { find_vma } from './vma.js';
import { FAULT_FLAG_VMA_LOCK, type VmFault } from './vm_fault.js';

const L_SEQ = label('mmap_lock:seq');
const L_VMA_WRITE = label('vma_start_write');
const L_VMA_READ = label('vma_start_read');
const L_RELEASE = label('release_fault_lock');

export function mmap_write_lock(t: Task, mm: number, lbl: number): void {
  down_write(t, t.lay.mmw(mm, MM_MMAP_SEM), lbl);
}

/** vma_end_write_all, then the rwsem: every VMA write-locked under this hold is free again. */
export function mmap_write_unlock(t: Task, mm: number, lbl: number): void {
  t.a.add(t.lay.mmw(mm, MM_LOCK_SEQ), 1, L_SEQ);
  up_write(t, t.lay.mmw(mm, MM_MMAP_SEM), lbl);
}

/** mmap_write_downgrade: vma_end_write_all, then go on holding mmap_lock for read. */
export function mmap_write_downgrade(t: Task, mm: number, lbl: number): void {
  t.a.add(t.lay.mmw(mm, MM_LOCK_SEQ), 1, L_SEQ);
  downgrade_write(t, t.lay.mmw(mm, MM_MMAP_SEM), lbl);
}

export function mmap_read_unlock(t: Task, mm: number, lbl: number): void {
  up_read(t, t.lay.mmw(mm, MM_MMAP_SEM), lbl);
}

/** vma_start_write (mmap_lock held for write): wait for the VMA's readers to leave, then stamp it
 * so no new per-VMA-lock fault can start on it until mmap_lock is released. */
export function vma_start_write(t: Task, mm: number, slot: number): void {
  const a = t.a;
  const vma = t.lay.vma(mm, slot, 0);
  const seq = a.load(t.lay.mmw(mm, MM_LOCK_SEQ), L_VMA_WRITE);
  if (a.load(vma + VMA_LOCK_SEQ, L_VMA_WRITE) === seq) return;
  down_write(t, vma + VMA_LOCK, L_VMA_WRITE);
  a.store(vma + VMA_LOCK_SEQ, seq, L_VMA_WRITE);
  up_write(t, vma + VMA_LOCK, L_VMA_WRITE);
}

/** vma_start_read: never waits. A false "locked" only sends the fault to mmap_lock; a false
 * "unlocked" is impossible because the stamp is looked at again once the lock is held. */
function vma_start_read(t: Task, mm: number, slot: number): boolean {
  const a = t.a;
  const vma = t.lay.vma(mm, slot, 0);
  const mmSeq = t.lay.mmw(mm, MM_LOCK_SEQ);
  if (a.load(vma + VMA_LOCK_SEQ, L_VMA_READ) === a.load(mmSeq, L_VMA_READ)) return false;
  if (!down_read_trylock(t, vma + VMA_LOCK, L_VMA_READ)) return false;
  // the sequence is read afresh: a writer may have stamped the VMA and even finished meanwhile
  if (a.load(vma + VMA_LOCK_SEQ, L_VMA_READ) === a.load(mmSeq, L_VMA_READ)) {
    up_read(t, vma + VMA_LOCK, L_VMA_READ);
    return false;
  }
  return true;
}

export function vma_end_read(t: Task, mm: number, slot: number): void {
  up_read(t, t.lay.vma(mm, slot, VMA_LOCK), L_VMA_READ);
}

/**
 * lock_vma_under_rcu: look the VMA up without mmap_lock (find_vma stands for the maple-tree walk
 * under RCU), read-lock it, then look again: it may have been unmapped or moved between the
 * lookup and the lock. Returns the read-locked slot, or -1 (use mmap_lock).
 */
export function lock_vma_under_rcu(t: Task, mm: number, vpn: number): number {
  const slot = find_vma(t, mm, vpn);
  if (slot < 0 || !vma_start_read(t, mm, slot)) return -1;
  // R10: the state seen before the lock is trusted as is
  if (t.bugs.vmaCheckBeforeLock || find_vma(t, mm, vpn) >= 0) return slot;
  vma_end_read(t, mm, slot);
  return -1;
}

/** release_fault_lock: a handler about to sleep drops whichever lock the fault holds. */
export function release_fault_lock(t: Task, vmf: VmFault): void {
  if (vmf.flags & FAULT_FLAG_VMA_LOCK) vma_end_read(t, vmf.mm, vmf.vma);
  else up_read(t, t.lay.mmw(vmf.mm, MM_MMAP_SEM), L_RELEASE);
}
