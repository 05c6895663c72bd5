// The word every exclusive lock is built on: [holder tid + 1, waiter count].
// Waiters sleep through the scheduler (never a raw Atomics.wait), so the same lock runs in free
// and deterministic mode; the waiter count lets an uncontended release skip the wake.
import type { Thread } from '../kernel/thread.js';
import { MODE_X, OPEN_LOCK_WAIT } from '../profile/probe.js';

export function lockword_trylock(t: Thread, lk: number, label: number): boolean {
  return t.a.cas(lk, 0, t.lockId, label) === 0;
}

/** Acquires the word; returns the holder seen on the first failed attempt (0 if uncontended).
 * The uncontended path stays small so it inlines into every lock; the loop lives apart. */
export function lockword_lock(t: Thread, lk: number, label: number): number {
  const cur = t.a.cas(lk, 0, t.lockId, label);
  return cur === 0 ? 0 : lockword_lock_slow(t, lk, label, cur);
}

function lockword_lock_slow(t: Thread, lk: number, label: number, first: number): number {
  const a = t.a;
  const me = t.lockId;
  const since = t.probe.open(OPEN_LOCK_WAIT, lk);
  for (let cur = first; ; ) {
    if (cur === me) throw new Error(`recursive acquisition of lock word ${lk} by ${t.name}`);
    a.add(lk + 1, 1, label);
    a.block(lk, cur, label);
    a.add(lk + 1, -1, label);
    cur = a.cas(lk, 0, me, label);
    if (cur === 0) {
      t.probe.waited(lk, MODE_X, label, since, first);
      return first;
    }
  }
}

/** Releases the word; returns the previous holder word so callers can check ownership. */
export function lockword_unlock(t: Thread, lk: number, label: number): number {
  const a = t.a;
  const prev = a.xchg(lk, 0, label);
  if (a.load(lk + 1, label) !== 0) a.wake(lk);
  return prev;
}
