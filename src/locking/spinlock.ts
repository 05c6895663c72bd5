// spinlock_t, as used for split page-table locks and mm->page_table_lock.
import type { Thread } from '../kernel/thread.js';
import { check_release } from '../check/locks.js';
import { lockword_lock, lockword_unlock } from './lockword.js';
import { MODE_X } from '../profile/probe.js';

export function spin_lock(t: Thread, lk: number, label: number): void {
  lockword_lock(t, lk, label);
  t.spinDepth++;
  t.hold(lk, MODE_X, label);
}

export function spin_unlock(t: Thread, lk: number, label: number): void {
  t.unhold(lk);
  t.spinDepth--;
  check_release(t, lk, lockword_unlock(t, lk, label), 'spinlock');
}
