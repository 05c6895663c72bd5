// The rw_semaphore's slow paths as kernel/locking/rwsem.c has them (--rwsem linux, the default):
// readers steal the lock unless a writer holds it or HANDOFF is set, writers spin and steal, the
// first waiter's type decides who is woken, and a waiter passed over for too long sets HANDOFF so
// that the lock goes to the first waiter next. The fast paths are rwsem.ts's, shared with the
// phase-fair variant.
//
// The wait queue is FIFO by ticket: RW_WAITLIST holds the queued tids, RW_WAITLIST_W the writers
// among them, and each waiter's struct rwsem_waiter lives in its own thread line (TH_RW_*).
// Readers sleep on RW_RGEN, which the grant bumps; writers sleep on RW_WNEXT, bumped when
// rwsem_mark_wake wakes the writer at the head (which then takes the lock itself).
import type { Thread } from '../kernel/thread.js';
import {
  RW_CLOCK, RW_COUNT, RW_READERS, RW_RGEN, RW_RWAIT, RW_WAIT_LOCK, RW_WAITLIST, RW_WAITLIST_W, RW_WNEXT, RW_WTICKET, RW_WWAIT,
  TH_RW_STATE, TH_RW_TICKET, TH_RW_TIMEOUT,
} from '../shm/layout.js';
import { lockword_lock, lockword_unlock } from './lockword.js';
import { popcount } from '../lib/bits.js';

// the count word, as in rwsem.c (a 32-bit count: bits 3-7 reserved, readers from bit 8)
export const WRITER = 1;
export const WAITERS = 2;
export const HANDOFF = 4;
export const BIAS = 256;
/** the writer bit or any reader bias */
export const LOCK_MASK = WRITER | -BIAS;
/** what sends down_read to the slow path */
export const READ_FAILED = WRITER | WAITERS | HANDOFF;

// rwsem_waiter.state (TH_RW_STATE)
/** a writer that rwsem_mark_wake chose: the wake_q entry */
export const RWW_WOKEN = 1;
/** handoff_set: this waiter asked for the lock to be handed to it */
export const RWW_HANDOFF = 2;

const WAKE_ANY = 0;
const WAKE_READERS = 1;
const WAKE_READ_OWNED = 2;

/** Writer optimistic spinning: Linux spins while the owner runs (and up to 10-25 µs on a
 * reader-owned lock); the model tries this many times, each a scheduling point, then queues.
 * Bounded, so that the deterministic scheduler cannot livelock on a spinner. */
const SPIN_TRIES = 4;

/** RWSEM_WAIT_TIMEOUT: 4 ms (one jiffy at HZ=250), in µs of real time in free mode. */
const WAIT_TIMEOUT_US = 4000;
/**
 * The deterministic stand-in for RWSEM_WAIT_TIMEOUT. A deterministic run must never read the
 * wall clock, and the scheduler's step count is not the model's to read (it lives in the
 * scheduler's own memory, and a step means nothing to the waiter). The rwsem's own clock is used
 * instead: RW_CLOCK counts the releases that found waiters queued (rwsem_wake calls). A waiter
 * times out once more than WAIT_RELEASES of them went by while it was queued, i.e. after that many
 * chances to get the lock were taken by someone else. Like time, the clock runs for every queued
 * waiter, not only for the one at the head; it is small so that the deterministic runs, a few
 * dozen operations long, reach the hand-off.
 */
const WAIT_RELEASES = 2;

/** The clock the waiters' timeouts are read on: real µs (wrapping) in free mode, RW_CLOCK in a
 * deterministic run (Scheduler.serial), which never reads the wall clock. */
function rwsem_clock(t: Thread, s: number, label: number): number {
  if (t.a.sched.serial) return t.a.load(s + RW_CLOCK, label);
  return Math.floor((performance.timeOrigin + performance.now()) * 1000) | 0;
}

/** time_after(jiffies, waiter->timeout) for the waiter `tid`: wrap-safe, as jiffies are. */
function rwsem_timed_out(t: Thread, s: number, tid: number, label: number): boolean {
  return ((rwsem_clock(t, s, label) - t.a.load(t.lines.th(tid, TH_RW_TIMEOUT), label)) | 0) > 0;
}

/** rwsem_add_waiter, under wait_lock: this thread joins the tail of the queue. Returns whether
 * the queue was empty (this thread is the first waiter). */
function rwsem_add_waiter(t: Thread, s: number, writer: boolean, label: number): boolean {
  const a = t.a;
  const bit = 1 << t.tid;
  a.store(t.lines.th(t.tid, TH_RW_TICKET), a.add(s + RW_WTICKET, 1, label), label);
  a.store(t.lines.th(t.tid, TH_RW_STATE), 0, label);
  a.store(t.lines.th(t.tid, TH_RW_TIMEOUT), rwsem_clock(t, s, label) + (a.sched.serial ? WAIT_RELEASES : WAIT_TIMEOUT_US), label);
  if (writer) a.or(s + RW_WAITLIST_W, bit, label);
  a.add(s + (writer ? RW_WWAIT : RW_RWAIT), 1, label);
  return a.or(s + RW_WAITLIST, bit, label) === 0;
}

/** rwsem_first_waiter, under wait_lock: the queued tid with the oldest ticket. */
function rwsem_first_waiter(t: Thread, queue: number, label: number): number {
  let first = 31 - Math.clz32(queue);
  if ((queue & (queue - 1)) === 0) return first;
  let best = t.a.load(t.lines.th(first, TH_RW_TICKET), label);
  for (let rest = queue & ~(1 << first); rest !== 0; rest &= rest - 1) {
    const tid = 31 - Math.clz32(rest & -rest);
    const ticket = t.a.load(t.lines.th(tid, TH_RW_TICKET), label);
    if (((ticket - best) | 0) < 0) {
      best = ticket;
      first = tid;
    }
  }
  return first;
}

/**
 * rwsem_mark_wake, under wait_lock with the queue not empty: the first waiter's type decides. A
 * writer at the head is woken alone (on WAKE_ANY) and takes the lock itself, racing with
 * stealers. Readers at the head: the first grant is made before the count is read, so that a
 * writer that stole the lock meanwhile is seen (and a reader at the head that has waited too
 * long sets HANDOFF); then every queued reader is granted, those behind writers too
 * (MAX_READERS_WAKEUP, 256, is more than the model's 31 threads).
 */
function rwsem_mark_wake(t: Thread, s: number, type: number, label: number): void {
  const a = t.a;
  const queue = a.load(s + RW_WAITLIST, label);
  const writers = a.load(s + RW_WAITLIST_W, label);
  const first = rwsem_first_waiter(t, queue, label);
  if ((writers & (1 << first)) !== 0) {
    if (type === WAKE_ANY) {
      a.or(t.lines.th(first, TH_RW_STATE), RWW_WOKEN, label);
      t.probe.handoff(s);
      a.add(s + RW_WNEXT, 1, label);
      a.wake(s + RW_WNEXT);
    }
    return;
  }
  // (rwsem.c also gives up when the count went negative: too many readers, not with 31 threads)
  let adjustment = 0;
  if (type !== WAKE_READ_OWNED) {
    adjustment = BIAS;
    const old = a.add(s + RW_COUNT, BIAS, label);
    if ((old & WRITER) !== 0) {
      // a writer stole the lock since the release that brought us here
      let undo = -BIAS;
      if (rwsem_timed_out(t, s, first, label)) {
        if ((old & HANDOFF) === 0) undo += HANDOFF;
        a.or(t.lines.th(first, TH_RW_STATE), RWW_HANDOFF, label);
      }
      a.add(s + RW_COUNT, undo, label);
      return;
    }
  }
  const readers = queue & ~writers;
  const woken = popcount(readers);
  a.and(s + RW_WAITLIST, ~readers, label);
  a.add(s + RW_RWAIT, -woken, label);
  adjustment = woken * BIAS - adjustment;
  const old = a.load(s + RW_COUNT, label);
  // the queue emptied: WAITERS goes, and HANDOFF with it; a reader woken: HANDOFF is not needed
  if (writers === 0) adjustment -= WAITERS;
  if ((old & HANDOFF) !== 0) adjustment -= HANDOFF;
  if (adjustment !== 0) a.add(s + RW_COUNT, adjustment, label);
  // the second pass: the biases are in, so a woken reader may run and release at once
  t.probe.handoff(s);
  a.add(s + RW_RGEN, 1, label);
  a.wake(s + RW_RGEN);
}

/** rwsem_cond_wake_waiter, under wait_lock: a new waiter wakes those that could run now. */
function rwsem_cond_wake_waiter(t: Thread, s: number, count: number, label: number): void {
  if ((count & WRITER) !== 0) return;
  rwsem_mark_wake(t, s, (count & -BIAS) !== 0 ? WAKE_READERS : WAKE_ANY, label);
}

/** rwsem_wake: a release found waiters (up_read left the count at WAITERS, or up_write saw WAITERS). */
export function rwsem_wake(t: Thread, s: number, label: number): void {
  const a = t.a;
  lockword_lock(t, s + RW_WAIT_LOCK, label);
  a.add(s + RW_CLOCK, 1, label);
  if (a.load(s + RW_WAITLIST, label) !== 0) rwsem_mark_wake(t, s, WAKE_ANY, label);
  lockword_unlock(t, s + RW_WAIT_LOCK, label);
}

/** rwsem_downgrade_wake: the downgraded writer holds the lock for read; readers may join it. */
export function rwsem_downgrade_wake(t: Thread, s: number, label: number): void {
  lockword_lock(t, s + RW_WAIT_LOCK, label);
  if (t.a.load(s + RW_WAITLIST, label) !== 0) rwsem_mark_wake(t, s, WAKE_READ_OWNED, label);
  lockword_unlock(t, s + RW_WAIT_LOCK, label);
}

/**
 * rwsem_down_read_slowpath: the fast path's bias is in `count` (the value after it was added).
 * Readers steal unless a writer holds the lock or HANDOFF is set, except when other readers own
 * it (then a stream of readers would starve the writer that waits for them to drain).
 */
export function rwsem_down_read_slowpath(t: Thread, s: number, count: number, label: number): void {
  const a = t.a;
  const rcnt = count >>> 8;
  // rwsem.c reads the owner's READER_OWNED flag; the model's owner field for readers is RW_READERS
  const readerOwned = rcnt > 1 && (count & WRITER) === 0 && a.load(s + RW_READERS, label) !== 0;
  if (!readerOwned && (count & (WRITER | HANDOFF)) === 0) {
    // reader optimistic lock stealing: keep the bias; the first reader in brings the queued readers along
    if (rcnt === 1 && (count & WAITERS) !== 0) {
      lockword_lock(t, s + RW_WAIT_LOCK, label);
      if (a.load(s + RW_WAITLIST, label) !== 0) rwsem_mark_wake(t, s, WAKE_READ_OWNED, label);
      lockword_unlock(t, s + RW_WAIT_LOCK, label);
    }
    return;
  }
  let adjustment = -BIAS;
  lockword_lock(t, s + RW_WAIT_LOCK, label);
  if (a.load(s + RW_WAITLIST, label) === 0) {
    // nobody queued and no writer: the bias already in the count is the read lock
    if ((a.load(s + RW_COUNT, label) & WRITER) === 0) {
      lockword_unlock(t, s + RW_WAIT_LOCK, label);
      return;
    }
    adjustment += WAITERS;
  }
  rwsem_add_waiter(t, s, false, label);
  // any grant from now on grants every queued reader, this one included
  const gen = a.load(s + RW_RGEN, label);
  rwsem_cond_wake_waiter(t, s, a.add(s + RW_COUNT, adjustment, label) + adjustment, label);
  lockword_unlock(t, s + RW_WAIT_LOCK, label);
  for (let g = gen; g === gen; g = a.load(s + RW_RGEN, label)) a.block(s + RW_RGEN, g, label);
}

/** rwsem_try_write_lock_unqueued: take a free lock, WAITERS or not, unless HANDOFF is set. */
function rwsem_optimistic_spin(t: Thread, s: number, label: number): boolean {
  const a = t.a;
  for (let i = 0; i < SPIN_TRIES; i++) {
    const c = a.load(s + RW_COUNT, label);
    if ((c & (LOCK_MASK | HANDOFF)) === 0 && a.cas(s + RW_COUNT, c, c | WRITER, label) === c) return true;
  }
  return false;
}

/** rwsem_spin_on_owner after setting HANDOFF: spin (boundedly) while a writer holds the lock;
 * true when it was seen free (try again without sleeping), false to sleep. */
function rwsem_spin_on_owner(t: Thread, s: number, label: number): boolean {
  for (let i = 0; i < SPIN_TRIES; i++) {
    const c = t.a.load(s + RW_COUNT, label);
    if ((c & LOCK_MASK) === 0) return true;
    if ((c & WRITER) === 0) return false; // reader-owned: no spinning on readers
  }
  return false;
}

/**
 * rwsem_try_write_lock, under wait_lock: take the lock if it is free, unless the first waiter
 * set HANDOFF and this is not it; if it is held and this waiter has waited too long, set HANDOFF
 * (for the first waiter) instead. On success this waiter leaves the queue.
 */
function rwsem_try_write_lock(t: Thread, s: number, label: number): boolean {
  const a = t.a;
  const bit = 1 << t.tid;
  const queue = a.load(s + RW_WAITLIST, label);
  const first = rwsem_first_waiter(t, queue, label);
  for (let c = a.load(s + RW_COUNT, label); ; ) {
    const handoff = (c & HANDOFF) !== 0;
    if (handoff && first !== t.tid && (a.load(t.lines.th(first, TH_RW_STATE), label) & RWW_HANDOFF) !== 0) return false;
    let next: number;
    if ((c & LOCK_MASK) !== 0) {
      if (handoff || !rwsem_timed_out(t, s, t.tid, label)) return false;
      next = c | HANDOFF;
    } else {
      next = (c | WRITER) & ~HANDOFF;
      if (queue === bit) next &= ~WAITERS;
    }
    const seen = a.cas(s + RW_COUNT, c, next, label);
    if (seen !== c) {
      c = seen;
      continue;
    }
    if ((next & HANDOFF) !== 0) {
      a.or(t.lines.th(first, TH_RW_STATE), RWW_HANDOFF, label);
      return false;
    }
    a.and(s + RW_WAITLIST, ~bit, label);
    a.and(s + RW_WAITLIST_W, ~bit, label);
    a.add(s + RW_WWAIT, -1, label);
    return true;
  }
}

/**
 * rwsem_down_write_slowpath: spin and steal; else queue, and loop: try to take the lock, else
 * sleep until rwsem_mark_wake wakes this writer (at the head of the queue). A writer that set
 * HANDOFF spins on the owner first and tries again without sleeping when it saw the lock free.
 */
export function rwsem_down_write_slowpath(t: Thread, s: number, label: number): void {
  if (rwsem_optimistic_spin(t, s, label)) return;
  const a = t.a;
  const state = t.lines.th(t.tid, TH_RW_STATE);
  lockword_lock(t, s + RW_WAIT_LOCK, label);
  if (rwsem_add_waiter(t, s, true, label)) a.or(s + RW_COUNT, WAITERS, label);
  else rwsem_cond_wake_waiter(t, s, a.load(s + RW_COUNT, label), label);
  while (!rwsem_try_write_lock(t, s, label)) {
    lockword_unlock(t, s + RW_WAIT_LOCK, label);
    if ((a.load(state, label) & RWW_HANDOFF) === 0 || !rwsem_spin_on_owner(t, s, label)) {
      for (let n = a.load(s + RW_WNEXT, label); (a.load(state, label) & RWW_WOKEN) === 0; n = a.load(s + RW_WNEXT, label)) {
        a.block(s + RW_WNEXT, n, label);
      }
    }
    a.and(state, ~RWW_WOKEN, label);
    lockword_lock(t, s + RW_WAIT_LOCK, label);
  }
  lockword_unlock(t, s + RW_WAIT_LOCK, label);
}
