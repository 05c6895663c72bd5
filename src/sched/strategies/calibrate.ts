// Calibration runs (harness/calibrate.ts): pct with d = 1 (no change points, so k does not
// matter), also counting each thread's interesting events (accesses that may store) as surw
// defines them. Its counts are read once the run is over.
import { PctStrategy, pctCounts } from './pct.js';
import type { Strategy } from './strategy.js';

// strategy words past pct's own: interesting events reached, one per thread
const W_COUNTS = 64;

export class CalibrateStrategy implements Strategy {
  private readonly pct: PctStrategy;

  constructor(
    private readonly s: Int32Array,
    private readonly base: number,
  ) {
    this.pct = new PctStrategy(s, base, 1, 1);
  }

  init(seed: number, threads: number): void {
    this.pct.init(seed, threads);
    this.s.fill(0, this.base + W_COUNTS, this.base + W_COUNTS + threads);
  }

  next(cur: number, runnable: number, yielding: boolean, _label: number, _idx: number, write: boolean): number {
    if (write && !yielding) this.s[this.base + W_COUNTS + cur]!++;
    return this.pct.next(cur, runnable, yielding);
  }

  /** [preemptible points (pct's k), then the interesting events of each thread] */
  measure(threads: number): number[] {
    const counts = Array.from({ length: threads }, (_, t) => this.s[this.base + W_COUNTS + t]!);
    return [pctCounts(this.s, this.base).multi, ...counts];
  }
}
