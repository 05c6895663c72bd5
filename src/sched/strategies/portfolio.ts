// portfolio (as Coyote's default): schedules go round-robin over several strategies, since no one
// of them finds every kind of bug first. The member is a function of the seed alone, so a seed
// replays with `--strategy portfolio` as well as with its member's own spec.
import type { StrategySpec } from './index.js';

/** Kinds interleaved, so that any few consecutive seeds try each kind. */
export const PORTFOLIO: readonly Partial<StrategySpec>[] = [
  { name: 'random', switchProbability: 0.01 },
  { name: 'pct', depth: 1 },
  { name: 'pos' },
  { name: 'random', switchProbability: 0.05 },
  { name: 'pct', depth: 2 },
  { name: 'surw' },
  { name: 'random', switchProbability: 0.2 },
  { name: 'pct', depth: 3 },
];

/** The strategy that runs `seed`: the portfolio's member for it, or the spec itself. */
export function memberOf(spec: StrategySpec, seed: number): StrategySpec {
  if (spec.name !== 'portfolio') return spec;
  return { ...spec, ...PORTFOLIO[(seed >>> 0) % PORTFOLIO.length] };
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
    default:
      return spec.name;
  }
}
