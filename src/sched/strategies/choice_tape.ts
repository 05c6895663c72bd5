// Exhaustive enumeration's path through the tree of schedules (loom's Path, shuttle's DFS
// scheduler): at each choice point, the alternative taken and how many there were. It lives in the
// scheduler's shared words, because whichever thread holds the token makes the choice; the
// group's last thread backtracks it between runs.

// words: [length of the forced prefix, choice points passed this run, then per choice point: (taken, alternatives)]
const T_FORCED = 0;
const T_USED = 1;
const T_POINTS = 2;

export class ChoiceTape {
  static words(capacity: number): number {
    return T_POINTS + 2 * capacity;
  }

  constructor(
    private readonly s: Int32Array,
    private readonly base: number,
    readonly capacity: number,
  ) {}

  /** The next runs follow `choices` first (a failing schedule found by enumeration). */
  preset(choices: number[]): void {
    this.s[this.base + T_FORCED] = choices.length;
    choices.forEach((c, i) => (this.s[this.base + T_POINTS + 2 * i] = c));
  }

  /** A run starts at the root. */
  rewind(): void {
    this.s[this.base + T_USED] = 0;
  }

  /** The alternative (of `n`) to take at the next choice point: the forced one, else the first. */
  choose(n: number): number {
    const s = this.s;
    const i = s[this.base + T_USED]!++;
    if (i >= this.capacity) throw new Error(`more than ${this.capacity} choice points: the configuration is too big for --exhaustive`);
    const at = this.base + T_POINTS + 2 * i;
    const k = i < s[this.base + T_FORCED]! ? s[at]! : 0;
    s[at] = k;
    s[at + 1] = n;
    return k;
  }

  /** The alternatives the run took, in order: they replay it. */
  choices(): number[] {
    const n = Math.min(this.s[this.base + T_USED]!, this.capacity);
    return Array.from({ length: n }, (_, i) => this.s[this.base + T_POINTS + 2 * i]!);
  }

  /** Depth first: the last choice point with an untried alternative takes it, and the next run
   * follows the path up to there. False once every schedule has run. */
  advance(): boolean {
    const s = this.s;
    for (let i = Math.min(s[this.base + T_USED]!, this.capacity) - 1; i >= 0; i--) {
      const at = this.base + T_POINTS + 2 * i;
      if (s[at]! + 1 < s[at + 1]!) {
        s[at] = s[at]! + 1;
        s[this.base + T_FORCED] = i + 1;
        return true;
      }
    }
    return false;
  }
}
