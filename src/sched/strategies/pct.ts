// pct (Burckhardt et al., ASPLOS 2010): distinct random priorities, the highest-priority runnable
// thread always runs, and at d−1 random change points the running thread drops below every other
// thread. Nothing else changes a priority: a thread that blocks keeps its own (demoting it, as this
// strategy once did, left the paced migrator below every CPU for most of a run, so change points
// seldom let it in). Change points are counted only over points where they preempt someone:
// the running thread could go on and another thread could run (k, the paper's step count, counts
// only those; see calibrate.ts for how k is estimated).
import { Prng } from '../../lib/prng.js';
import type { Strategy } from './strategy.js';

// strategy words: [prng ×4, preemptible points, change points applied, lowest priority, -, change points..., priorities...]
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
    /** k: the number of preemptible points in a run */
    private readonly steps: number,
  ) {
    this.prng = Prng.view(s, base);
    this.prio = base + W_CHANGES + PCT_MAX_DEPTH;
  }

  init(seed: number, threads: number): void {
    const s = this.s;
    const b = this.base;
    this.prng.reseed(seed, 0x9c7);
    // a random permutation of priorities 1 .. threads; change points go below 1
    const order = Array.from({ length: threads }, (_, i) => i);
    for (let i = threads - 1; i > 0; i--) {
      const j = this.prng.below(i + 1);
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    order.forEach((tid, i) => (s[this.prio + tid] = 1 + i));
    // d−1 distinct points of 1..k (as the paper draws them), unless k is too small for that
    const changes: number[] = [];
    while (changes.length < this.depth - 1) {
      const c = 1 + this.prng.below(this.steps);
      if (!changes.includes(c) || this.steps < this.depth - 1) changes.push(c);
    }
    changes.sort((x, y) => x - y);
    changes.forEach((c, i) => (s[b + W_CHANGES + i] = c));
    s[b + W_MULTI] = 0;
    s[b + W_NEXT] = 0;
    s[b + W_LOWEST] = 0;
  }

  next(cur: number, runnable: number, yielding: boolean): number {
    const s = this.s;
    const b = this.base;
    // a thread that blocks keeps its priority, as in the paper: it is not runnable while it
    // waits, and deterministic mode has no spin loop it could starve others with
    if (!yielding && (runnable & ~(1 << cur)) !== 0) {
      const multi = ++s[b + W_MULTI]!;
      const j = s[b + W_NEXT]!;
      if (j < this.depth - 1 && multi >= s[b + W_CHANGES + j]!) {
        // below every thread, including those dropped by earlier change points
        s[this.prio + cur] = --s[b + W_LOWEST]!;
        s[b + W_NEXT] = j + 1;
      }
    }
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

/** Change-point opportunities the run went through (k as pct counts it) and change points applied. */
export function pctCounts(s: Int32Array, base: number): { multi: number; changes: number } {
  return { multi: s[base + W_MULTI]!, changes: s[base + W_NEXT]! };
}
