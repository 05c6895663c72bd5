// pos (partial order sampling; Yuan, Yang and Gu, CAV 2018): every thread's next event holds a
// random priority and the runnable thread whose event has the highest one runs. Once an event has
// executed, the events that race with it (same word, at least one of them a write) draw fresh
// priorities, so each order of a racing pair is equally likely, however far apart the two events
// are; the executing thread's next event draws a fresh one as well. An event here is a thread's
// next scheduling point; a user access whose word is not known before its translation (-1) races
// with nothing.
import { Prng } from '../../lib/prng.js';
import type { Strategy } from './strategy.js';

// strategy words: [prng ×4, threads, priorities (one per thread), pending events (word × 2 + write, -1: none)]
const W_THREADS = 4;
const W_PRIO = 5;
const W_EVENT = W_PRIO + 32;

export class PosStrategy implements Strategy {
  private readonly prng: Prng;

  constructor(
    private readonly s: Int32Array,
    private readonly base: number,
  ) {
    this.prng = Prng.view(s, base);
  }

  init(seed: number, threads: number): void {
    const s = this.s;
    const b = this.base;
    this.prng.reseed(seed, 0x905);
    s[b + W_THREADS] = threads;
    for (let t = 0; t < threads; t++) {
      s[b + W_PRIO + t] = this.prng.u32() | 0;
      s[b + W_EVENT + t] = -1;
    }
  }

  next(cur: number, runnable: number, _yielding: boolean, _label: number, idx: number, write: boolean): number {
    const s = this.s;
    const b = this.base;
    const done = s[b + W_EVENT + cur]!;
    if (done >= 0) {
      const word = done >> 1;
      for (let t = 0, n = s[b + W_THREADS]!; t < n; t++) {
        const e = t === cur ? -1 : s[b + W_EVENT + t]!;
        if (e >= 0 && e >> 1 === word && ((e | done) & 1) !== 0) s[b + W_PRIO + t] = this.prng.u32() | 0;
      }
    }
    s[b + W_EVENT + cur] = idx >= 0 ? idx * 2 + (write ? 1 : 0) : -1;
    s[b + W_PRIO + cur] = this.prng.u32() | 0;
    let best = -1;
    let bestPrio = 0;
    for (let r = runnable, i = 0; r !== 0; r >>>= 1, i++) {
      if ((r & 1) !== 0 && (best < 0 || s[b + W_PRIO + i]! > bestPrio)) {
        best = i;
        bestPrio = s[b + W_PRIO + i]!;
      }
    }
    return best;
  }
}

/** The priority of thread t's next event (for tests of the re-draw rule). */
export function posPriority(s: Int32Array, base: number, t: number): number {
  return s[base + W_PRIO + t]!;
}
