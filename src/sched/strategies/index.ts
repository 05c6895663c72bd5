// Strategy selection: the spec travels with a run (and in schedule files); every thread builds
// its own view of the same shared strategy state from it.
import { BoundedStrategy } from './bounded.js';
import { CoverStrategy } from './cover.js';
import type { ConflictCoverage } from '../coverage.js';
import type { ChoiceTape } from './choice_tape.js';
import { PctStrategy } from './pct.js';
import { PosStrategy } from './pos.js';
import { memberOf } from './portfolio.js';
import { RandomStrategy } from './random.js';
import { ReplayStrategy } from './replay.js';
import { SurwStrategy } from './surw.js';
import type { Strategy } from './strategy.js';
import type { StrategySpec } from './spec.js';

export {
  DEFAULT_STRATEGY, dependsOnHistory, isExhaustive, readersOf, SEARCH_SPEC, searchOf, STRATEGY_DEFAULTS, STRATEGY_NAMES, StrategyError, strategyOf, strayOption,
  type SearchSpec, type StrategyName, type StrategyOptions, type StrategySpec,
} from './spec.js';

/** The strategy of the run of `seed` (a portfolio's member). Its spec must be calibrated: steps a
 * number where it uses them, events given for surw. */
export function makeStrategy(spec: StrategySpec, s: Int32Array, base: number, tape: ChoiceTape | null, seed: number, coverage: ConflictCoverage | null): Strategy {
  if (spec.name === 'replay') return new ReplayStrategy(s, base, spec.decisions, spec.then);
  const m = memberOf(spec, seed);
  const steps = (k: number | 'auto'): number => {
    if (k === 'auto') throw new Error(`${m.name}: steps 'auto' must be calibrated before the run (harness/calibrate.ts)`);
    return k;
  };
  switch (m.name) {
    case 'random':
      return new RandomStrategy(s, base, m.switchProbability);
    case 'pct':
      return new PctStrategy(s, base, m.depth, steps(m.steps));
    case 'pos':
      return new PosStrategy(s, base);
    case 'cover':
      if (coverage === null) throw new Error('cover: the run measures no coverage (DetRunSpec.coverage)');
      return new CoverStrategy(s, base, coverage, m.switchProbability);
    case 'surw':
      if (m.events === undefined) throw new Error('surw: events must be calibrated before the run (harness/calibrate.ts)');
      return new SurwStrategy(s, base, m.events);
    case 'bounded':
      return new BoundedStrategy(s, base, m.bound, m.exhaustive ? 1 : steps(m.steps), m.exhaustive ? tape : null);
    case 'portfolio':
      throw new Error('unreachable: memberOf picks a member');
  }
}
