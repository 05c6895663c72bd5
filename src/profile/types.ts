// What a profiled run hands to the reports: lock statistics, the lock-order graph and the
// timeline. Collected per thread (no shared counters on the hot path) and merged at the end.

/** Time unit of every duration in a profile: wall-clock nanoseconds (stress) or logical
 * scheduling steps (deterministic runs). */
export type TimeUnit = 'ns' | 'steps';

/** One lockstat row: a lock class, split into -R and -W rows for reader-writer locks. */
export interface LockstatRow {
  /** e.g. "mmap_lock-R", "mmap_lock-W", "ptl", "resv", "page_lock", "i_mmap_rwsem-R", "frame_alloc", "ipi_ack", "bo_fence" */
  class: string;
  conBounces: number;
  contentions: number;
  waittimeMin: number;
  waittimeMax: number;
  waittimeTotal: number;
  waittimeAvg: number;
  acqBounces: number;
  acquisitions: number;
  holdtimeMin: number;
  holdtimeMax: number;
  holdtimeTotal: number;
  holdtimeAvg: number;
  /** acquisitions whose hold time was measured (sampled in stress mode to keep overhead low) */
  holdSamples: number;
  /** top contention points: the point labels where waiters waited, with counts */
  contentionPoints: { label: string; count: number }[];
  /** top holder points, as the kernel's lockstat: for each contention, the point label where the
   * lock's last acquirer took it when the wait began (so they count contentions, not acquisitions) */
  holderPoints: { label: string; count: number }[];
}

/** A contention record for perf-lock-style pivots (one per contended acquisition, capped). */
export interface ContentionRecord {
  class: string;
  /** lock instance (the model's word name): "mm0.mmap_sem", "bo3.resv", "ptl(page 5)" */
  instance: string;
  cpu: string;
  label: string;
  wait: number;
}

export interface LockOrderEdge {
  from: string;
  to: string;
  /** 'R' or 'W' for reader-writer locks, 'X' for exclusive */
  fromMode: 'R' | 'W' | 'X';
  toMode: 'R' | 'W' | 'X';
  /** the point label where `to` was taken while `from` was held */
  label: string;
  thread: string;
  count: number;
}

export interface LockOrderCycle {
  /** class names around the cycle, first repeated at the end */
  chain: string[];
  edges: LockOrderEdge[];
  /** how two CPUs would deadlock on it, in lockdep's "Possible unsafe locking scenario" style */
  scenario: string;
}

/** Chrome Trace Event Format, the subset we emit (https://ui.perfetto.dev opens it). Lock holds
 * are async slices (b/e, one id each): holds on one thread need not nest. Flow and async ids are
 * numbers, as Perfetto reads a string id as hex and drops the event when it is not. */
export interface TraceEvent {
  name: string;
  cat: string;
  ph: 'B' | 'E' | 'X' | 'i' | 'C' | 's' | 'f' | 'b' | 'e' | 'M';
  ts: number;
  pid: number;
  tid: number;
  dur?: number;
  id?: number | string;
  bp?: 'e';
  s?: 'g' | 'p' | 't';
  args?: Record<string, unknown>;
}

export interface ProfileData {
  unit: TimeUnit;
  lockstat: LockstatRow[];
  /** the records behind the pivots, at most `contentionCap.perThread` per thread */
  contentions: ContentionRecord[];
  /** records dropped past the per-thread cap, summed over threads (0: the pivots see every contention) */
  contentionCap: { perThread: number; dropped: number };
  lockOrder: { edges: LockOrderEdge[]; cycles: LockOrderCycle[] };
  /** the timeline; `capped` says events were dropped past the per-thread cap */
  trace: { events: TraceEvent[]; capped: boolean; cap: number };
  /** fault latency percentiles (ns) and throughput over time, for the HTML report */
  /** histogram: cumulative — each entry is a latency and how many faults took at most that long */
  faultLatency?: { p50: number; p90: number; p99: number; p999: number; max: number; count: number; histogram: { valueNs: number; count: number }[] };
  throughput?: { t: number; faultsPerSec: number; accessesPerSec: number; migrationsPerSec: number }[];
}
