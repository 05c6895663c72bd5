// replay: follow a recorded schedule. Decisions are keyed by (thread, point label, how many times
// that thread had reached that label), not by global step numbers, so a schedule survives edits
// that add or remove points elsewhere; where it cannot be followed, the divergence is recorded.
// Past its last decision a replay goes on without switching, or, given a continuation, at random
// (bisect: a prefix of a schedule, then many different futures).
import { labelName } from '../labels.js';
import { nthBit } from '../../lib/bits.js';
import { RandomStrategy } from './random.js';
import type { Strategy } from './strategy.js';

export interface ScheduleDecision {
  thread: number;
  label: string;
  occurrence: number;
  to: number;
}

/** After the decisions: random with this switch probability, drawn from its own seed (the run's
 * seed also draws the workload, which the prefix must keep). */
export interface ReplayContinuation {
  switchProbability: number;
  seed: number;
}

// strategy words: [next decision, diverged at decision + 1 (0: never), -, -, continuation prng ×4]
const W_NEXT = 0;
const W_DIVERGED = 1;
const W_THEN = 4;

export class ReplayStrategy implements Strategy {
  /** this thread's own count of each label: only the running thread decides, with its own counts */
  private readonly seen = new Map<number, number>();
  private readonly then: RandomStrategy | null;

  constructor(
    private readonly s: Int32Array,
    private readonly base: number,
    private readonly decisions: readonly ScheduleDecision[],
    private readonly continuation?: ReplayContinuation,
  ) {
    this.then = continuation ? new RandomStrategy(s, base + W_THEN, continuation.switchProbability) : null;
  }

  init(): void {
    this.s[this.base + W_NEXT] = 0;
    this.s[this.base + W_DIVERGED] = 0;
    if (this.then && this.continuation) this.then.init(this.continuation.seed);
  }

  passed(label: number): void {
    this.seen.set(label, (this.seen.get(label) ?? 0) + 1);
  }

  next(cur: number, runnable: number, yielding: boolean, label: number): number {
    const occurrence = (this.seen.get(label) ?? 0) + 1;
    this.seen.set(label, occurrence);
    const i = this.s[this.base + W_NEXT]!;
    if (this.then && i >= this.decisions.length) {
      const goOn = !yielding && (runnable & (1 << cur)) !== 0 && this.then.keepsRunning();
      return goOn ? cur : this.then.next(cur, runnable);
    }
    const d = this.decisions[i];
    if (d !== undefined && d.thread === cur && d.occurrence === occurrence && d.label === labelName(label)) {
      this.s[this.base + W_NEXT] = i + 1;
      if ((runnable & (1 << d.to)) !== 0) return d.to;
      this.diverge(i);
    }
    // no recorded switch here: the thread went on (a waiting thread too, if what it waits for is done)
    if ((runnable & (1 << cur)) !== 0) return cur;
    // the schedule says nothing here, yet the thread must stop: it no longer fits this code
    this.diverge(i);
    return nthBit(runnable, 0);
  }

  private diverge(i: number): void {
    if (this.s[this.base + W_DIVERGED] === 0) this.s[this.base + W_DIVERGED] = i + 1;
  }
}

/** Reads the replay outcome from the strategy words: decisions used, first divergence. */
export function replayStatus(s: Int32Array, base: number): { used: number; divergedAt: number } {
  return { used: s[base + W_NEXT]!, divergedAt: s[base + W_DIVERGED]! - 1 };
}
