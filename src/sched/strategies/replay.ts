// replay: follow a recorded schedule. Decisions are keyed by (thread, point label, how many times
// that thread had reached that label), not by global step numbers, so a schedule survives edits
// that add or remove points elsewhere. A thread takes each of its own decisions where it reaches
// its key, whatever happened to the others: a schedule with some decisions left out (a shrink's
// candidate) still applies the rest. Where it cannot be followed (a decision's thread is not
// runnable, a thread must stop where the schedule says nothing, a thread ends with decisions it
// never reached) the divergence is recorded. Past its last decision a replay goes on without
// switching, or, given a continuation, at random (bisect: a prefix of a schedule, then many
// different futures).
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

// strategy words: [decisions taken, diverged at decision + 1 (0: never; the lowest wins), -, -, continuation prng ×4]
const W_USED = 0;
const W_DIVERGED = 1;
const W_THEN = 4;
const EXIT = 'thread:exit';

export class ReplayStrategy implements Strategy {
  /** this thread's own count of each label: only the running thread decides, with its own counts */
  private readonly seen = new Map<number, number>();
  /** this thread's decisions by `label#occurrence` (built on its first decision), and those still to take */
  private mine: Map<string, number> | null = null;
  private readonly pending = new Set<number>();
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
    this.s[this.base + W_USED] = 0;
    this.s[this.base + W_DIVERGED] = 0;
    if (this.then && this.continuation) this.then.init(this.continuation.seed);
  }

  passed(label: number): void {
    this.seen.set(label, (this.seen.get(label) ?? 0) + 1);
  }

  next(cur: number, runnable: number, yielding: boolean, label: number): number {
    const occurrence = (this.seen.get(label) ?? 0) + 1;
    this.seen.set(label, occurrence);
    if (this.then && this.s[this.base + W_USED]! >= this.decisions.length) {
      const goOn = !yielding && (runnable & (1 << cur)) !== 0 && this.then.keepsRunning();
      return goOn ? cur : this.then.next(cur, runnable);
    }
    const name = labelName(label);
    const i = this.mineOf(cur).get(`${name}#${occurrence}`);
    // leaving for good with decisions never reached: the run went another way
    if (name === EXIT) for (const j of this.pending) if (j !== i) this.diverge(j);
    if (i !== undefined && this.pending.delete(i)) {
      this.s[this.base + W_USED]!++;
      const to = this.decisions[i]!.to;
      if ((runnable & (1 << to)) !== 0) return to;
      this.diverge(i);
    }
    // no recorded switch here: the thread went on (a waiting thread too, if what it waits for is done)
    if ((runnable & (1 << cur)) !== 0) return cur;
    // the schedule says nothing here, yet the thread must stop: it no longer fits this code
    this.diverge(this.pending.size > 0 ? Math.min(...this.pending) : this.decisions.length);
    return nthBit(runnable, 0);
  }

  private mineOf(tid: number): Map<string, number> {
    if (this.mine === null) {
      this.mine = new Map();
      this.decisions.forEach((d, i) => {
        if (d.thread !== tid) return;
        this.mine!.set(`${d.label}#${d.occurrence}`, i);
        this.pending.add(i);
      });
    }
    return this.mine;
  }

  private diverge(i: number): void {
    const at = this.s[this.base + W_DIVERGED]!;
    if (at === 0 || i + 1 < at) this.s[this.base + W_DIVERGED] = i + 1;
  }
}

/** Reads the replay outcome from the strategy words: decisions taken, the first (lowest) divergence. */
export function replayStatus(s: Int32Array, base: number): { used: number; divergedAt: number } {
  return { used: s[base + W_USED]!, divergedAt: s[base + W_DIVERGED]! - 1 };
}
