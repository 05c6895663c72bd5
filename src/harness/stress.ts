// Free-running stress: every CPU and migrator on its own worker thread (a reused piscina pool),
// the coordinator watching progress, enforcing the deadline and the watchdog, then running the
// end-of-run oracles. As will-it-scale does, a timed run discards a warm-up: its rates, counts
// per thread and fault latencies cover the measured window alone, which lasts the seconds asked
// (the coordinator wakes at the window's edges and snapshots the counters there).
import { ReusedPool } from './pool.js';
import type { Config } from '../config.js';
import { CTL_ABORT, CTL_MEASURING, CTL_STOP, Layout, STAT_NAMES, ST_HEARTBEAT } from '../shm/layout.js';
import type { FreeTask, FreeTaskResult } from '../../workers/host.js';
import { boot } from './boot.js';
import { decode, encode, newHistogram } from './fault_hist.js';
import { lockDump, threadName } from './lockdump.js';
import { check_conservation } from '../check/conservation.js';
import type { ViolationInfo } from '../check/violation.js';
import { profileBuffer, type ProfileRequest } from '../profile/attach.js';
import type { ProfileOptions, ProfilePart } from '../profile/recorder.js';
import { mergeProfile } from '../profile/merge.js';
import type { ProfileData } from '../profile/types.js';

export type Totals = Record<(typeof STAT_NAMES)[number], number>;

export interface Progress {
  elapsed: number;
  totals: Totals;
  violations: number;
}

export interface StressResult {
  seed: number;
  config: Config;
  /** the measured window: after the warm-up, up to the stop (a run by --ops: the whole run) */
  seconds: number;
  /** discarded before the window */
  warmupSeconds: number;
  /** the whole run, warm-up and the threads' last operations after the stop included */
  wallSeconds: number;
  /** counts of the whole run */
  totals: Totals;
  /** counts of the measured window, per thread, and in all */
  perThread: ({ thread: string } & Totals)[];
  measured: Totals;
  faults: number;
  migrations: number;
  shootdowns: number;
  ipis: number;
  accesses: number;
  faultsPerSec: number;
  migrationsPerSec: number;
  shootdownsPerSec: number;
  accessesPerSec: number;
  /** fault latency in the measured window; `histogram`: its HdrHistogram, compressed base64 (to merge and re-plot) */
  latencyNs: { count: number; p50: number; p90: number; p99: number; p999: number; max: number; histogram: string };
  violations: ViolationInfo[];
  /** a worker that crashed (model error, not an oracle) */
  crash?: { cpu: number; thread: string; error: string };
  /** set when the watchdog fired: what was held and who slept on what */
  hang?: string[];
  profile?: ProfileData;
}

export interface StressOptions {
  onProgress?: (p: Progress) => void;
  progressMs?: number;
  /** a thread whose heartbeat does not move for this long is declared hung */
  watchdogMs?: number;
  /** collect lockstat / lock order / a timeline */
  profile?: ProfileOptions;
  /** stop early (the threads finish their current operation) */
  abort?: AbortSignal;
  /** a run by seconds: seconds run and discarded before the measured window */
  warmupSeconds?: number;
}

const pool = new ReusedPool(new URL('../../workers/host.js', import.meta.url));

export async function closePool(): Promise<void> {
  await pool.close();
}

const zeros = (): Totals => Object.fromEntries(STAT_NAMES.map((n) => [n, 0])) as Totals;

/** Each thread's counters, by tid. */
function readPerThread(cfg: Config, m: Int32Array): Totals[] {
  const lay = new Layout(cfg);
  return Array.from({ length: lay.threads }, (_, tid) => Object.fromEntries(STAT_NAMES.map((n, i) => [n, Atomics.load(m, lay.stat(tid, i))])) as Totals);
}

function sum(per: Totals[]): Totals {
  const totals = zeros();
  for (const t of per) for (const n of STAT_NAMES) totals[n] += t[n];
  return totals;
}

export function readTotals(cfg: Config, m: Int32Array): Totals {
  return sum(readPerThread(cfg, m));
}

export async function runStress(cfg: Config, opts: StressOptions = {}): Promise<StressResult> {
  const lay = new Layout(cfg);
  const sab = boot(cfg);
  const m = new Int32Array(sab);
  const p = pool.get(lay.threads);
  const pause = cfg.migrateRate > 0 ? 1000 / cfg.migrateRate : 0;
  const start = performance.now();
  const startAbs = performance.timeOrigin + start;
  const profile: ProfileRequest | undefined = opts.profile ? { ...opts.profile, shared: profileBuffer(lay.words) } : undefined;
  const done = new Array<boolean>(lay.threads).fill(false);
  const results: FreeTaskResult[] = [];
  let crash: StressResult['crash'];
  // the measured window: from the end of the warm-up to the stop (a run by --ops: all of it)
  const timed = cfg.ops === 0;
  const warmupMs = timed ? (opts.warmupSeconds ?? 0) * 1000 : 0;
  type Edge = { t: number; per: Totals[] };
  const win: { start: Edge | null; end: Edge | null } = { start: null, end: null };
  let lastDoneAt = start;
  const openWindow = (t: number): Edge => {
    win.start = { t, per: readPerThread(cfg, m) };
    Atomics.store(m, CTL_MEASURING, 1);
    return win.start;
  };
  const closeWindow = (t: number): void => {
    if (win.end !== null) return;
    if (win.start === null) openWindow(t);
    win.end = { t, per: readPerThread(cfg, m) };
    Atomics.store(m, CTL_MEASURING, 2);
  };
  if (warmupMs === 0) openWindow(start);
  for (let tid = 0; tid < lay.threads; tid++) {
    const task: FreeTask = { cfg, sab, tid, migratorPauseMs: pause, startAbs, ...(profile ? { profile } : {}) };
    void (p.run(task) as Promise<FreeTaskResult>).then(
      (r) => {
        results.push(r);
        done[tid] = true;
        lastDoneAt = performance.now();
      },
      (e: unknown) => {
        done[tid] = true;
        lastDoneAt = performance.now();
        crash ??= { cpu: tid, thread: threadName(cfg, tid), error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
        Atomics.store(m, CTL_ABORT, 1);
      },
    );
  }

  const watchdogMs = opts.watchdogMs ?? 10_000;
  const beats = new Array<number>(lay.threads).fill(-1);
  const beatAt = new Array<number>(lay.threads).fill(start);
  let hang: string[] | undefined;
  let abortedAt = 0;
  const series: NonNullable<ProfileData['throughput']> = [];
  let prev = { t: 0, totals: readTotals(cfg, m) };
  const stop = (): void => {
    closeWindow(performance.now());
    Atomics.store(m, CTL_STOP, 1);
  };
  opts.abort?.addEventListener('abort', stop);
  if (opts.abort?.aborted) stop();
  while (!done.every(Boolean)) {
    // wake at the window's edges, not a progress tick later
    const edge = win.start === null ? start + warmupMs : timed && win.end === null ? win.start.t + cfg.seconds * 1000 : Infinity;
    await new Promise((r) => setTimeout(r, Math.max(1, Math.min(opts.progressMs ?? 100, edge - performance.now()))));
    const now = performance.now();
    const elapsed = (now - start) / 1000;
    const opened = win.start ?? (now >= start + warmupMs ? openWindow(now) : null);
    if (timed && opened !== null && win.end === null && now >= opened.t + cfg.seconds * 1000) stop();
    const totals = readTotals(cfg, m);
    opts.onProgress?.({ elapsed, totals, violations: Atomics.load(m, CTL_ABORT) });
    if (elapsed - prev.t >= 0.25) {
      const dt = elapsed - prev.t;
      series.push({ t: Number(elapsed.toFixed(2)), faultsPerSec: (totals.faults - prev.totals.faults) / dt, accessesPerSec: (totals.accesses - prev.totals.accesses) / dt, migrationsPerSec: (totals.migrations - prev.totals.migrations) / dt });
      prev = { t: elapsed, totals };
    }
    for (let tid = 0; tid < lay.threads; tid++) {
      const b = Atomics.load(m, lay.stat(tid, ST_HEARTBEAT));
      if (b !== beats[tid] || done[tid]) {
        beats[tid] = b;
        beatAt[tid] = now;
      } else if (hang === undefined && now - (beatAt[tid] as number) > watchdogMs) {
        hang = [`watchdog: ${threadName(cfg, tid)} made no progress for ${(watchdogMs / 1000).toFixed(1)} s`, ...lockDump(cfg, m)];
        Atomics.store(m, CTL_ABORT, 1);
      }
    }
    if (Atomics.load(m, CTL_ABORT) !== 0) {
      abortedAt ||= now;
      if (now - abortedAt > 5_000) {
        // a thread that cannot even unwind: tear the pool down rather than hang
        await closePool();
        break;
      }
    }
  }
  opts.abort?.removeEventListener('abort', stop);
  // a run by --ops (or one that ended early) closes its window when its last thread finished
  closeWindow(lastDoneAt);
  const wallSeconds = (performance.now() - start) / 1000;
  const { t: t0, per: per0 } = win.start!;
  const { t: t1, per: per1 } = win.end!;
  const seconds = Math.max(0, t1 - t0) / 1000;
  const perThread = per1.map((p1, tid) => ({ thread: threadName(cfg, tid), ...Object.fromEntries(STAT_NAMES.map((n) => [n, p1[n] - per0[tid]![n]])) as Totals }));
  const measured = sum(perThread);

  const violations: ViolationInfo[] = [];
  const hist = newHistogram();
  const parts: ProfilePart[] = [];
  for (const r of results.sort((a, b) => a.tid - b.tid)) {
    if (r.profile) parts.push(r.profile);
    if (r.violation) violations.push(r.violation);
    if (r.error) crash ??= { cpu: r.tid, thread: threadName(cfg, r.tid), error: r.error };
    if (r.hist) hist.add(decode(r.hist));
  }
  if (hang) violations.push({ oracle: 'deadlock', message: hang.join('; '), cpu: -1, thread: 'watchdog', step: 0 });
  if (violations.length === 0 && !crash && Atomics.load(m, CTL_ABORT) === 0) {
    violations.push(...check_conservation(cfg, m));
  }
  const totals = readTotals(cfg, m);
  const rate = (n: number): number => (seconds > 0 ? n / seconds : 0);
  return {
    seed: cfg.seed,
    config: cfg,
    seconds,
    warmupSeconds: (t0 - start) / 1000,
    wallSeconds,
    totals,
    perThread,
    measured,
    faults: measured.faults,
    migrations: measured.migrations,
    shootdowns: measured.shootdowns,
    ipis: measured.ipisSent,
    accesses: measured.accesses,
    faultsPerSec: rate(measured.faults),
    migrationsPerSec: rate(measured.migrations),
    shootdownsPerSec: rate(measured.shootdowns),
    accessesPerSec: rate(measured.accesses),
    latencyNs: {
      count: hist.totalCount,
      p50: hist.getValueAtPercentile(50),
      p90: hist.getValueAtPercentile(90),
      p99: hist.getValueAtPercentile(99),
      p999: hist.getValueAtPercentile(99.9),
      max: hist.maxValue,
      histogram: encode(hist),
    },
    violations,
    ...(crash ? { crash } : {}),
    ...(hang ? { hang } : {}),
    ...(opts.profile ? { profile: { ...profileOf(parts, hist, opts.profile.traceCap), throughput: series } } : {}),
  };
}

function profileOf(parts: ProfilePart[], hist: ReturnType<typeof newHistogram>, cap: number): ProfileData {
  const merged = mergeProfile(parts, 'ns');
  const buckets: { valueNs: number; count: number }[] = [];
  for (const p of [1, 5, 10, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100]) buckets.push({ valueNs: hist.getValueAtPercentile(p), count: Math.round((hist.totalCount * p) / 100) });
  return {
    ...merged,
    trace: { ...merged.trace, cap },
    faultLatency: {
      p50: hist.getValueAtPercentile(50), p90: hist.getValueAtPercentile(90), p99: hist.getValueAtPercentile(99), p999: hist.getValueAtPercentile(99.9),
      max: hist.maxValue, count: hist.totalCount, histogram: buckets,
    },
  };
}
