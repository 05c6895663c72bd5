// A scheduling strategy: at each point the running thread asks it who runs next. Its state lives
// in the scheduler's shared memory (the `s` words), because whichever thread holds the token
// makes the decision.

export interface Strategy {
  /** once per run, before the first point */
  init(seed: number, threads: number): void;
  /**
   * The thread to run next: `cur` to go on, another runnable thread to switch. `runnable` is the
   * bitmask of threads that can run now; `yielding` when `cur` is about to wait (blocked, or
   * exited), in which case it is in `runnable` only if what it waits for has already happened.
   * `label` is the point's label, `idx` the word its access touches (-1: none or not known yet),
   * `write` whether that access may store (a wait only reads its word).
   */
  next(cur: number, runnable: number, yielding: boolean, label: number, idx: number, write: boolean): number;
  /**
   * Optional fast path, asked first at every scheduling point (not at waits or exits): true keeps
   * the running thread going without computing who else could run; false asks `next`.
   */
  keepsRunning?(label: number, write: boolean): boolean;
  /**
   * Optional: a point the running thread passed without a decision, because another thread's
   * decision chose it to run that point's event (DetScheduler's first point of a thread started by
   * a switch). Replay counts it among the thread's occurrences of the label, as the trace does.
   */
  passed?(label: number): void;
}
