// The page lock (PG_locked): held by a fault from ->fault until the PTE is installed, by the
// mover while it takes a system page away from its object (the d00806b18315 protocol), and by
// page migration from the unmap to the removal of its migration entries.
import type { Task } from '../kernel/task.js';
import { PG_LOCKED } from '../shm/layout.js';
import { label } from '../sched/labels.js';
import { mutex_lock, mutex_unlock } from '../locking/mutex.js';
import { spin_unlock } from '../locking/spinlock.js';

const L_LOCK = label('page:lock');
const L_UNLOCK = label('page:unlock');
const L_WAIT = label('page:wait_locked');

export function lock_page(t: Task, sysIdx: number): void {
  mutex_lock(t, t.lay.page(sysIdx, PG_LOCKED), L_LOCK);
}

export function unlock_page(t: Task, sysIdx: number): void {
  mutex_unlock(t, t.lay.page(sysIdx, PG_LOCKED), L_UNLOCK);
}

/** migration_entry_wait_on_locked: called holding the PTL `ptl` under which a migration entry for
 * the page was seen. Queues on the page lock before dropping the PTL (migration removes its
 * entries under the PTL before it unlocks the page, so the unlock's wake-up cannot be missed),
 * then sleeps until the page is unlocked. No reference is taken: the page is freed only after
 * that unlock, and the waiter touches nothing of it but the lock word. */
export function migration_entry_wait_on_locked(t: Task, sysIdx: number, ptl: number): void {
  const a = t.a;
  const lk = t.lay.page(sysIdx, PG_LOCKED);
  a.add(lk + 1, 1, L_WAIT);
  spin_unlock(t, ptl, L_WAIT);
  for (let v = a.load(lk, L_WAIT); v !== 0; v = a.load(lk, L_WAIT)) a.block(lk, v, L_WAIT);
  a.add(lk + 1, -1, L_WAIT);
}
