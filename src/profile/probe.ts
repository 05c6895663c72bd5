// The hooks the model calls at lock operations, waits, faults, moves and shootdowns. Off by
// default (NULL_PROBE: empty methods the JIT inlines away); a Recorder collects lockstat,
// lock-order edges and timeline events per thread when profiling is asked for.

export const MODE_X = 0; // exclusive (spinlock, mutex)
export const MODE_R = 1; // rwsem read
export const MODE_W = 2; // rwsem write

// What an open() starts, so a run that stops inside it can still show it (named from the key).
export const OPEN_FAULT = 0; // key: vpn
export const OPEN_MIGRATION = 1; // key: object
export const OPEN_SHOOTDOWN = 2; // key: CPUs waited for
export const OPEN_LOCK_WAIT = 3; // key: lock word
export const OPEN_IPI_WAIT = 4; // key: target CPU
export const OPEN_FENCE_WAIT = 5; // key: object

/** An IPI's flow id: the flow's name carries the target, so sender and request number suffice. */
export function ipiFlowId(sender: number, seq: number): number {
  return sender * 2 ** 32 + (seq >>> 0);
}

export interface Probe {
  readonly on: boolean;
  /** a span or wait starts: returns the profile clock (ns since the run started in stress, the
   * scheduling step in deterministic runs), the `since` that the span/waited/waitedFor call ending
   * it passes back; `kind` is an OPEN_* constant. Every open is ended by exactly one such call.
   * OPEN_LOCK_WAIT is the lock's contention: lockstat notes who holds it as the wait begins. */
  open(kind: number, key: number): number;
  /** a lock was taken (after any wait) */
  acquired(lk: number, mode: number, label: number, trylock: boolean): void;
  released(lk: number, mode: number): void;
  /** the lock was contended: waited from `since` until now; `holder` is tid + 1 of the holder seen first */
  waited(lk: number, mode: number, label: number, since: number, holder: number): void;
  /** a wait that is not a lock: "ipi_ack" for a target CPU, "bo_fence" of an object */
  waitedFor(cls: string, instance: string, label: number, since: number): void;
  /** a complete span on this thread's track */
  span(name: string, cat: string, since: number, args?: Record<string, unknown>): void;
  instant(name: string, cat: string, args?: Record<string, unknown>): void;
  /** a flow arrow: from this thread's current slice to the slice that ends it */
  flow(phase: 's' | 'f', id: number, name: string): void;
  /** an rwsem hands the lock to its queued waiters (the wake their flows start from) */
  handoff(lk: number): void;
  /** the thread's run is over (normally, or unwinding from `violation`): what is still open stays
   * open to the end of the trace */
  stop(violation?: { oracle: string; message: string }): void;
}

class NullProbe implements Probe {
  readonly on = false;
  open(): number {
    return 0;
  }
  acquired(): void {}
  released(): void {}
  waited(): void {}
  waitedFor(): void {}
  span(): void {}
  instant(): void {}
  flow(): void {}
  handoff(): void {}
  stop(): void {}
}

export const NULL_PROBE: Probe = new NullProbe();
