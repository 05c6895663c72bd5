// surw (selectively uniform random walk; Zhao, Wolff, Mathur and Roychoudhury, ASPLOS 2025): a
// random walk that picks the thread to execute the next event with probability proportional to
// the events it has left samples interleavings uniformly, where a plain random walk favours those
// that switch early. It is applied only at interesting events, here accesses that may store
// (shared writes, lock and counter operations) and waits; between them the running thread keeps
// going, so the walk is uniform over the orders of the interesting events. Events left are
// estimated from calibration runs (harness/calibrate.ts): a thread's mean count minus those it has
// executed in this run, at least 1.
import { Prng } from '../../lib/prng.js';
import type { Strategy } from './strategy.js';

// strategy words: [prng ×4, granted thread + 1, per thread: reached × 2 + (1 if waiting at one)]
const W_GRANTED = 4;
const W_REACHED = 5;

export class SurwStrategy implements Strategy {
  private readonly prng: Prng;

  constructor(
    private readonly s: Int32Array,
    private readonly base: number,
    /** per thread: interesting events in a whole run (estimate) */
    private readonly events: readonly number[],
  ) {
    this.prng = Prng.view(s, base);
  }

  init(seed: number, threads: number): void {
    this.prng.reseed(seed, 0x5e3);
    this.s.fill(0, this.base + W_GRANTED, this.base + W_REACHED + threads);
  }

  keepsRunning(_label: number, write: boolean): boolean {
    return !write;
  }

  next(cur: number, runnable: number, yielding: boolean): number {
    const s = this.s;
    const at = this.base + W_REACHED + cur;
    const granted = s[this.base + W_GRANTED]! - 1;
    s[this.base + W_GRANTED] = 0;
    if (yielding) {
      s[at] = s[at]! & ~1;
    } else {
      s[at] = ((s[at]! >> 1) + 1) * 2 + 1;
      // picked while it was not at an interesting event: the pick was for this one
      if (granted === cur) return cur;
    }
    let total = 0;
    for (let r = runnable, i = 0; r !== 0; r >>>= 1, i++) if ((r & 1) !== 0) total += this.left(i);
    let x = this.prng.below(total);
    let pick = -1;
    for (let r = runnable, i = 0; pick < 0; r >>>= 1, i++) if ((r & 1) !== 0 && (x -= this.left(i)) < 0) pick = i;
    // a thread waiting at an interesting event executes it on resuming; any other runs up to its next one
    if ((s[this.base + W_REACHED + pick]! & 1) === 0) s[this.base + W_GRANTED] = pick + 1;
    return pick;
  }

  /** events not executed yet: the estimate less those reached, plus the one it waits at */
  private left(t: number): number {
    const w = this.s[this.base + W_REACHED + t]!;
    return Math.max(1, (this.events[t] ?? 1) - (w >> 1) + (w & 1));
  }
}
