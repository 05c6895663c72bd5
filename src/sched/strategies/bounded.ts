// bounded: round-robin with a preemption bound (CHESS). A thread runs until it waits or exits,
// then the next runnable thread in order takes over; at most `bound` times the running thread is
// preempted. Seeded mode places the preemptions at random points; exhaustive mode follows a
// prefix of choices handed in by the explorer and records how many alternatives each choice
// point had, so the explorer can enumerate every schedule up to the bound.
import { Prng } from '../../lib/prng.js';
import { nthBit, popcount } from '../../lib/bits.js';
import type { Strategy } from './strategy.js';
import type { ChoiceTape } from './choice_tape.js';

// strategy words: [prng ×4, preemptions used, multi-steps, preemption points...]
const W_USED = 4;
const W_MULTI = 5;
const W_POINTS = 8;
export const BOUNDED_MAX = 16;

export class BoundedStrategy implements Strategy {
  private readonly prng: Prng;

  constructor(
    private readonly s: Int32Array,
    private readonly base: number,
    private readonly bound: number,
    private readonly steps: number,
    private readonly tape: ChoiceTape | null,
  ) {
    this.prng = Prng.view(s, base);
  }

  init(seed: number): void {
    const s = this.s;
    const b = this.base;
    this.prng.reseed(seed, 0xb0b);
    s[b + W_USED] = 0;
    s[b + W_MULTI] = 0;
    this.tape?.rewind();
    const points = Array.from({ length: this.bound }, () => 1 + this.prng.below(this.steps)).sort((x, y) => x - y);
    points.forEach((p, i) => (s[b + W_POINTS + i] = p));
  }

  next(cur: number, runnable: number, yielding: boolean): number {
    const s = this.s;
    const b = this.base;
    const curCan = !yielding && (runnable & (1 << cur)) !== 0;
    const others = runnable & ~(1 << cur);
    if (this.tape !== null) {
      // alternatives: go on (if possible), or any other runnable thread (a preemption if cur could go on)
      const canPreempt = !curCan || s[b + W_USED]! < this.bound;
      const n = (curCan ? 1 : 0) + (canPreempt ? popcount(others) : 0);
      if (n <= 1) return curCan ? cur : nthBit(runnable, 0);
      const k = this.tape.choose(n);
      if (curCan && k === 0) return cur;
      if (curCan) s[b + W_USED]!++;
      return nthBit(others, curCan ? k - 1 : k);
    }
    if (!curCan) return this.after(cur, runnable);
    if (others === 0) return cur;
    const multi = ++s[b + W_MULTI]!;
    const used = s[b + W_USED]!;
    if (used < this.bound && multi >= s[b + W_POINTS + used]!) {
      s[b + W_USED] = used + 1;
      return this.after(cur, others);
    }
    return cur;
  }

  /** the first thread of `mask` after `cur` in round-robin order */
  private after(cur: number, mask: number): number {
    for (let i = 1; i <= 32; i++) {
      const t = (cur + i) % 32;
      if (mask & (1 << t)) return t;
    }
    return -1;
  }

}
