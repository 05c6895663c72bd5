// rw_semaphore (mmap_sem, i_mmap_rwsem, the VMA locks), after kernel/locking/rwsem.c: one count
// word with lock-free fast paths and a wait_lock for the slow paths. The fast paths are shared by
// the variants (--rwsem); the slow paths are the variant's:
// - linux (rwsem_linux.ts): rwsem.c's policy, readers and writers steal, HANDOFF after a timeout;
// - the queued variants (below): direct hand-off on release under wait_lock, never HANDOFF.
//   phase-fair: once anyone is queued, new readers queue too (a writer is never starved); a
//   writer's release admits every queued reader at once (a stream of writers never starves
//   readers either). reader-pref: a new reader gets in whenever no writer holds the lock, queued
//   writers or not. writer-pref: new readers queue behind a queued writer, and a writer's release
//   hands on to the next writer before any reader. The study knob for mmap_sem's policy.
// - a module (--rwsem FILE, rwsem_module.ts): the user's own protocol in place of both paths;
//   the bookkeeping here (owner, readers, the exclusion check, the profiler) stays around it.
import type { Thread } from '../kernel/thread.js';
import {
  RW_COUNT, RW_OWNER, RW_READERS, RW_RGEN, RW_RWAIT, RW_WAIT_LOCK, RW_WNEXT, RW_WTICKET, RW_WWAIT,
} from '../shm/layout.js';
import { check_may_sleep, check_release, check_rwsem_exclusive } from '../check/locks.js';
import { lockword_lock, lockword_unlock } from './lockword.js';
import { MODE_R, MODE_W, OPEN_LOCK_WAIT } from '../profile/probe.js';
import * as linux from './rwsem_linux.js';
import { BIAS, LOCK_MASK, READ_FAILED, WAITERS, WRITER } from './rwsem_linux.js';

const FLAGS = WRITER | WAITERS;

/** A queued variant, not rwsem.c's (read on the slow paths only: a config string compare is not free). */
function queued(t: Thread): boolean {
  return t.rwsemVariant !== 'linux';
}

export function down_read(t: Thread, s: number, label: number): void {
  check_may_sleep(t, t.spinDepth, 'rwsem', s);
  const a = t.a;
  if (t.rwsemOps !== null) {
    t.rwsemOps.down_read(t, s, label);
  } else {
    const old = a.add(s + RW_COUNT, BIAS, label);
    if ((old & READ_FAILED) !== 0) down_read_contended(t, s, old + BIAS, label);
  }
  a.or(s + RW_READERS, 1 << t.tid, label);
  check_rwsem_exclusive(t, s, a.peek(s + RW_OWNER), 0, false);
  t.hold(s, MODE_R, label);
}

/** down_read_trylock: fails if a writer holds the lock, anyone is queued or HANDOFF is set (never sleeps). */
export function down_read_trylock(t: Thread, s: number, label: number): boolean {
  const a = t.a;
  if (t.rwsemOps !== null) return t.rwsemOps.down_read_trylock(t, s, label) && read_trylock_taken(t, s, label);
  for (let c = a.load(s + RW_COUNT, label); (c & READ_FAILED) === 0; c = a.load(s + RW_COUNT, label)) {
    if (a.cas(s + RW_COUNT, c, c + BIAS, label) === c) return read_trylock_taken(t, s, label);
  }
  return false;
}

function read_trylock_taken(t: Thread, s: number, label: number): true {
  t.a.or(s + RW_READERS, 1 << t.tid, label);
  check_rwsem_exclusive(t, s, t.a.peek(s + RW_OWNER), 0, false);
  t.hold(s, MODE_R, label, true);
  return true;
}

export function up_read(t: Thread, s: number, label: number): void {
  t.unhold(s, MODE_R);
  const bit = 1 << t.tid;
  const mask = t.a.and(s + RW_READERS, ~bit, label);
  if ((mask & bit) === 0) check_release(t, s, 0, 'rwsem (read)');
  if (t.rwsemOps !== null) t.rwsemOps.up_read(t, s, label);
  else drop_read_bias(t, s, label);
}

export function down_write(t: Thread, s: number, label: number): void {
  check_may_sleep(t, t.spinDepth, 'rwsem', s);
  const a = t.a;
  if (t.rwsemOps !== null) t.rwsemOps.down_write(t, s, label);
  else if (a.cas(s + RW_COUNT, 0, WRITER, label) !== 0) down_write_contended(t, s, label);
  a.store(s + RW_OWNER, t.lockId, label);
  check_rwsem_exclusive(t, s, t.lockId, a.peek(s + RW_READERS), true);
  t.hold(s, MODE_W, label);
}

// The contended paths live out of line (as rwsem_down_read_slowpath does), so the uncontended
// down_read/down_write stay small enough for V8 to inline into their callers.

/** The fast-path add met a writer, waiters or HANDOFF (`count`: the count with our bias in).
 * linux: steal or queue; the queued variants: take our bias back out, then steal or queue. */
function down_read_contended(t: Thread, s: number, count: number, label: number): void {
  const since = t.probe.open(OPEN_LOCK_WAIT, s);
  const holder = t.a.peek(s + RW_OWNER);
  if (queued(t)) {
    drop_read_bias(t, s, label);
    down_read_slowpath(t, s, label);
  } else {
    linux.rwsem_down_read_slowpath(t, s, count, label);
  }
  t.probe.waited(s, MODE_R, label, since, holder);
}

function down_write_contended(t: Thread, s: number, label: number): void {
  const since = t.probe.open(OPEN_LOCK_WAIT, s);
  const holder = t.a.peek(s + RW_OWNER);
  if (queued(t)) down_write_slowpath(t, s, label);
  else linux.rwsem_down_write_slowpath(t, s, label);
  t.probe.waited(s, MODE_W, label, since, holder);
}

export function up_write(t: Thread, s: number, label: number): void {
  t.unhold(s, MODE_W);
  const a = t.a;
  check_release(t, s, a.xchg(s + RW_OWNER, 0, label), 'rwsem (write)');
  if (t.rwsemOps !== null) return t.rwsemOps.up_write(t, s, label);
  if (a.cas(s + RW_COUNT, WRITER, 0, label) === WRITER) return;
  if (queued(t)) up_write_slowpath(t, s, label);
  else if ((a.add(s + RW_COUNT, -WRITER, label) & WAITERS) !== 0) linux.rwsem_wake(t, s, label);
}

/** downgrade_write: the writer goes on as a reader, with no writer let in between; queued readers
 * are admitted with it (rwsem_downgrade_wake; linux: only when a reader is first in the queue). */
export function downgrade_write(t: Thread, s: number, label: number): void {
  t.unhold(s, MODE_W);
  const a = t.a;
  check_release(t, s, a.xchg(s + RW_OWNER, 0, label), 'rwsem (write)');
  a.or(s + RW_READERS, 1 << t.tid, label);
  if (t.rwsemOps !== null) {
    t.rwsemOps.downgrade_write(t, s, label);
    t.hold(s, MODE_R, label);
    return;
  }
  const old = a.add(s + RW_COUNT, BIAS - WRITER, label);
  t.hold(s, MODE_R, label);
  if ((old & WAITERS) === 0) return;
  if (!queued(t)) {
    linux.rwsem_downgrade_wake(t, s, label);
    return;
  }
  lockword_lock(t, s + RW_WAIT_LOCK, label);
  grant_readers(t, s, label);
  lockword_unlock(t, s + RW_WAIT_LOCK, label);
}

/** A writer leaving with waiters queued: hand the lock on under wait_lock. */
function up_write_slowpath(t: Thread, s: number, label: number): void {
  const a = t.a;
  lockword_lock(t, s + RW_WAIT_LOCK, label);
  // after a writer, every queued reader goes first (writer-pref: the next writer does); else the
  // other kind, directly
  const writerFirst = t.rwsemVariant === 'writer-pref' && a.load(s + RW_WWAIT, label) > 0;
  if (!writerFirst && a.load(s + RW_RWAIT, label) > 0) grant_readers(t, s, label);
  else if (a.load(s + RW_WWAIT, label) > 0) grant_writer(t, s, label);
  else a.and(s + RW_COUNT, ~FLAGS, label);
  lockword_unlock(t, s + RW_WAIT_LOCK, label);
}

/** Removes one reader bias; whoever leaves the lock empty with waiters queued hands it on. */
function drop_read_bias(t: Thread, s: number, label: number): void {
  if (((t.a.add(s + RW_COUNT, -BIAS, label) - BIAS) & (LOCK_MASK | WAITERS)) !== WAITERS) return;
  if (queued(t)) wake_under_wait_lock(t, s, label);
  else linux.rwsem_wake(t, s, label);
}

function wake_under_wait_lock(t: Thread, s: number, label: number): void {
  lockword_lock(t, s + RW_WAIT_LOCK, label);
  rwsem_wake(t, s, label);
  lockword_unlock(t, s + RW_WAIT_LOCK, label);
}

/**
 * Under wait_lock: if nobody holds the lock but someone is queued, hand it over (the first
 * queued writer, else every queued reader). Called by the last reader out and by every new
 * waiter after it queued: a release on the fast path cannot have seen a waiter that queued
 * after it, so the waiter checks for itself.
 */
function rwsem_wake(t: Thread, s: number, label: number): void {
  const a = t.a;
  if ((a.load(s + RW_COUNT, label) & ~WAITERS) !== 0) return; // held (a transient reader bias re-checks on its way out)
  if (a.load(s + RW_WWAIT, label) > 0) grant_writer(t, s, label);
  else grant_readers(t, s, label);
}

/** Under wait_lock: admit every queued reader, adding their biases on their behalf. */
function grant_readers(t: Thread, s: number, label: number): void {
  const a = t.a;
  const readers = a.load(s + RW_RWAIT, label);
  if (readers === 0) return;
  a.store(s + RW_RWAIT, 0, label);
  const keepWaiters = a.load(s + RW_WWAIT, label) > 0;
  for (;;) {
    const c = a.load(s + RW_COUNT, label);
    const next = (c & ~FLAGS) + readers * BIAS + (keepWaiters ? WAITERS : 0);
    if (a.cas(s + RW_COUNT, c, next, label) === c) break;
  }
  t.probe.handoff(s);
  a.add(s + RW_RGEN, 1, label);
  a.wake(s + RW_RGEN);
}

/** Under wait_lock: give the lock to the next queued writer (FIFO by ticket). */
function grant_writer(t: Thread, s: number, label: number): void {
  const a = t.a;
  const left = a.add(s + RW_WWAIT, -1, label) - 1 + a.load(s + RW_RWAIT, label);
  for (;;) {
    const c = a.load(s + RW_COUNT, label);
    const next = (c & ~FLAGS) | WRITER | (left > 0 ? WAITERS : 0);
    if (a.cas(s + RW_COUNT, c, next, label) === c) break;
  }
  t.probe.handoff(s);
  a.add(s + RW_WNEXT, 1, label);
  a.wake(s + RW_WNEXT);
}

function down_read_slowpath(t: Thread, s: number, label: number): void {
  const a = t.a;
  lockword_lock(t, s + RW_WAIT_LOCK, label);
  const passWriters = t.rwsemVariant === 'reader-pref';
  for (let c = a.load(s + RW_COUNT, label); (c & WRITER) === 0 && (passWriters || a.load(s + RW_WWAIT, label) === 0); c = a.load(s + RW_COUNT, label)) {
    // nobody holds it for write and no writer queues (reader-pref: whether or not one does):
    // steal, as rwsem's reader slow path does (a compare-and-swap: a fast-path writer may take
    // the lock between our look and our add)
    if (a.cas(s + RW_COUNT, c, c + BIAS, label) === c) {
      lockword_unlock(t, s + RW_WAIT_LOCK, label);
      return;
    }
  }
  const gen = a.load(s + RW_RGEN, label);
  a.add(s + RW_RWAIT, 1, label);
  a.or(s + RW_COUNT, WAITERS, label);
  rwsem_wake(t, s, label);
  lockword_unlock(t, s + RW_WAIT_LOCK, label);
  for (let g = gen; g === gen; g = a.load(s + RW_RGEN, label)) a.block(s + RW_RGEN, g, label);
}

function down_write_slowpath(t: Thread, s: number, label: number): void {
  const a = t.a;
  lockword_lock(t, s + RW_WAIT_LOCK, label);
  const ticket = a.add(s + RW_WTICKET, 1, label);
  a.add(s + RW_WWAIT, 1, label);
  a.or(s + RW_COUNT, WAITERS, label);
  rwsem_wake(t, s, label);
  lockword_unlock(t, s + RW_WAIT_LOCK, label);
  for (let n = a.load(s + RW_WNEXT, label); n - ticket <= 0; n = a.load(s + RW_WNEXT, label)) {
    a.block(s + RW_WNEXT, n, label);
  }
}

/** For reports: who holds the rwsem now (writer tid or -1, reader tids). */
export function rwsem_holders(m: Int32Array, s: number): { writer: number; readers: number[] } {
  const mask = Atomics.load(m, s + RW_READERS);
  const readers: number[] = [];
  for (let i = 0; i < 31; i++) if (mask & (1 << i)) readers.push(i);
  return { writer: Atomics.load(m, s + RW_OWNER) - 1, readers };
}
