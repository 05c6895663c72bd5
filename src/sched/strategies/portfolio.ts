// portfolio (as Coyote's default): schedules go round-robin over several strategies, since no one
// of them finds every kind of bug first. The member is a function of the seed alone, so a seed
// replays with `--strategy portfolio` as well as with its member's own spec.
import { searchOf, type Pct, type Random, type SearchSpec, type StrategySpec, type Surw } from './spec.js';

type Member = Random | Omit<Pct, 'steps'> | { name: 'pos' } | Omit<Surw, 'events'>;

/** Kinds interleaved, so that any few consecutive seeds try each kind. No pct d = 1: with no
 * change point it only reorders threads at their waits, and on the catalog (docs/matrix.md) it
 * found nothing pct d = 2 or 3 did not find as fast while missing five bugs they catch. Its slot
 * goes to a second pos, the member that caught every catalog bug in every trial: priorities are
 * re-drawn only at racing events, so a thread that lost the draw stays preempted for a
 * heavy-tailed while, long enough for another to run a whole operation (a move, a zap) inside a
 * short window of the first one's. */
export const PORTFOLIO: readonly Member[] = [
  { name: 'random', switchProbability: 0.01 },
  { name: 'pos' },
  { name: 'pct', depth: 2 },
  { name: 'random', switchProbability: 0.05 },
  { name: 'surw' },
  { name: 'pos' },
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
