// What a user test's thread function gets: the shared memory and the locks it declared, each
// operation a labelled scheduling point of the same engine the machine runs on. The locks are the
// kernel's own (locking/): `rwsem` is the rw_semaphore behind mmap_sem, `mutex` and `spinlock`
// the lock word behind the reservation, page and page-table locks.
import type { RwsemChoice } from '../config.js';
import { Thread } from '../kernel/thread.js';
import { label } from '../sched/labels.js';
import { mutex_lock, mutex_trylock, mutex_unlock } from '../locking/mutex.js';
import { spin_lock, spin_unlock } from '../locking/spinlock.js';
import { down_read, down_write, up_read, up_write } from '../locking/rwsem.js';
import { violation } from '../check/violation.js';
import { CTL_ABORT } from '../shm/layout.js';
import { Aborted, type Scheduler } from '../sched/scheduler.js';
import type { Region, TestLayout } from './layout.js';

// a point's label is `<thread>:<op>:<name>`: stable across edits of the test elsewhere
const OPS = ['load', 'store', 'cas', 'add', 'xchg', 'lock', 'unlock', 'trylock', 'down_read', 'up_read', 'down_write', 'up_write', 'wait', 'signal', 'barrier', 'futex_wait', 'futex_wake'] as const;
type Op = (typeof OPS)[number];
const OP: { [K in Op]: number } = Object.fromEntries(OPS.map((o, i) => [o, i])) as { [K in Op]: number };
const MEMORY_OPS: Op[] = ['load', 'store', 'cas', 'add', 'xchg', 'futex_wait', 'futex_wake'];
const KIND_OPS: Record<Region['kind'], Op[]> = {
  word: MEMORY_OPS,
  array: MEMORY_OPS,
  mutex: ['lock', 'unlock', 'trylock'],
  spinlock: ['lock', 'unlock'],
  rwsem: ['down_read', 'up_read', 'down_write', 'up_write'],
  condvar: ['wait', 'signal'],
  barrier: ['barrier'],
};

/** A region as a thread uses it: where it is and its point labels by op (-1: not an op of its kind). */
export interface Entry {
  region: Region;
  labels: number[];
}

/** Every label thread `name` can reach, made up front: a label's name must be known in every
 * thread that reads a trace or a schedule file, not only in the one that reached it. */
export function threadEntries(lay: TestLayout, name: string): Map<string, Entry> {
  const out = new Map<string, Entry>();
  for (const region of lay.regions) {
    const labels = OPS.map((op) => (KIND_OPS[region.kind].includes(op) ? label(`${name}:${op}:${region.name}`) : -1));
    out.set(region.name, { region, labels });
  }
  return out;
}

export class TestThread extends Thread {
  constructor(
    m: Int32Array,
    tid: number,
    sched: Scheduler,
    private readonly lay: TestLayout,
    private readonly entries: Map<string, Entry>,
    rwsemVariant: RwsemChoice,
    name: string,
  ) {
    super(m, tid, sched, lay, rwsemVariant, name);
  }

  /** Reads a word (or element `i` of an array). */
  load(name: string, i = 0): number {
    const [idx, l] = this.word(name, i, OP.load);
    return this.a.load(idx, l);
  }
  store(name: string, value: number, i = 0): void {
    const [idx, l] = this.word(name, i, OP.store);
    this.a.store(idx, value, l);
  }
  /** compare-and-swap: returns the value found (the swap happened if it equals `expected`) */
  cas(name: string, expected: number, value: number, i = 0): number {
    const [idx, l] = this.word(name, i, OP.cas);
    return this.a.cas(idx, expected, value, l);
  }
  /** returns the old value */
  add(name: string, value: number, i = 0): number {
    const [idx, l] = this.word(name, i, OP.add);
    return this.a.add(idx, value, l);
  }
  /** returns the old value */
  xchg(name: string, value: number, i = 0): number {
    const [idx, l] = this.word(name, i, OP.xchg);
    return this.a.xchg(idx, value, l);
  }

  /** Takes a mutex (may sleep) or a spinlock. */
  lock(name: string): void {
    const e = this.entry(name, OP.lock, 'mutex', 'spinlock');
    if (e.region.kind === 'mutex') mutex_lock(this, e.region.base, e.labels[OP.lock]!);
    else spin_lock(this, e.region.base, e.labels[OP.lock]!);
  }
  unlock(name: string): void {
    const e = this.entry(name, OP.unlock, 'mutex', 'spinlock');
    if (e.region.kind === 'mutex') mutex_unlock(this, e.region.base, e.labels[OP.unlock]!);
    else spin_unlock(this, e.region.base, e.labels[OP.unlock]!);
  }
  /** mutex_trylock: true when taken */
  trylock(name: string): boolean {
    const e = this.entry(name, OP.trylock, 'mutex');
    return mutex_trylock(this, e.region.base, e.labels[OP.trylock]!);
  }

  downRead(name: string): void {
    const e = this.entry(name, OP.down_read, 'rwsem');
    down_read(this, e.region.base, e.labels[OP.down_read]!);
  }
  upRead(name: string): void {
    const e = this.entry(name, OP.up_read, 'rwsem');
    up_read(this, e.region.base, e.labels[OP.up_read]!);
  }
  downWrite(name: string): void {
    const e = this.entry(name, OP.down_write, 'rwsem');
    down_write(this, e.region.base, e.labels[OP.down_write]!);
  }
  upWrite(name: string): void {
    const e = this.entry(name, OP.up_write, 'rwsem');
    up_write(this, e.region.base, e.labels[OP.up_write]!);
  }

  /** Condition variable: releases `mutex`, sleeps until signalled, takes `mutex` again. As with
   * pthreads, the caller re-checks its condition in a loop. */
  wait(cv: string, mutex: string): void {
    const e = this.entry(cv, OP.wait, 'condvar');
    const l = e.labels[OP.wait]!;
    const seq = this.a.load(e.region.base, l);
    this.unlock(mutex);
    if (this.a.load(e.region.base, l) === seq) this.a.block(e.region.base, seq, l);
    this.lock(mutex);
  }
  /** Wakes every waiter of the condition variable (a waiter re-checks its condition anyway). */
  signal(cv: string): void {
    const e = this.entry(cv, OP.signal, 'condvar');
    this.a.add(e.region.base, 1, e.labels[OP.signal]!);
    this.a.wake(e.region.base);
  }

  /** Waits until every thread of the test has reached the barrier. */
  barrier(name: string): void {
    const e = this.entry(name, OP.barrier, 'barrier');
    const l = e.labels[OP.barrier]!;
    const arrived = e.region.base;
    const gen = arrived + 1;
    const g = this.a.load(gen, l);
    if (this.a.add(arrived, 1, l) + 1 === this.lay.threads) {
      this.a.store(arrived, 0, l);
      this.a.add(gen, 1, l);
      this.a.wake(gen);
      return;
    }
    for (let now = this.a.load(gen, l); now === g; now = this.a.load(gen, l)) this.a.block(gen, g, l);
  }

  /** futex(FUTEX_WAIT): sleeps if the word still holds `value`, until a futexWake on it. */
  futexWait(name: string, value: number, i = 0): void {
    const [idx, l] = this.word(name, i, OP.futex_wait);
    if (this.a.load(idx, l) === value) this.a.block(idx, value, l);
  }
  /** futex(FUTEX_WAKE): wakes every thread asleep on the word (not a point of its own: the store before it was). */
  futexWake(name: string, i = 0): void {
    this.a.wake(this.word(name, i, OP.futex_wake)[0]);
  }

  /** The test's own oracle: a false `cond` is a violation named `test:<oracle>`. */
  check(cond: boolean, oracle: string, message: string): void {
    if (!cond) violation(this, `test:${oracle}`, message);
  }

  /** The thread finished a unit of work: the livelock limit counts steps without any. */
  progress(): void {
    this.a.sched.progress();
  }

  private entry(name: string, op: number, ...kinds: Region['kind'][]): Entry {
    // the run was aborted (a violation elsewhere, a watchdog): unwind at the next operation
    if (this.m[CTL_ABORT] !== 0) throw new Aborted();
    const e = this.entries.get(name);
    if (e === undefined) throw new Error(`the test declares nothing named '${name}'`);
    if (!kinds.includes(e.region.kind)) throw new Error(`${OPS[op]} needs ${kinds.join(' or ')}, but '${name}' is a ${e.region.kind}`);
    return e;
  }

  /** A memory word's index and the op's label there (a label per word name, not per element). */
  private word(name: string, i: number, op: number): [number, number] {
    const e = this.entry(name, op, 'word', 'array');
    if (!(i >= 0 && i < e.region.size && Number.isInteger(i))) throw new RangeError(`${name}[${i}]: index out of range [0, ${e.region.size})`);
    return [e.region.base + i, e.labels[op]!];
  }
}
