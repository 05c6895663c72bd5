// pct (Burckhardt et al., ASPLOS 2010): distinct random priorities, the highest-priority runnable
// thread always runs, and at d−1 random change points (counted only over points where two or
// more threads could run) the running thread drops below everyone. A thread that waits (blocks
// or spins) is demoted too, so a spinner never starves the thread it waits for.
import { Prng } from '../../lib/prng.js';
import { popcount, type Strategy } from './strategy.js';

// strategy words: [prng ×4, multi-steps, next change index, lowest priority, change points..., priorities...]
const W_MULTI = 4;
const W_NEXT = 5;
const W_LOWEST = 6;
const W_CHANGES = 8;
export const PCT_MAX_DEPTH = 16;

export class PctStrategy implements Strategy {
  private readonly prng: Prng;
  private readonly prio: number;

  constructor(
    private readonly s: Int32Array,
    private readonly base: number,
    private readonly depth: number,
    /** k: the expected number of multi-runnable points in a run */
    private readonly steps: number,
  ) {
    this.prng = Prng.view(s, base);
    this.prio = base + W_CHANGES + PCT_MAX_DEPTH;
  }

  init(seed: number, threads: number): void {
    const s = this.s;
    const b = this.base;
    this.prng.reseed(seed, 0x9c7);
    // a random permutation of priorities depth .. depth + threads − 1
    const order = Array.from({ length: threads }, (_, i) => i);
    for (let i = threads - 1; i > 0; i--) {
      const j = this.prng.below(i + 1);
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    order.forEach((tid, i) => (s[this.prio + tid] = this.depth + i));
    const changes = Array.from({ length: this.depth - 1 }, () => 1 + this.prng.below(this.steps)).sort((x, y) => x - y);
    changes.forEach((c, i) => (s[b + W_CHANGES + i] = c));
    s[b + W_MULTI] = 0;
    s[b + W_NEXT] = 0;
    s[b + W_LOWEST] = 0;
  }

  next(cur: number, runnable: number, yielding: boolean): number {
    const s = this.s;
    const b = this.base;
    if (popcount(runnable) >= 2) {
      const multi = ++s[b + W_MULTI]!;
      const j = s[b + W_NEXT]!;
      if (j < this.depth - 1 && multi >= s[b + W_CHANGES + j]!) {
        s[this.prio + cur] = this.depth - 1 - j; // below every initial priority
        s[b + W_NEXT] = j + 1;
      }
    }
    if (yielding) s[this.prio + cur] = --s[b + W_LOWEST]!;
    let best = -1;
    let bestPrio = -Infinity;
    for (let r = runnable, i = 0; r !== 0; r >>>= 1, i++) {
      if ((r & 1) !== 0 && s[this.prio + i]! > bestPrio) {
        best = i;
        bestPrio = s[this.prio + i]!;
      }
    }
    return best;
  }
}
