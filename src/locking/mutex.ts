// A sleeping mutex with trylock: the model of a buffer object's reservation (dma_resv / ww_mutex
// without the wound-wait part) and of the page lock.
import type { Thread } from '../kernel/thread.js';
import { check_may_sleep, check_release } from '../check/locks.js';
import { lockword_lock, lockword_trylock, lockword_unlock } from './lockword.js';
import { MODE_X } from '../profile/probe.js';

export function mutex_trylock(t: Thread, lk: number, label: number): boolean {
  if (!lockword_trylock(t, lk, label)) return false;
  t.hold(lk, MODE_X, label, true);
  return true;
}

export function mutex_lock(t: Thread, lk: number, label: number): void {
  check_may_sleep(t, t.spinDepth, 'mutex', lk);
  lockword_lock(t, lk, label);
  t.hold(lk, MODE_X, label);
}

export function mutex_unlock(t: Thread, lk: number, label: number): void {
  t.unhold(lk);
  check_release(t, lk, lockword_unlock(t, lk, label), 'mutex');
}

/** Sleeps until the mutex is free without taking it (TTM's "lock then unlock at once" wait). */
export function mutex_wait_unlocked(t: Thread, lk: number, label: number): void {
  mutex_lock(t, lk, label);
  mutex_unlock(t, lk, label);
}
