// The hooks the model calls at lock operations, waits, faults, moves and shootdowns. Off by
// default (NULL_PROBE: empty methods the JIT inlines away); a Recorder collects lockstat,
// lock-order edges and timeline events per thread when profiling is asked for.

export const MODE_X = 0; // exclusive (spinlock, mutex)
export const MODE_R = 1; // rwsem read
export const MODE_W = 2; // rwsem write

export interface Probe {
  readonly on: boolean;
  /** the profile clock: ns since the run started (stress) or the scheduling step (deterministic) */
  now(): number;
  /** a lock was taken (after any wait) */
  acquired(lk: number, mode: number, label: number, trylock: boolean): void;
  released(lk: number, mode: number): void;
  /** the lock is contended and the wait begins: returns now() (lockstat notes who holds it) */
  contended(lk: number): number;
  /** the lock was contended: waited from `since` until now; `holder` is tid + 1 of the holder seen first */
  waited(lk: number, mode: number, label: number, since: number, holder: number): void;
  /** a wait that is not a lock: "ipi_ack" for a target CPU, "bo_fence" of an object */
  waitedFor(cls: string, instance: string, label: number, since: number): void;
  /** a complete span on this thread's track */
  span(name: string, cat: string, since: number, args?: Record<string, unknown>): void;
  instant(name: string, cat: string, args?: Record<string, unknown>): void;
  /** a flow arrow: from this thread's current slice to the slice that ends it */
  flow(phase: 's' | 'f', id: string, name: string): void;
}

class NullProbe implements Probe {
  readonly on = false;
  now(): number {
    return 0;
  }
  acquired(): void {}
  released(): void {}
  contended(): number {
    return 0;
  }
  waited(): void {}
  waitedFor(): void {}
  span(): void {}
  instant(): void {}
  flow(): void {}
}

export const NULL_PROBE: Probe = new NullProbe();
