// What the model sees of scheduling. Free mode and the deterministic scheduler both implement it,
// so the same CPU, migrator and lock code runs under either.
export interface Scheduler {
  /** One thread runs at a time: an oracle may read another thread's private state (its TLB)
   * and see it exactly as that thread left it. */
  readonly serial: boolean;
  /** A scheduling point, taken before every access to shared simulated state: word `idx` (-1 when
   * not known yet: a user access before its translation), `write` when the access may store. */
  point(label: number, idx: number, write: boolean): void;
  /**
   * Sleep while word `idx` holds `val`. May return early (spuriously, on an interrupt, on a
   * timeout); callers re-check their condition. Interrupts (IPIs) are serviced here, so a
   * blocked CPU never stalls a shootdown.
   */
  block(label: number, idx: number, val: number): void;
  /** Make threads blocked on `idx` runnable. */
  wake(idx: number): void;
  /** Called by the interrupt layer: the function that services this thread's interrupts. */
  setInterruptHandler(pendingIdx: number, handler: () => void): void;
  /** An explicit interrupt point: take pending interrupts now. */
  interrupts(): void;
  /** The calling thread finished an operation or a move: the run is not livelocked. */
  progress(): void;
}

/** Thrown in every thread once the run is aborted (a violation elsewhere, or the watchdog). */
export class Aborted extends Error {
  constructor() {
    super('run aborted');
  }
}
