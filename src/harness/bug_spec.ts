// A catalog bug's own scenario as a deterministic run spec: the small scenario with the bug's
// config, its switch and companions, its moves and (unless the caller picks one) its strategy.
// The one place matrix, the tests and the benches turn a catalog entry into a run.
import { BUG_CATALOG } from '../bugs/catalog.js';
import type { BugName } from '../bugs/switches.js';
import { type Config, makeConfig } from '../config.js';
import { strategyOf, type StrategyOptions } from '../sched/strategies/index.js';
import type { DetRunSpec } from './det_group.js';
import { DEFAULT_MOVES, detRunSpec, SMALL_SCENARIO } from './det_run.js';

export interface BugSpecOptions {
  /** false: the same scenario with no switch on (the clean protocol under the bug's workload) */
  switched?: boolean;
  /** on top of the bug's config (a driver, a machine size) */
  config?: Partial<Config>;
  /** instead of the bug's own strategy (the portfolio when it has none) */
  strategy?: StrategyOptions;
}

/** `bug` null: the small scenario alone (the clean row of the matrix). */
export function bugSpec(bug: BugName | null, o: BugSpecOptions = {}): DetRunSpec {
  const sc = (bug === null ? undefined : BUG_CATALOG.find((b) => b.name === bug)?.scenario) ?? {};
  const bugs = bug === null || o.switched === false ? [] : [bug, ...(sc.with ?? [])];
  return detRunSpec({
    cfg: makeConfig({ ...SMALL_SCENARIO, ...sc.config, ...o.config, bugs }),
    strategy: strategyOf(o.strategy ?? sc.strategy ?? {}),
    moves: sc.moves ?? DEFAULT_MOVES,
  });
}

/** The bug's config for a free-running stress run (the default machine, not the small scenario). */
export function bugStressConfig(bug: BugName | null, over: Partial<Config>): Config {
  const sc = (bug === null ? undefined : BUG_CATALOG.find((b) => b.name === bug)?.scenario) ?? {};
  return makeConfig({ ...sc.config, ...over, bugs: bug === null ? [] : [bug, ...(sc.with ?? [])] });
}
