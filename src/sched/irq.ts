// A CPU's interrupt line, as the schedulers see it: the word that says IPIs are pending and the
// function that services them. Interrupts are taken between instructions, at any scheduling
// point (free mode) or whenever the thread gets the CPU back (deterministic mode), never while
// they are already being serviced.
export class IrqLine {
  private pendingIdx = -1;
  private handler: (() => void) | null = null;
  private inIrq = false;

  constructor(private readonly m: Int32Array) {}

  set(pendingIdx: number, handler: () => void): void {
    this.pendingIdx = pendingIdx;
    this.handler = handler;
  }

  get pending(): number {
    return this.pendingIdx;
  }

  /** Takes pending interrupts, if any (a plain read: the word is a hint, re-read by the handler);
   * true when the handler ran. */
  take(): boolean {
    return this.handler !== null && !this.inIrq && this.m[this.pendingIdx] !== 0 && this.service();
  }

  private service(): true {
    this.inIrq = true;
    try {
      this.handler!();
    } finally {
      this.inIrq = false;
    }
    return true;
  }
}
