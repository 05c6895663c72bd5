// Free-running mode: real parallel threads. A scheduling point only takes pending interrupts
// (NoisyScheduler, for --noise, also makes some stall); waits are futex sleeps with a short
// timeout as a watchdog tick.
import { CTL_ABORT, TH_WAIT_IDX, type ThreadLines } from '../shm/layout.js';
import { Prng } from '../lib/prng.js';
import { Aborted, type Scheduler } from './scheduler.js';
import { IrqLine } from './irq.js';

const SPINS = 64;
export const SLEEP_MS = 2;

export class FreeScheduler implements Scheduler {
  readonly serial = false;
  protected readonly irq: IrqLine;
  /** the word this thread publishes what it sleeps on (+1), so that an IPI sender can kick it */
  protected readonly waitIdxWord: number;

  constructor(
    protected readonly m: Int32Array,
    protected readonly lay: ThreadLines,
    protected readonly tid: number,
  ) {
    this.irq = new IrqLine(m);
    this.waitIdxWord = lay.th(tid, TH_WAIT_IDX);
  }

  point(_label: number, _idx: number): void {
    this.irq.take();
  }

  block(label: number, idx: number, val: number): void {
    const m = this.m;
    for (let i = 0; i < SPINS; i++) {
      if (Atomics.load(m, idx) !== val) return;
    }
    if (Atomics.load(m, CTL_ABORT) !== 0) throw new Aborted();
    this.irq.take();
    Atomics.store(m, this.waitIdxWord, idx + 1);
    if (!this.irqPending()) this.sleep(label, idx, val);
    Atomics.store(m, this.waitIdxWord, 0);
    this.irq.take();
  }

  /** One futex sleep while `idx` holds `val`, ended by a wake-up or the watchdog tick. */
  protected sleep(_label: number, idx: number, val: number): void {
    Atomics.wait(this.m, idx, val, SLEEP_MS);
  }

  protected irqPending(): boolean {
    return this.irq.pending >= 0 && Atomics.load(this.m, this.irq.pending) !== 0;
  }

  wake(idx: number): void {
    Atomics.notify(this.m, idx);
  }

  interrupts(): void {
    this.irq.take();
  }

  setInterruptHandler(pendingIdx: number, handler: () => void): void {
    this.irq.set(pendingIdx, handler);
  }

  progress(): void {
    // free mode's watchdog reads the heartbeat words instead
  }
}

/** Free mode with --noise: a seeded fraction of scheduling points stall for up to ~2 µs, long
 * enough for another core to slip into a race window. */
export class NoisyScheduler extends FreeScheduler {
  private readonly rng: Prng;
  private readonly noiseBelow: number;

  constructor(m: Int32Array, lay: ThreadLines, tid: number, seed: number, noise: number) {
    super(m, lay, tid);
    this.rng = new Prng(seed, 0x401);
    this.noiseBelow = Math.floor(noise * 4294967296);
  }

  override point(_label: number, _idx: number): void {
    this.irq.take();
    if (this.rng.u32() < this.noiseBelow) {
      const n = this.rng.below(400);
      for (let i = 0; i < n; i++) Atomics.load(this.m, CTL_ABORT);
    }
  }
}
