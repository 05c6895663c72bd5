// --strict-waits (free mode): a wait must be ended by a wake-up, not rescued by the watchdog tick.
// Every waker marks each thread asleep on the word it notifies (TH_WOKEN). A sleep that ran into
// its tick while its word changed is a lost wake-up unless that mark arrives within GRACE_MS: the
// word was changed without a notify, or the notify went elsewhere. A tick on a word that did not
// change is an ordinary long wait, and a waiter with an IPI pending was kicked for the IPI.
import { TH_WAIT_IDX, TH_WOKEN } from '../shm/layout.js';
import { SLEEP_MS, type FreeScheduler } from './free.js';

/** How long a notify may trail its store: far beyond any preemption between the two, paid only
 * when a wake-up is really lost (the run then stops). */
const GRACE_MS = 1000;

export class LostWakeup extends Error {
  constructor(
    readonly label: number,
    readonly idx: number,
    /** the value the thread slept on, and the one it found after the timeout */
    readonly val: number,
    readonly now: number,
  ) {
    super(`lost wake-up on word ${idx}`);
  }
}

// a mixin's base must be constructible from any arguments (TypeScript's rule for mixins)
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type FreeClass = new (...args: any[]) => FreeScheduler;

/** The scheduler class `Base` with strict waits: the same points, other sleeps and wake-ups. */
export function strictWaits<B extends FreeClass>(Base: B): B {
  return class StrictWaits extends Base {
    protected override sleep(label: number, idx: number, val: number): void {
      const m = this.m;
      const woken = this.lay.th(this.tid, TH_WOKEN);
      const marks = Atomics.load(m, woken);
      if (Atomics.wait(m, idx, val, SLEEP_MS) !== 'timed-out' || Atomics.load(m, idx) === val || this.irqPending()) return;
      // the word changed while we slept and nobody woke us: a notify may still be on its way
      if (Atomics.wait(m, woken, marks, GRACE_MS) === 'timed-out') throw new LostWakeup(label, idx, val, Atomics.load(m, idx));
    }

    override wake(idx: number): void {
      const m = this.m;
      const lay = this.lay;
      for (let t = 0; t < lay.threads; t++) {
        if (Atomics.load(m, lay.th(t, TH_WAIT_IDX)) !== idx + 1) continue;
        Atomics.add(m, lay.th(t, TH_WOKEN), 1);
        Atomics.notify(m, lay.th(t, TH_WOKEN));
      }
      super.wake(idx);
    }
  };
}
