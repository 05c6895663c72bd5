// Strategy selection: the spec travels with a run (and in schedule files); every thread builds
// its own view of the same shared strategy state from it.
import { BoundedStrategy, BOUNDED_MAX, type ChoiceTape } from './bounded.js';
import { PctStrategy, PCT_MAX_DEPTH } from './pct.js';
import { RandomStrategy } from './random.js';
import { ReplayStrategy, type ScheduleDecision } from './replay.js';
import type { Strategy } from './strategy.js';

export const STRATEGY_NAMES = ['random', 'pct', 'bounded'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

export interface StrategySpec {
  name: StrategyName;
  /** pct: bug depth d (d − 1 change points) */
  depth: number;
  /** random: probability of a switch at each point */
  switchProbability: number;
  /** bounded: preemption bound */
  bound: number;
  /** pct and seeded bounded: expected points per run over which change points are spread */
  steps: number;
  /** bounded: enumerate every schedule up to the bound instead of sampling */
  exhaustive: boolean;
  /** replaying a schedule file: follow these decisions instead of the strategy */
  decisions?: ScheduleDecision[];
}

export const DEFAULT_STRATEGY: StrategySpec = { name: 'pct', depth: 3, switchProbability: 0.05, bound: 2, steps: 500, exhaustive: false };

export function checkStrategy(spec: StrategySpec): string | null {
  if (!(STRATEGY_NAMES as readonly string[]).includes(spec.name)) return `unknown strategy '${spec.name}' (known: ${STRATEGY_NAMES.join(', ')})`;
  if (!Number.isInteger(spec.depth) || spec.depth < 1 || spec.depth > PCT_MAX_DEPTH) return `depth must be an integer in [1, ${PCT_MAX_DEPTH}]`;
  if (!Number.isInteger(spec.bound) || spec.bound < 0 || spec.bound > BOUNDED_MAX) return `bound must be an integer in [0, ${BOUNDED_MAX}]`;
  if (!(spec.switchProbability > 0 && spec.switchProbability <= 1)) return 'switch probability must be in (0, 1]';
  if (!Number.isInteger(spec.steps) || spec.steps < 1) return 'steps must be a positive integer';
  if (spec.exhaustive && spec.name !== 'bounded') return '--exhaustive needs --strategy bounded';
  return null;
}

export function makeStrategy(spec: StrategySpec, s: Int32Array, base: number, tape: ChoiceTape | null): Strategy {
  if (spec.decisions !== undefined) return new ReplayStrategy(s, base, spec.decisions);
  switch (spec.name) {
    case 'random':
      return new RandomStrategy(s, base, spec.switchProbability);
    case 'pct':
      return new PctStrategy(s, base, spec.depth, spec.steps);
    case 'bounded':
      return new BoundedStrategy(s, base, spec.bound, spec.steps, spec.exhaustive ? tape : null);
  }
}
