// Writes the schedule file of each failure as soon as it is found, one at a time beside the
// running exploration, under a name that never overwrites another run's file.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { scheduleFileOf, tracedRun } from '../harness/det_run.js';
import type { DetRunSpec, RunRecord } from '../harness/det_group.js';
import { dependsOnHistory, isExhaustive, searchOf, STRATEGY_DEFAULTS, type SearchSpec } from '../sched/strategies/index.js';
import type { ExploreResult } from '../harness/explore.js';
import { strategyLabel } from '../sched/strategies/portfolio.js';
import { MODULE_KEYS } from '../config.js';
import { isModuleRef } from '../lib/module_ref.js';
import { UsageError } from './errors.js';
import { shrinkScheduleFile, shrunkPath, type ShrinkSummary } from './shrink.js';

export interface WrittenFailure {
  seed: number;
  oracle: string;
  message: string;
  thread: string;
  traceHash: string;
  scheduleFile: string;
  /** portfolio: the member that found it (its schedule file replays it alone) */
  member?: string;
  /** the same failure shrunk (explore shrinks the first failure of each oracle by default) */
  shrunk?: ShrinkSummary;
}

/** `pct3-seed12-no-tlb-flush-0123456789abcdef.schedule.json`: strategy (a portfolio's member),
 * seed, what ran (bug set, modules, test) and trace hash, so a name can only repeat for the very
 * same schedule. */
function fileName(spec: DetRunSpec, s: SearchSpec, seed: number | null, hash: string): string {
  const random = (p: number): string => (p === STRATEGY_DEFAULTS.switchProbability ? 'random' : `random${p}`);
  const strategy = s.name === 'pct' ? `pct${s.depth}` : s.name === 'bounded' ? `bounded${s.bound}${s.exhaustive ? 'x' : ''}` : s.name === 'random' ? random(s.switchProbability) : s.name;
  const moduleName = (ref: string): string => basename(ref).replace(/\.[cm]?js(#|$)/, '$1').replace('#', '-');
  // what ran: a user test, the bug switches, a user's driver or rwsem module, or the clean machine
  const modules = MODULE_KEYS.map((k) => spec.cfg[k]).filter(isModuleRef).map(moduleName);
  const bugs = spec.test ? moduleName(spec.test.file) : [...spec.cfg.bugs, ...modules].join('+') || 'clean';
  return `${strategy}-${seed === null ? 'enumerated' : `seed${seed}`}-${bugs}-${hash}.schedule.json`;
}

/** The first failure of each oracle, in the order given (by seed: the lowest seed of each). */
export function firstOfEachOracle<F extends { oracle: string }>(failures: F[]): F[] {
  return failures.filter((f, i) => failures.findIndex((g) => g.oracle === f.oracle) === i);
}

export class ScheduleWriter {
  readonly written: WrittenFailure[] = [];
  private chain: Promise<void> = Promise.resolve();
  private readonly queued = new Set<string>();
  /** schedule files that could not be written (one line each), and faultline's own failures */
  readonly unwritten: string[] = [];
  readonly internal: string[] = [];

  constructor(
    private readonly dir: string,
    private readonly spec: DetRunSpec,
  ) {}

  /** Queues a failing run once: by its seed, or, where the seed alone does not make the run, by
   * how it went (its choices in exhaustive mode, its switches under cover). */
  add(seed: number, how?: RunRecord['how']): void {
    const key = how ? JSON.stringify(how) : String(seed);
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.chain = this.chain.then(() => this.write(seed, how)).catch((e: unknown) => {
      if (e instanceof UsageError) this.unwritten.push(e.message);
      else this.internal.push(e instanceof Error ? (e.stack ?? e.message) : String(e));
    });
  }

  /** Waits for every queued file. */
  async drain(): Promise<void> {
    await this.chain;
  }

  /** Queues every failure of an exploration, then waits for the files: the ones the failure log
   * could not hold, and those known by how they went (enumerated, cover), not by a seed. */
  async writeAll(r: Pick<ExploreResult, 'runs' | 'failures'>): Promise<void> {
    if (dependsOnHistory(this.spec.strategy)) {
      for (const run of r.runs) if (run.failed && run.how) this.add(run.seed, run.how);
    } else {
      for (const f of r.failures) this.add(f.seed);
    }
    await this.drain();
  }

  /** Shrinks the first failure (lowest seed) of each oracle, at most `max` of them, each within
   * `budget` replays, writing the shrunk file next to its original. */
  async shrinkFirsts(budget: number, max: number, onShrunk?: (f: WrittenFailure) => void): Promise<void> {
    for (const f of firstOfEachOracle([...this.written].sort((a, b) => a.seed - b.seed)).slice(0, max)) {
      const out = shrunkPath(f.scheduleFile);
      const r = await shrinkScheduleFile(f.scheduleFile, budget, out);
      if ('notReproduced' in r) {
        this.internal.push(`${f.scheduleFile} ${r.notReproduced}: faultline is not deterministic here`);
        continue;
      }
      writeFileSync(out, JSON.stringify(r.file, null, 1) + '\n');
      f.shrunk = r.summary;
      onShrunk?.(f);
    }
  }

  private async write(seed: number, how?: RunRecord['how']): Promise<void> {
    const spec: DetRunSpec = how === undefined ? this.spec
      : 'choices' in how ? { ...this.spec, tapePrefix: how.choices }
        : { ...this.spec, strategy: { name: 'replay', decisions: how.decisions, recorded: searchOf(this.spec.strategy) } };
    const run = await tracedRun(spec, seed);
    // a crashed run is faultline's failure, reported with the exploration's errors: no schedule
    if (!run.violation && run.errors.length > 0) return;
    if (!run.violation) throw new Error(`seed ${seed} failed in the exploration but not when traced again: faultline is not deterministic here`);
    const file = join(this.dir, fileName(this.spec, run.strategy, isExhaustive(this.spec.strategy) ? null : seed, run.traceHash));
    const text = JSON.stringify(scheduleFileOf(spec, run, this.dir), null, 1) + '\n';
    try {
      writeFileSync(file, text, { flag: 'wx' });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // the same name is the same schedule (its trace hash is in it): keep the file that is there
      if (code !== 'EEXIST' || !sameSchedule(file, run.traceHash)) throw new UsageError(`cannot write schedule file ${file}: ${(e as Error).message}`);
    }
    const v = run.violation;
    const member = this.spec.strategy.name === 'portfolio' ? { member: strategyLabel(run.strategy) } : {};
    this.written.push({ seed, oracle: v.oracle, message: v.message, thread: v.thread, traceHash: run.traceHash, scheduleFile: file, ...member });
  }
}

function sameSchedule(file: string, hash: string): boolean {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { traceHash?: string }).traceHash === hash;
  } catch {
    return false;
  }
}
