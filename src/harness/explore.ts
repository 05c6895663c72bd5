// The deterministic coordinator: J groups of T threads each (a reused piscina pool), seeds handed
// out through a shared counter, progress read from shared words. Used by explore (many seeds) and
// by replay (one seed, full trace).
import { ReusedPool } from './pool.js';
import type { DetTask } from '../../workers/det_host.js';
import { profileBuffer } from '../profile/attach.js';
import { mergeProfile } from '../profile/merge.js';
import type { ProfileData } from '../profile/types.js';
import { dependsOnHistory, isExhaustive, type StrategySpec } from '../sched/strategies/index.js';
import { memberOf, strategyLabel } from '../sched/strategies/portfolio.js';
import { calibrated } from './calibrate.js';
import { mergePairs, summarizeCoverage, type CoverageSummary } from './coverage.js';
import { loadProgram, programOf } from './programs.js';
import {
  C_COMPLETED, C_EXHAUSTED, C_FAIL_COUNT, C_FAIL_LOG, C_FAILED, C_KILL, C_MAX_SCHEDULES, C_SEED_COUNT, C_SEED_START, C_STOP, C_STOP_ON_FIRST,
  CONTROL_WORDS, coverageOf, FAIL_LOG_CAPACITY, machineWords, schedLayoutOf, tapeOf, startNext, type DetRunSpec, type FailureRecord, type GroupThreadResult, type RunRecord,
} from './det_group.js';

export interface ExploreRequest {
  spec: DetRunSpec;
  seedStart: number;
  seedCount: number;
  jobs: number;
  stopOnFirst: boolean;
  /** exhaustive mode: stop after this many schedules (0: no limit) */
  maxSchedules: number;
  onProgress?: (done: number, failed: number) => void;
  /** the seed of each failing run, as soon as its run has ended (seeded strategies; the first
   * FAIL_LOG_CAPACITY failures — the rest are in the result) */
  onFailure?: (seed: number) => void;
  /** a group whose completed count does not move for this long is torn down */
  watchdogMs?: number;
  /** stop handing out seeds; runs still going after `graceMs` are torn down */
  abort?: AbortSignal;
  graceMs?: number;
}

export interface ExploreResult {
  /** the seed range asked for (an exhaustive run: its one seed) */
  seeds: { start: number; count: number };
  schedules: number;
  failedSchedules: number;
  seconds: number;
  schedulesPerSec: number;
  failures: FailureRecord[];
  runs: RunRecord[];
  exhausted: boolean;
  errors: string[];
  /** merged lockstat and lock order (logical steps), when spec.profile asked for them */
  profile?: ProfileData;
  /** interleaving coverage, when spec.coverage asked for it (harness/coverage.ts) */
  coverage?: CoverageSummary;
  /** stopped by `abort` before the seed range was done */
  aborted: boolean;
  /** the strategy as run: calibrated (see calibrate.ts) */
  strategy: StrategySpec;
  /** the last group's buffers (replay reads the trace from them) */
  machine: Int32Array;
  sched: Int32Array;
}

const DET_HOST = new URL('../../workers/det_host.js', import.meta.url);
const pool = new ReusedPool(DET_HOST);
/** single traced runs (schedule files of failures) run beside an exploration, on their own threads */
const tracePool = new ReusedPool(DET_HOST);

export async function closeDetPool(): Promise<void> {
  await Promise.all([pool.close(), tracePool.close()]);
}

export async function explore(req: ExploreRequest): Promise<ExploreResult> {
  await loadProgram(req.spec);
  // calibration runs on the same pool as the runs that follow (a traced rerun beside an explore
  // must not resize the explore's pool)
  const traced = req.spec.trace;
  // one seed (replay, a schedule file): only its portfolio member needs calibrating, if at all
  const asked = req.seedCount === 1 && req.spec.strategy.name === 'portfolio' ? { ...req.spec, strategy: memberOf(req.spec.strategy, req.seedStart) } : req.spec;
  // a calibration that crashed, was interrupted or torn down: no schedule runs, its errors are the result
  let broken: ExploreResult | null = null;
  const spec = await calibrated(asked, async (probe, count) => {
    const r = await runGroups({ spec: probe, seedStart: 1, seedCount: count, jobs: req.jobs, stopOnFirst: false, maxSchedules: 0, ...(req.abort ? { abort: req.abort } : {}), ...(req.watchdogMs ? { watchdogMs: req.watchdogMs } : {}) }, traced);
    if (r.runs.length === count && r.errors.length === 0) return r.runs;
    broken = r;
    throw new Error('calibration failed');
  }).catch((e: unknown) => {
    if (broken === null) throw e;
    return null;
  });
  if (spec === null) {
    const b: ExploreResult = broken!;
    return { ...b, schedules: 0, failedSchedules: 0, schedulesPerSec: 0, failures: [], runs: [], strategy: asked.strategy, errors: b.errors.map((e) => `calibration run: ${e}`) };
  }
  // a run of cover depends on the runs before it: its failures are written from its own trace
  const r = await runGroups({ ...req, spec: dependsOnHistory(spec.strategy) && !isExhaustive(spec.strategy) ? { ...spec, trace: true } : spec }, traced);
  const portfolio = req.spec.strategy;
  return portfolio.name === 'portfolio' ? { ...r, failures: r.failures.map((f) => ({ ...f, member: strategyLabel(memberOf(portfolio, f.seed)) })) } : r;
}

async function runGroups(req: ExploreRequest, traced: boolean): Promise<ExploreResult> {
  const { spec } = req;
  const threads = programOf(spec).threads;
  const jobs = dependsOnHistory(spec.strategy) ? 1 : Math.max(1, Math.min(req.jobs, req.seedCount));
  const p = (traced ? tracePool : pool).get(jobs * threads);
  const controlSab = new SharedArrayBuffer(CONTROL_WORDS * 4);
  const control = new Int32Array(controlSab);
  control[C_SEED_START] = req.seedStart | 0;
  control[C_SEED_COUNT] = req.seedCount;
  control[C_STOP_ON_FIRST] = req.stopOnFirst ? 1 : 0;
  control[C_MAX_SCHEDULES] = req.maxSchedules;
  const sl = schedLayoutOf(spec);
  const start = performance.now();
  const tasks: Promise<GroupThreadResult>[] = [];
  let machine: Int32Array = new Int32Array(0);
  let sched: Int32Array = new Int32Array(0);
  const scheds: Int32Array[] = [];
  for (let g = 0; g < jobs; g++) {
    const machineSab = new SharedArrayBuffer(machineWords(spec) * 4);
    const schedSab = new SharedArrayBuffer(sl.words * 4);
    machine = new Int32Array(machineSab);
    sched = new Int32Array(schedSab);
    scheds.push(sched);
    if (spec.tapePrefix) tapeOf(sched, sl).preset(spec.tapePrefix);
    startNext(spec, machine, sched, control, true);
    const profile = spec.profile ? profileBuffer(programOf(spec).words) : undefined;
    for (let tid = 0; tid < threads; tid++) {
      const task: DetTask = { spec, machine: machineSab, sched: schedSab, control: controlSab, tid, ...(profile ? { profile } : {}) };
      tasks.push(p.run(task) as Promise<GroupThreadResult>);
    }
  }
  const all = Promise.all(tasks);
  let settled = false;
  void all.finally(() => (settled = true));
  const watchdogMs = req.watchdogMs ?? 30_000;
  let last = -1;
  let lastAt = performance.now();
  let reported = 0;
  let abortedAt = 0;
  const onAbort = (): void => {
    Atomics.store(control, C_STOP, 1);
  };
  req.abort?.addEventListener('abort', onAbort);
  if (req.abort?.aborted) onAbort();
  while (!settled) {
    await Promise.race([all.catch(() => undefined), new Promise((r) => setTimeout(r, 50))]);
    const done = Atomics.load(control, C_COMPLETED);
    const logged = Math.min(Atomics.load(control, C_FAIL_COUNT), FAIL_LOG_CAPACITY);
    for (; reported < logged; reported++) req.onFailure?.(Atomics.load(control, C_FAIL_LOG + reported) >>> 0);
    req.onProgress?.(done, Atomics.load(control, C_FAILED));
    if (req.abort?.aborted) {
      abortedAt ||= performance.now();
      if (performance.now() - abortedAt > (req.graceMs ?? 500)) Atomics.store(control, C_KILL, 1);
    }
    if (done !== last) {
      last = done;
      lastAt = performance.now();
    } else if (!settled && performance.now() - lastAt > watchdogMs) {
      Atomics.store(control, C_STOP, 1);
      Atomics.store(control, C_KILL, 1);
    }
  }
  req.abort?.removeEventListener('abort', onAbort);
  const results = await all;
  const seconds = (performance.now() - start) / 1000;
  const failures = results.flatMap((r) => r.failures);
  const runs = results.flatMap((r) => r.runs).sort((a, b) => a.seed - b.seed);
  const errors = results.flatMap((r) => (r.error ? [r.error] : []));
  const aborted = req.abort?.aborted === true;
  const torn = [...new Set(results.flatMap((r) => (r.tornDown !== undefined ? [r.tornDown] : [])))];
  if (Atomics.load(control, C_KILL) !== 0 && !aborted) errors.push(`watchdog: no schedule completed for ${watchdogMs / 1000} s; runs of seed ${torn.join(', ')} torn down`);
  const schedules = Atomics.load(control, C_COMPLETED);
  return {
    seeds: { start: req.seedStart, count: req.seedCount },
    schedules,
    failedSchedules: Atomics.load(control, C_FAILED),
    seconds,
    schedulesPerSec: schedules / seconds,
    failures: dedupe(failures),
    runs,
    exhausted: Atomics.load(control, C_EXHAUSTED) !== 0,
    errors,
    aborted,
    strategy: spec.strategy,
    ...(spec.profile ? { profile: mergeProfile(results.flatMap((x) => (x.profile ? [x.profile] : [])), 'steps') } : {}),
    ...(spec.coverage ? { coverage: summarizeCoverage(mergePairs(scheds.map((s) => coverageOf(spec, s, sl)!.read())), schedules) } : {}),
    machine,
    sched,
  };
}

/** One violation per seed: the thread that raised it (others only unwound). */
function dedupe(failures: FailureRecord[]): FailureRecord[] {
  const bySeed = new Map<number, FailureRecord>();
  for (const f of failures) if (!bySeed.has(f.seed)) bySeed.set(f.seed, f);
  return [...bySeed.values()].sort((a, b) => a.seed - b.seed);
}
