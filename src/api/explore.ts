// The library's explore() and replay(): the commands' own engine, called from a program. explore
// returns the object `faultline explore --test FILE --json` writes; replay returns the run and its
// interleaving, and for a schedule file whether it reproduced what the file recorded.
import { resolve } from 'node:path';
import { makeConfig } from '../config.js';
import { closeDetPool, explore as exploreSchedules } from '../harness/explore.js';
import type { DetRunSpec } from '../harness/det_group.js';
import { DEFAULT_MAX_STEPS, detRunSpec, tracedRun } from '../harness/det_run.js';
import { programOf } from '../harness/programs.js';
import { threadNamesOf } from '../harness/program.js';
import { StrategyError, strategyOf, strayOption, type StrategyOptions } from '../sched/strategies/index.js';
import { exploreJson, failureList, type ExploreJson } from '../cli/explore_json.js';
import { ScheduleWriter } from '../cli/schedule_writer.js';
import { prepareOutputDir } from '../cli/outputs.js';
import { loadSchedule } from '../cli/schedule_load.js';
import { verifyReplay } from '../cli/replay_verdict.js';
import { renderInterleaving, traceRows, windowEnd } from '../report/interleaving.js';
import type { ViolationInfo } from '../check/violation.js';
import { loadTest } from './load.js';
import { TestDefError } from './test.js';

export interface ExploreOptions {
  /** the test module's path (its default export made with defineTest) */
  test: string;
  /** default: the portfolio, as the command's; an option the named strategy does not read (say
   * `depth` for random) is refused with a StrategyError, as the CLI refuses the flag */
  strategy?: StrategyOptions;
  /** seeds start..start + count − 1 (default 1..1000) */
  seeds?: { start: number; count: number };
  /** schedules run in parallel (default 1) */
  jobs?: number;
  stopOnFirst?: boolean;
  /** exhaustive: give up after this many schedules (0: no limit) */
  maxSchedules?: number;
  /** the livelock limit: steps without a thread finishing */
  maxSteps?: number;
  /** where failing schedules are written (default faultline-schedules) */
  scheduleDir?: string;
  /** shrink the first failure of each oracle, as the command does (default true), within
   * `shrinkBudget` replays each (default 300) */
  shrink?: boolean;
  shrinkBudget?: number;
}

function specOf(test: string, strategy: ExploreOptions['strategy'], maxSteps: number): DetRunSpec {
  const stray = strayOption(strategy ?? {});
  if (stray !== null) throw new StrategyError(stray);
  return detRunSpec({ cfg: makeConfig({}), test: { file: resolve(test) }, strategy: strategyOf(strategy ?? {}), maxSteps });
}

export async function explore(opts: ExploreOptions): Promise<ExploreJson> {
  const spec = specOf(opts.test, opts.strategy, opts.maxSteps ?? DEFAULT_MAX_STEPS);
  await loadTest(opts.test);
  const dir = opts.scheduleDir ?? 'faultline-schedules';
  prepareOutputDir('scheduleDir', dir);
  const seeds = opts.seeds ?? { start: 1, count: 1000 };
  const writer = new ScheduleWriter(dir, spec);
  try {
    const r = await exploreSchedules({
      spec, seedStart: seeds.start, seedCount: seeds.count, jobs: opts.jobs ?? 1, stopOnFirst: opts.stopOnFirst === true, maxSchedules: opts.maxSchedules ?? 100_000,
      onFailure: (seed) => writer.add(seed),
    });
    await writer.writeAll(r);
    if (opts.shrink !== false) await writer.shrinkFirsts(opts.shrinkBudget ?? 300, 10);
    return exploreJson(spec, r, failureList(spec, writer), [...r.errors, ...writer.internal, ...writer.unwritten], null);
  } finally {
    await closeDetPool();
  }
}

export interface ReplayOptions {
  /** a schedule file written by explore (it names its test) */
  schedule?: string;
  /** or a test and a seed under a strategy */
  test?: string;
  seed?: number;
  strategy?: ExploreOptions['strategy'];
  /** steps of interleaving shown before the violating thread's exit, or the end (default 40) */
  window?: number;
}

export interface ReplayResult {
  seed: number;
  traceHash: string;
  steps: number;
  violation: ViolationInfo | null;
  /** the `window` steps before the violation (or the end), a column per thread */
  interleaving: string;
  /** a schedule file: whether the run reproduced what it recorded */
  reproduced?: boolean;
  verdict?: string;
  errors: string[];
}

export async function replay(opts: ReplayOptions): Promise<ReplayResult> {
  let spec: DetRunSpec;
  let seed: number;
  let check: ((r: Awaited<ReturnType<typeof tracedRun>>) => { reproduced: boolean; line: string }) | null = null;
  if (opts.schedule !== undefined) {
    const loaded = await loadSchedule(opts.schedule);
    spec = loaded.spec;
    seed = loaded.file.seed;
    check = (r) => verifyReplay(loaded.file, r);
  } else {
    if (opts.test === undefined || opts.seed === undefined) throw new TestDefError('replay: needs { schedule } or { test, seed }');
    spec = { ...specOf(opts.test, opts.strategy, DEFAULT_MAX_STEPS), trace: true };
    if (spec.strategy.name === 'cover') throw new StrategyError('replay: a run of cover depends on the schedules explore ran before it: replay its { schedule }');
    await loadTest(opts.test);
    seed = opts.seed;
  }
  try {
    const r = await tracedRun(spec, seed);
    const program = programOf(spec);
    const end = windowEnd(r);
    const rows = traceRows(program, r, end - (opts.window ?? 40), end);
    const verdict = check?.(r);
    return {
      seed, traceHash: r.traceHash, steps: r.steps, violation: r.violation, interleaving: renderInterleaving(threadNamesOf(program), rows), errors: r.errors,
      ...(verdict ? { reproduced: verdict.reproduced, verdict: verdict.line } : {}),
    };
  } finally {
    await closeDetPool();
  }
}
