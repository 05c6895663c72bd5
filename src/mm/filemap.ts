// The page lock (PG_locked): held by a fault from ->fault until the PTE is installed, and by the
// mover while it takes a system page away from its object (the d00806b18315 protocol).
import type { Task } from '../kernel/task.js';
import { PG_LOCKED } from '../shm/layout.js';
import { label } from '../sched/labels.js';
import { mutex_lock, mutex_unlock } from '../locking/mutex.js';

const L_LOCK = label('page:lock');
const L_UNLOCK = label('page:unlock');

export function lock_page(t: Task, sysIdx: number): void {
  mutex_lock(t, t.lay.page(sysIdx, PG_LOCKED), L_LOCK);
}

export function unlock_page(t: Task, sysIdx: number): void {
  mutex_unlock(t, t.lay.page(sysIdx, PG_LOCKED), L_UNLOCK);
}
