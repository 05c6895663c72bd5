// A program on real parallel threads (`stress --test`): the program runs again and again, each run
// started on every thread at once from a generation word; the thread that finishes a run last
// checks it, boots the next one and starts it. Runs end when the coordinator says stop, or at the
// first failing run. The same thread code as deterministic mode, under the free-mode scheduler.
import type { Program } from './program.js';
import { CTL_ABORT } from '../shm/layout.js';
import { freeScheduler } from './roles.js';
import type { ViolationInfo } from '../check/violation.js';
import { loadTest } from '../api/load.js';
import { ReusedPool } from './pool.js';
import type { StressTask } from '../../workers/stress_host.js';
import { attachWallClock, profileBuffer, type ProfileRequest } from '../profile/attach.js';
import type { ProfileOptions, ProfilePart, Recorder } from '../profile/recorder.js';
import { mergeProfile } from '../profile/merge.js';
import type { ProfileData } from '../profile/types.js';

// control words (a buffer of their own)
const F_GEN = 0; // bumped to start run GEN (1, 2, …)
const F_DONE = 16; // threads done with the current run
const F_STOP = 32; // no more runs
const F_RUNS = 48; // runs checked
const F_WORDS = 64;

export interface StressRunOptions {
  seed: number;
  noise: number;
  strictWaits: boolean;
  /** lockstat, lock order, timeline: one recorder per thread over all its runs */
  profile?: ProfileRequest;
  /** performance.timeOrigin + performance.now() at the start, for the profile clock */
  startAbs?: number;
}

export interface StressThreadResult {
  tid: number;
  /** the failing run (its index; its seed is seed + index) and what failed */
  failure?: { run: number; violation: ViolationInfo };
  error?: string;
  profile?: ProfilePart;
}

/** Boots run 0 and starts it (the coordinator, once the threads are on their way). */
function startFirstRun(p: Program, m: Int32Array, control: Int32Array, seed: number): void {
  p.boot(m, seed);
  Atomics.store(control, F_GEN, 1);
  Atomics.notify(control, F_GEN);
}

/** One thread: its part of every run until told to stop. */
export function stressThread(p: Program, m: Int32Array, control: Int32Array, tid: number, o: StressRunOptions): StressThreadResult {
  const out: StressThreadResult = { tid };
  let rec: Recorder | null = null;
  const done = (): StressThreadResult => (rec ? { ...out, profile: rec.part() } : out);
  for (let gen = 0; ; ) {
    while (Atomics.load(control, F_GEN) === gen) {
      if (Atomics.load(control, F_STOP) !== 0) return done();
      Atomics.wait(control, F_GEN, gen, 100);
    }
    gen = Atomics.load(control, F_GEN);
    if (Atomics.load(control, F_STOP) !== 0) return done();
    const run = gen - 1;
    const t = p.thread(m, tid, freeScheduler(m, p.lines, tid, o.seed + run, o.noise, o.strictWaits), o.seed + run);
    if (o.profile) {
      if (rec === null) rec = attachWallClock(t, p.locks, o.profile, o.startAbs!);
      else t.probe = rec;
    }
    const r = p.run(t);
    if (r.violation && out.failure === undefined) out.failure = { run, violation: r.violation };
    if (r.error) {
      out.error = r.error;
      Atomics.store(control, F_STOP, 1);
    }
    if (Atomics.add(control, F_DONE, 1) + 1 < p.threads) continue;
    // the last one out: check the run, then start the next
    let failed = Atomics.load(m, CTL_ABORT) !== 0;
    if (!failed) {
      const bad = p.finalCheck(m, o.seed + run);
      if (bad !== null) {
        out.failure ??= { run, violation: bad };
        failed = true;
      }
    }
    Atomics.add(control, F_RUNS, 1);
    if (failed) Atomics.store(control, F_STOP, 1);
    if (Atomics.load(control, F_STOP) === 0) p.boot(m, o.seed + run + 1);
    Atomics.store(control, F_DONE, 0);
    Atomics.add(control, F_GEN, 1);
    Atomics.notify(control, F_GEN);
  }
}

/** how long threads told to abort may take to unwind before their workers are terminated */
const GRACE_MS = 2000;
const pool = new ReusedPool(new URL('../../workers/stress_host.js', import.meta.url));

export async function closeStressPool(): Promise<void> {
  await pool.close();
}

export interface ProgramStressResult {
  runs: number;
  seconds: number;
  runsPerSec: number;
  /** the first failing run: its index and seed (the seed its setup saw) */
  failure: { run: number; seed: number; violation: ViolationInfo } | null;
  /** no run finished for the watchdog's time: the threads were aborted */
  hang: boolean;
  errors: string[];
  /** profiled: the threads' parts merged (absent when the threads had to be terminated) */
  profile?: ProfileData;
}

/** Runs the test at `ref` on real threads for `seconds` (or until a run fails, or `abort`). */
export async function stressProgram(ref: string, o: Omit<StressRunOptions, 'profile' | 'startAbs'> & { seconds: number; watchdogMs: number; abort?: AbortSignal; profile?: ProfileOptions }): Promise<ProgramStressResult> {
  const program = await loadTest(ref);
  const machineSab = new SharedArrayBuffer(program.words * 4);
  const controlSab = new SharedArrayBuffer(F_WORDS * 4);
  const m = new Int32Array(machineSab);
  const control = new Int32Array(controlSab);
  const p = pool.get(program.threads);
  const start = performance.now();
  const profile = o.profile ? { profile: { ...o.profile, shared: profileBuffer(program.words) }, startAbs: performance.timeOrigin + start } : {};
  const tasks = Array.from({ length: program.threads }, (_, tid) => p.run({ test: ref, machine: machineSab, control: controlSab, tid, seed: o.seed, noise: o.noise, strictWaits: o.strictWaits, ...profile } satisfies StressTask) as Promise<StressThreadResult>);
  startFirstRun(program, m, control, o.seed);
  const all = Promise.all(tasks);
  let settled = false;
  void all.finally(() => (settled = true)).catch(() => undefined);
  let hang = false;
  let last = -1;
  let lastAt = start;
  let abortedAt = 0;
  while (!settled) {
    // a thread that never reaches a wait (a spin without one) cannot see the abort: terminate it
    if (abortedAt > 0 && performance.now() - abortedAt > GRACE_MS) {
      await pool.close();
      return summarize([], (performance.now() - start) / 1000, Atomics.load(control, F_RUNS), true, o.seed);
    }
    await Promise.race([all.catch(() => undefined), new Promise((r) => setTimeout(r, 20))]);
    const now = performance.now();
    if (now - start >= o.seconds * 1000 || o.abort?.aborted) Atomics.store(control, F_STOP, 1);
    const runs = Atomics.load(control, F_RUNS);
    if (runs !== last) {
      last = runs;
      lastAt = now;
    } else if (!settled && now - lastAt > o.watchdogMs && !hang) {
      // a deadlock or a livelock in free mode: every thread sees the abort word at its next wait
      hang = true;
      abortedAt = now;
      Atomics.store(control, F_STOP, 1);
      Atomics.store(m, CTL_ABORT, 1);
    }
  }
  const results = await all;
  const seconds = (performance.now() - start) / 1000;
  const out = summarize(results, seconds, Atomics.load(control, F_RUNS), hang, o.seed);
  if (!o.profile) return out;
  const merged = mergeProfile(results.flatMap((r) => (r.profile ? [r.profile] : [])), 'ns');
  return { ...out, profile: { ...merged, trace: { ...merged.trace, cap: o.profile.traceCap } } };
}

function summarize(results: StressThreadResult[], seconds: number, runs: number, hang: boolean, seed: number): ProgramStressResult {
  const first = results.flatMap((r) => (r.failure ? [r.failure] : [])).sort((a, b) => a.run - b.run)[0];
  return {
    runs, seconds, runsPerSec: runs / seconds,
    failure: first && !hang ? { run: first.run, seed: seed + first.run, violation: first.violation } : null,
    hang,
    errors: results.flatMap((r) => (r.error ? [r.error] : [])),
  };
}
