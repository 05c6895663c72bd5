// The accessor layer: every access to shared simulated state goes through here, and every call
// is a labelled scheduling point. Oracles use `peek`, which is not a scheduling point.
import type { Scheduler } from './scheduler.js';

export class Access {
  constructor(
    readonly m: Int32Array,
    readonly sched: Scheduler,
  ) {}

  load(idx: number, label: number): number {
    this.sched.point(label, idx, false);
    return Atomics.load(this.m, idx);
  }
  store(idx: number, v: number, label: number): void {
    this.sched.point(label, idx, true);
    Atomics.store(this.m, idx, v);
  }
  cas(idx: number, expected: number, v: number, label: number): number {
    this.sched.point(label, idx, true);
    return Atomics.compareExchange(this.m, idx, expected, v);
  }
  xchg(idx: number, v: number, label: number): number {
    this.sched.point(label, idx, true);
    return Atomics.exchange(this.m, idx, v);
  }
  /** returns the old value */
  add(idx: number, v: number, label: number): number {
    this.sched.point(label, idx, true);
    return Atomics.add(this.m, idx, v);
  }
  or(idx: number, v: number, label: number): number {
    this.sched.point(label, idx, true);
    return Atomics.or(this.m, idx, v);
  }
  and(idx: number, v: number, label: number): number {
    this.sched.point(label, idx, true);
    return Atomics.and(this.m, idx, v);
  }
  /** Copies n words as one step (a memcpy of one page). */
  copy(dst: number, src: number, n: number, label: number): void {
    this.sched.point(label, src, false);
    for (let i = 0; i < n; i++) Atomics.store(this.m, dst + i, Atomics.load(this.m, src + i));
  }
  /** A scheduling point on its own: the start of a user instruction, whose translation and data
   * access then happen as one step (an instruction is atomic w.r.t. interrupts and preemption).
   * `write` when that instruction stores. */
  point(label: number, idx: number, write: boolean): void {
    this.sched.point(label, idx, write);
  }
  /** The data access of that instruction: no second scheduling point. */
  insnLoad(idx: number): number {
    return Atomics.load(this.m, idx);
  }
  insnStore(idx: number, v: number): void {
    Atomics.store(this.m, idx, v);
  }
  block(idx: number, val: number, label: number): void {
    this.sched.block(label, idx, val);
  }
  wake(idx: number): void {
    this.sched.wake(idx);
  }
  /** A word private to this thread (its TLB, its IPI bookkeeping): no other thread touches it,
   * so it is not a scheduling point. */
  local(idx: number): number {
    return this.m[idx] as number;
  }
  setLocal(idx: number, v: number): void {
    this.m[idx] = v;
  }
  /** Oracle-only read: not a scheduling point, never part of the modelled protocol. */
  peek(idx: number): number {
    return Atomics.load(this.m, idx);
  }
}
