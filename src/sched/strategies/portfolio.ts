// portfolio (as Coyote's default): schedules go round-robin over several strategies, since no one
// of them finds every kind of bug first. The member is a function of the seed alone, so a seed
// replays with `--strategy portfolio` as well as with its member's own spec.
import { searchOf, type Pct, type Random, type SearchSpec, type StrategySpec, type Surw } from './spec.js';

type Member = Random | Omit<Pct, 'steps'> | { name: 'pos' } | Omit<Surw, 'events'>;

/** Kinds interleaved, so that any few consecutive seeds try each kind. */
export const PORTFOLIO: readonly Member[] = [
  { name: 'random', switchProbability: 0.01 },
  { name: 'pct', depth: 1 },
  { name: 'pos' },
  { name: 'random', switchProbability: 0.05 },
  { name: 'pct', depth: 2 },
  { name: 'surw' },
  { name: 'random', switchProbability: 0.2 },
  { name: 'pct', depth: 3 },
];

/** The search that runs `seed`: the portfolio's member for it (with the portfolio's calibrated
 * steps and events), a replay's recorded search, or the spec itself. */
export function memberOf(spec: StrategySpec, seed: number): SearchSpec {
  if (spec.name !== 'portfolio') return searchOf(spec);
  const m = PORTFOLIO[(seed >>> 0) % PORTFOLIO.length]!;
  if (m.name === 'pct') return { ...m, steps: spec.steps };
  if (m.name === 'surw') return spec.events !== undefined ? { ...m, events: spec.events } : m;
  return m;
}

/** A short name for a strategy spec: `pct d=2`, `random p=0.05`, `pos`. */
export function strategyLabel(spec: StrategySpec): string {
  switch (spec.name) {
    case 'pct':
      return `pct d=${spec.depth}`;
    case 'random':
      return `random p=${spec.switchProbability}`;
    case 'bounded':
      return `bounded b=${spec.bound}`;
    case 'replay':
      return `replay of ${strategyLabel(spec.recorded)}`;
    default:
      return spec.name;
  }
}
