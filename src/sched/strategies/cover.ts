// cover: coverage-guided switching (issue 12 §3). At a point where the running thread is about to
// access a word that another runnable thread is stopped at a conflicting access of (same word, one
// of them a write), it switches to that thread when the order "that access, then this one" has not
// been seen yet in this explore (sched/coverage.ts keeps what has), so each schedule spends its
// switches on orders the ones before it did not try; elsewhere it switches at random with the
// switch probability. What it does depends on the schedules before it: an explore runs it on one
// group, seeds in order, and a failure replays from its schedule file, not from its seed.
import { Prng } from '../../lib/prng.js';
import { nthBit, popcount } from '../../lib/bits.js';
import type { ConflictCoverage } from '../coverage.js';
import type { Strategy } from './strategy.js';

// strategy words: [prng ×4, -, each thread's pending label ×32, pending access ×32 (word × 2 + write, -1: none)]
const W_LABEL = 5;
const W_ACCESS = W_LABEL + 32;

export class CoverStrategy implements Strategy {
  private readonly prng: Prng;
  private readonly switchBelow: number;

  constructor(
    private readonly s: Int32Array,
    private readonly base: number,
    private readonly coverage: ConflictCoverage,
    switchProbability: number,
  ) {
    this.prng = Prng.view(s, base);
    this.switchBelow = Math.floor(switchProbability * 4294967296);
  }

  init(seed: number, threads: number): void {
    this.prng.reseed(seed, 0xc0e);
    for (let t = 0; t < threads; t++) this.s[this.base + W_ACCESS + t] = -1;
  }

  next(cur: number, runnable: number, yielding: boolean, label: number, idx: number, write: boolean): number {
    const s = this.s;
    const b = this.base;
    s[b + W_LABEL + cur] = label;
    s[b + W_ACCESS + cur] = yielding || idx < 0 ? -1 : idx * 2 + (write ? 1 : 0);
    if (yielding || (runnable & (1 << cur)) === 0) return this.any(runnable);
    let picks = 0;
    let pick = -1;
    for (let r = runnable & ~(1 << cur), t = 0; r !== 0; r >>>= 1, t++) {
      const e = (r & 1) !== 0 ? s[b + W_ACCESS + t]! : -1;
      if (e < 0 || e >> 1 !== idx || ((e & 1) === 0 && !write)) continue;
      // reservoir choice among the threads whose access before this one would be a new order
      if (!this.coverage.has(s[b + W_LABEL + t]!, label) && this.prng.below(++picks) === 0) pick = t;
    }
    if (pick >= 0) return pick;
    return this.prng.u32() < this.switchBelow ? this.any(runnable) : cur;
  }

  private any(runnable: number): number {
    return nthBit(runnable, this.prng.below(popcount(runnable)));
  }
}
