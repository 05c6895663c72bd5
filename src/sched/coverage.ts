// Interleaving coverage (issue 12 §3): pairs of conflicting accesses, by point label, and the orders
// they were seen in. When a thread's access runs, it is paired with the last access of that word
// by another thread that conflicts with it (one of them a write): the ordered pair (that label,
// this label) has been seen. A pair of labels seen in both orders is covered; one seen in one order
// only is where a different schedule would still do something new. The state is shared words of
// the scheduler buffer (whoever holds the token notes the access): the last accesses of each
// machine word in this run, and an open-addressing set of ordered pairs, each with the first
// schedule (the run's ordinal in its explore) that saw it, so groups merge exactly.

// per machine word: [run, last accessor + 1, its label, last writer + 1, its label]
const W_RUN = 0;
const W_TID = 1;
const W_LABEL = 2;
const W_WTID = 3;
const W_WLABEL = 4;
const PER_WORD = 5;
// header: [pairs held, pairs that did not fit]
const H_COUNT = 0;
const H_LOST = 1;
const HEADER = 2;
// per ordered pair: [label a + 1, label b, first schedule]
const PER_PAIR = 3;

/** The ordered pairs a set can hold (a power of two, kept at most half full). */
export const PAIR_CAPACITY = 1 << 16;

export function coverageWords(machineWords: number): number {
  return HEADER + machineWords * PER_WORD + 2 * PAIR_CAPACITY * PER_PAIR;
}

export class ConflictCoverage {
  private readonly pairs: number;

  constructor(
    private readonly s: Int32Array,
    private readonly base: number,
    private readonly machineWords: number,
  ) {
    this.pairs = base + HEADER + machineWords * PER_WORD;
  }

  /** Thread `tid`'s access of word `idx` runs now, in run number `run` (from 1) of its explore. */
  note(tid: number, label: number, idx: number, write: boolean, run: number): void {
    if (idx < 0 || idx >= this.machineWords) return;
    const s = this.s;
    const at = this.base + HEADER + idx * PER_WORD;
    if (s[at + W_RUN] !== run) {
      s[at + W_RUN] = run;
      s[at + W_TID] = 0;
      s[at + W_WTID] = 0;
    }
    // a write conflicts with any access, a read only with a write
    if (write) {
      if (s[at + W_TID] !== 0 && s[at + W_TID] !== tid + 1) this.seen(s[at + W_LABEL]!, label, run);
    } else if (s[at + W_WTID] !== 0 && s[at + W_WTID] !== tid + 1) {
      this.seen(s[at + W_WLABEL]!, label, run);
    }
    s[at + W_TID] = tid + 1;
    s[at + W_LABEL] = label;
    if (write) {
      s[at + W_WTID] = tid + 1;
      s[at + W_WLABEL] = label;
    }
  }

  private seen(a: number, b: number, run: number): void {
    const s = this.s;
    const slots = 2 * PAIR_CAPACITY;
    for (let h = mix(a, b) & (slots - 1), n = 0; n < slots; h = (h + 1) & (slots - 1), n++) {
      const at = this.pairs + h * PER_PAIR;
      if (s[at] === 0) {
        if (s[this.base + H_COUNT]! >= PAIR_CAPACITY) {
          s[this.base + H_LOST]!++;
          return;
        }
        s[at] = a + 1;
        s[at + 1] = b;
        s[at + 2] = run;
        s[this.base + H_COUNT]!++;
        return;
      }
      if (s[at] === a + 1 && s[at + 1] === b) return;
    }
  }

  /** Whether (a, b), a's access before b's, has been seen. */
  has(a: number, b: number): boolean {
    const s = this.s;
    const slots = 2 * PAIR_CAPACITY;
    for (let h = mix(a, b) & (slots - 1), n = 0; n < slots; h = (h + 1) & (slots - 1), n++) {
      const at = this.pairs + h * PER_PAIR;
      if (s[at] === 0) return false;
      if (s[at] === a + 1 && s[at + 1] === b) return true;
    }
    return false;
  }

  /** Every ordered pair seen, with the first run that saw it; and how many did not fit. */
  read(): { pairs: OrderedPair[]; lost: number } {
    const s = this.s;
    const pairs: OrderedPair[] = [];
    for (let h = 0; h < 2 * PAIR_CAPACITY; h++) {
      const at = this.pairs + h * PER_PAIR;
      if (s[at] !== 0) pairs.push({ a: s[at]! - 1, b: s[at + 1]!, first: s[at + 2]! });
    }
    return { pairs, lost: s[this.base + H_LOST]! };
  }
}

export interface OrderedPair {
  /** the label whose access ran first */
  a: number;
  b: number;
  /** the first run (ordinal in its explore, from 1) that saw it */
  first: number;
}

function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b, 0xc2b2ae35);
  h ^= h >>> 15;
  return Math.imul(h, 0x2c1b3c6d) >>> 0;
}
