// The rwsem's wake policy, one hand-written interleaving at a time (see script.ts): Linux's
// (kernel/locking/rwsem.c) by default, and where they differ, the phase-fair variant's.
import test, { type ExecutionContext } from 'ava';
import {
  MM_MMAP_SEM, RW_COUNT, RW_OWNER, RW_READERS, RW_RGEN, RW_RWAIT, RW_WAIT_LOCK, RW_WAITLIST, RW_WNEXT, TH_RW_STATE,
} from '../../src/shm/layout.js';
import { down_read, down_write, downgrade_write, up_read, up_write } from '../../src/locking/rwsem.js';
import { BIAS, HANDOFF, RWW_HANDOFF, RWW_WOKEN, WAITERS, WRITER } from '../../src/locking/rwsem_linux.js';
import type { Task } from '../../src/kernel/task.js';
import { parks, script, type Script } from './script.js';

const L = 1;

function setup(cpus: number, rwsem: 'linux' | 'phase-fair' = 'linux', serial = true): { x: Script; s: number; t: Task[] } {
  const x = script({ cpus, rwsem }, serial);
  return { x, s: x.lay.mmw(0, MM_MMAP_SEM), t: Array.from({ length: cpus }, (_, tid) => x.task(tid)) };
}

/** Task 0 holds the lock for write; tasks 1, 2, … queue behind it in that order as `order` says
 * ('r' a reader, 'w' a writer), each parked. */
function queuedBehindWriter(t: ExecutionContext, order: string): { x: Script; s: number; t: Task[] } {
  const z = setup(order.length + 1);
  down_write(z.t[0]!, z.s, L);
  [...order].forEach((kind, i) => t.true(parks(() => (kind === 'r' ? down_read : down_write)(z.t[i + 1]!, z.s, L)), `${kind} ${i + 1} queues`));
  return z;
}

const state = (x: Script, tid: number): number => x.m[x.lay.th(tid, TH_RW_STATE)]!;

for (const rwsem of ['linux', 'phase-fair'] as const) {
  test(`${rwsem}: a reader that finds the lock free with a writer queued ${rwsem === 'linux' ? 'steals it' : 'queues behind the writer'}`, (t) => {
    const { x, s, t: [r1, w, r2] } = setup(3, rwsem);
    down_read(r1!, s, L);
    t.true(parks(() => down_write(w!, s, L)), 'the writer queues behind the reader');
    // the last reader has dropped its bias and not yet taken wait_lock to wake the writer: r2 comes in
    let r2Parked: boolean | undefined;
    x.at(r1!.tid, s + RW_WAIT_LOCK, () => {
      t.is(x.m[s + RW_COUNT], WAITERS, 'nobody holds it, a writer waits, no HANDOFF');
      r2Parked = parks(() => down_read(r2!, s, L));
    });
    up_read(r1!, s, L);
    if (rwsem === 'linux') {
      t.false(r2Parked, 'the reader stole the lock');
      t.is(x.m[s + RW_READERS], 1 << r2!.tid);
      t.is(x.m[s + RW_WAITLIST], 1 << w!.tid, 'the writer still waits');
      t.is(x.m[s + RW_COUNT], BIAS | WAITERS);
      t.is(state(x, w!.tid) & RWW_WOKEN, RWW_WOKEN, 'the release woke the writer all the same: it will find the lock taken');
    } else {
      t.true(r2Parked, 'the reader queued');
      t.is(x.m[s + RW_READERS], 0);
      t.is(x.m[s + RW_COUNT], WRITER | WAITERS, 'the writer was handed the lock, the reader waits for it');
      t.is(x.m[s + RW_RWAIT], 1);
    }
  });

  test(`${rwsem}: a writer that finds the lock free with a writer queued ${rwsem === 'linux' ? 'steals it (optimistic spinning)' : 'queues: the lock was handed to the queued one'}`, (t) => {
    const { x, s, t: [w0, w1, w2] } = setup(3, rwsem);
    down_write(w0!, s, L);
    t.true(parks(() => down_write(w1!, s, L)));
    up_write(w0!, s, L);
    if (rwsem === 'linux') {
      t.is(x.m[s + RW_COUNT], WAITERS, 'free until the woken writer runs');
      t.false(parks(() => down_write(w2!, s, L)), 'the newcomer took it');
      t.is(x.m[s + RW_OWNER], w2!.lockId);
      t.is(x.m[s + RW_COUNT], WRITER | WAITERS);
      t.is(x.m[s + RW_WAITLIST], 1 << w1!.tid);
    } else {
      t.is(x.m[s + RW_COUNT], WRITER, 'handed to the queued writer');
      t.true(parks(() => down_write(w2!, s, L)));
    }
  });
}

test('linux: a reader does not steal while other readers own the lock and a writer waits (no reader stream starves the writer)', (t) => {
  const { x, s, t: [r1, w, r2] } = setup(3);
  down_read(r1!, s, L);
  t.true(parks(() => down_write(w!, s, L)));
  t.true(parks(() => down_read(r2!, s, L)), 'queued behind the writer');
  t.is(x.m[s + RW_COUNT], BIAS | WAITERS);
  up_read(r1!, s, L);
  t.is(state(x, w!.tid) & RWW_WOKEN, RWW_WOKEN, 'the last reader out wakes the writer, not the reader');
  t.is(x.m[s + RW_COUNT], WAITERS);
});

test('linux: a writer at the head of the queue is woken alone; the reader and the writer behind it sleep on', (t) => {
  const { x, s, t: [w0, w1, r, w2] } = queuedBehindWriter(t, 'wrw');
  const wakes = x.wakes.length;
  const gen = x.m[s + RW_RGEN];
  up_write(w0!, s, L);
  t.deepEqual(x.wakes.slice(wakes), [s + RW_WNEXT], 'one wake-up, on the word writers sleep on');
  t.is(state(x, w1!.tid) & RWW_WOKEN, RWW_WOKEN, 'the first writer is marked woken');
  t.is(state(x, w2!.tid) & RWW_WOKEN, 0, 'the other writer is not');
  t.is(x.m[s + RW_RGEN], gen, 'no reader is granted');
  t.is(x.m[s + RW_WAITLIST], (1 << w1!.tid) | (1 << r!.tid) | (1 << w2!.tid), 'all still queued');
  t.is(x.m[s + RW_COUNT], WAITERS, 'free: the woken writer takes it itself when it runs');
});

test('linux: readers at the head are granted together with the readers queued behind a writer; the writer stays queued', (t) => {
  const { x, s, t: [w0, , w1] } = queuedBehindWriter(t, 'rwr');
  const wakes = x.wakes.length;
  const gen = x.m[s + RW_RGEN]!;
  up_write(w0!, s, L);
  t.deepEqual(x.wakes.slice(wakes), [s + RW_RGEN], 'one wake-up, on the word readers sleep on');
  t.is(x.m[s + RW_RGEN], gen + 1, 'one grant, for every queued reader');
  t.is(x.m[s + RW_COUNT], 2 * BIAS | WAITERS, "both readers' biases are in");
  t.is(x.m[s + RW_WAITLIST], 1 << w1!.tid, 'only the writer is left');
  t.is(state(x, w1!.tid) & RWW_WOKEN, 0);
});

test('linux: downgrade_write lets the queued readers in when a reader is first, and nobody when a writer is', (t) => {
  {
    const { x, s, t: [w0, , w1] } = queuedBehindWriter(t, 'rwr');
    downgrade_write(w0!, s, L);
    t.is(x.m[s + RW_COUNT], 3 * BIAS | WAITERS, 'the downgraded writer and both readers');
    t.is(x.m[s + RW_WAITLIST], 1 << w1!.tid);
  }
  {
    const { x, s, t: [w0, w1, r1] } = queuedBehindWriter(t, 'wr');
    downgrade_write(w0!, s, L);
    t.is(x.m[s + RW_COUNT], BIAS | WAITERS, 'only the downgraded writer');
    t.is(x.m[s + RW_WAITLIST], (1 << w1!.tid) | (1 << r1!.tid));
    t.is(state(x, w1!.tid) & RWW_WOKEN, 0, 'a writer is not woken by a downgrade');
  }
});

test('linux: a writer at the head that stealers keep passing sets HANDOFF once it has waited past the timeout, then gets the lock', (t) => {
  const { x, s, t: [w0, first, r, ...stealers] } = setup(7);
  down_write(w0!, s, L);
  const stole: boolean[] = [];
  const handoff: boolean[] = [];
  // each time the first writer sleeps: the holder releases, and before its wake-up takes wait_lock
  // the next writer comes in (and, the last time, a reader too)
  let holder = w0!;
  const round = (by: Task, i: number) => (): void => {
    handoff.push((x.m[s + RW_COUNT]! & HANDOFF) !== 0);
    x.at(holder.tid, s + RW_WAIT_LOCK, () => {
      if (i === 3) t.true(parks(() => down_read(r!, s, L)), 'HANDOFF: the reader does not steal either');
      stole.push(!parks(() => down_write(by, s, L)));
    });
    up_write(holder, s, L);
    holder = by;
  };
  x.onSleep(...stealers.map(round));
  down_write(first!, s, L);
  t.deepEqual(handoff, [false, false, false, true], 'HANDOFF set after the third release that passed it over');
  t.deepEqual(stole, [true, true, true, false], 'three writers steal the lock; the fourth finds HANDOFF and queues');
  t.is(x.m[s + RW_OWNER], first!.lockId, 'the first waiter got it');
  t.is(x.m[s + RW_COUNT], WRITER | WAITERS, 'HANDOFF cleared as it took the lock');
  t.is(x.m[s + RW_WAITLIST], (1 << r!.tid) | (1 << stealers[3]!.tid));
  t.is(x.sleeps.filter((z) => z.tid === first!.tid).length, 4);
});

test('linux: a reader at the head that writers keep stealing from sets HANDOFF once it has waited past the timeout; the next release grants it', (t) => {
  const { x, s, t: [w0, r, ...stealers] } = setup(6);
  down_write(w0!, s, L);
  t.true(parks(() => down_read(r!, s, L)));
  const gen = x.m[s + RW_RGEN]!;
  let holder = w0!;
  for (const [i, by] of stealers.entries()) {
    x.at(holder.tid, s + RW_WAIT_LOCK, () => t.is(parks(() => down_write(by, s, L)), i === 3, `writer ${by.tid} ${i === 3 ? 'queues' : 'steals'}`));
    up_write(holder, s, L);
    holder = by;
    if (i < 3) t.is((x.m[s + RW_COUNT]! & HANDOFF) !== 0, i === 2, `HANDOFF ${i === 2 ? 'set' : 'not yet set'} after release ${i + 1}`);
  }
  t.is(state(x, r!.tid) & RWW_HANDOFF, RWW_HANDOFF, 'the reader set it (handoff_set)');
  t.is(x.m[s + RW_RGEN], gen + 1, 'the reader was granted the lock');
  t.is(x.m[s + RW_COUNT], BIAS | WAITERS, 'HANDOFF cleared; the last writer waits');
  t.is(x.m[s + RW_WAITLIST], 1 << stealers[3]!.tid);
});

test('linux, free mode: the timeout is real time: a reader at the head passed over after 4 ms sets HANDOFF at once', (t) => {
  const { x, s, t: [w0, r, w1] } = setup(3, 'linux', false);
  down_write(w0!, s, L);
  t.true(parks(() => down_read(r!, s, L)));
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 6);
  x.at(w0!.tid, s + RW_WAIT_LOCK, () => t.false(parks(() => down_write(w1!, s, L))));
  up_write(w0!, s, L);
  t.is(x.m[s + RW_COUNT], WRITER | WAITERS | HANDOFF, 'the first release that passed it over after 4 ms');
  t.is(state(x, r!.tid) & RWW_HANDOFF, RWW_HANDOFF);
  up_write(w1!, s, L);
  t.is(x.m[s + RW_COUNT], BIAS, 'granted; HANDOFF and WAITERS gone with the last waiter');
});
