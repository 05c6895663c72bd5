// random: at every point, switch with a seeded probability to a uniformly chosen runnable thread.
import { Prng } from '../../lib/prng.js';
import { nthBit, popcount } from '../../lib/bits.js';
import type { Strategy } from './strategy.js';

export class RandomStrategy implements Strategy {
  private readonly prng: Prng;
  private readonly switchBelow: number;

  constructor(s: Int32Array, base: number, switchProbability: number) {
    this.prng = Prng.view(s, base);
    this.switchBelow = Math.floor(switchProbability * 4294967296);
  }

  init(seed: number): void {
    this.prng.reseed(seed, 0x7a4d);
  }

  keepsRunning(): boolean {
    return this.prng.u32() >= this.switchBelow;
  }

  /** Asked at a point only after keepsRunning said no, and at every wait: any runnable thread. */
  next(_cur: number, runnable: number): number {
    return nthBit(runnable, this.prng.below(popcount(runnable)));
  }
}
