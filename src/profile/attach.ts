// Attaching a Recorder to a thread: the clock is wall time since the run started (stress) or the
// scheduler's step counter (deterministic), and the shared per-word state is one buffer per run.
import type { Thread } from '../kernel/thread.js';
import { Recorder, type ProfileOptions } from './recorder.js';
import type { LockNaming } from './lock_class.js';

export interface ProfileRequest extends ProfileOptions {
  /** per-word profiling state shared by the run's threads (see Recorder) */
  shared: SharedArrayBuffer;
}

/** Per word of the shared buffer: the last acquirer (Int32), the last releaser that left waiters
 * (Int32), when it released (Float64), and the last acquirer's point label (Int32). */
export function profileBuffer(words: number): SharedArrayBuffer {
  return new SharedArrayBuffer(words * 20);
}

/** Stress: nanoseconds since `startAbs` (performance.timeOrigin-based ms, the same in every worker). */
export function attachWallClock(t: Thread, locks: LockNaming, req: ProfileRequest, startAbs: number): Recorder {
  const origin = performance.timeOrigin - startAbs;
  const r = new Recorder(locks, t.m, t.tid, t.name, () => (origin + performance.now()) * 1e6, 'ns', req.shared, req);
  t.probe = r;
  return r;
}

/** Deterministic: the logical step counter is the clock, and every acquisition is timed. */
export function attachStepClock(t: Thread, locks: LockNaming, req: ProfileRequest, steps: Int32Array, stepIdx: number): Recorder {
  const r = new Recorder(locks, t.m, t.tid, t.name, () => steps[stepIdx]!, 'steps', req.shared, { ...req, holdSample: 1 });
  t.probe = r;
  return r;
}
