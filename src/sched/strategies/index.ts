// Strategy selection: the spec travels with a run (and in schedule files); every thread builds
// its own view of the same shared strategy state from it.
import { BoundedStrategy, BOUNDED_MAX } from './bounded.js';
import type { ChoiceTape } from './choice_tape.js';
import { PctStrategy, PCT_MAX_DEPTH } from './pct.js';
import { PosStrategy } from './pos.js';
import { memberOf } from './portfolio.js';
import { RandomStrategy } from './random.js';
import { ReplayStrategy, type ScheduleDecision } from './replay.js';
import { SurwStrategy } from './surw.js';
import type { Strategy } from './strategy.js';

export const STRATEGY_NAMES = ['portfolio', 'random', 'pct', 'pos', 'surw', 'bounded'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

export interface StrategySpec {
  name: StrategyName;
  /** pct: bug depth d (d − 1 change points) */
  depth: number;
  /** random: probability of a switch at each point */
  switchProbability: number;
  /** bounded: preemption bound */
  bound: number;
  /** pct and seeded bounded: preemptible points per run over which change points are spread;
   * 'auto': estimated by calibration runs before the first schedule (harness/calibrate.ts) */
  steps: number | 'auto';
  /** surw: interesting events of each thread in a run; absent: estimated by calibration runs */
  events?: number[];
  /** bounded: enumerate every schedule up to the bound instead of sampling */
  exhaustive: boolean;
  /** replaying a schedule file: follow these decisions instead of the strategy */
  decisions?: ScheduleDecision[];
}

export const DEFAULT_STRATEGY: StrategySpec = { name: 'portfolio', depth: 3, switchProbability: 0.05, bound: 2, steps: 'auto', exhaustive: false };

export function checkStrategy(spec: StrategySpec): string | null {
  if (!(STRATEGY_NAMES as readonly string[]).includes(spec.name)) return `unknown strategy '${spec.name}' (known: ${STRATEGY_NAMES.join(', ')})`;
  if (!Number.isInteger(spec.depth) || spec.depth < 1 || spec.depth > PCT_MAX_DEPTH) return `depth must be an integer in [1, ${PCT_MAX_DEPTH}]`;
  if (!Number.isInteger(spec.bound) || spec.bound < 0 || spec.bound > BOUNDED_MAX) return `bound must be an integer in [0, ${BOUNDED_MAX}]`;
  if (!(spec.switchProbability > 0 && spec.switchProbability <= 1)) return 'switch probability must be in (0, 1]';
  if (spec.steps !== 'auto' && (!Number.isInteger(spec.steps) || spec.steps < 1)) return "steps must be a positive integer or 'auto'";
  if (spec.events !== undefined && !(Array.isArray(spec.events) && spec.events.length <= 31 && spec.events.every((e) => Number.isInteger(e) && e >= 1))) return 'events must be a list of positive integers, one per thread';
  if (spec.exhaustive && spec.name !== 'bounded') return '--exhaustive needs --strategy bounded';
  return null;
}

/** The strategy of the run of `seed` (a portfolio's member). Its spec must be calibrated: steps a
 * number where it uses them, events given for surw. */
export function makeStrategy(spec: StrategySpec, s: Int32Array, base: number, tape: ChoiceTape | null, seed: number): Strategy {
  if (spec.decisions !== undefined) return new ReplayStrategy(s, base, spec.decisions);
  const m = memberOf(spec, seed);
  const steps = (): number => {
    if (m.steps === 'auto') throw new Error(`${m.name}: steps 'auto' must be calibrated before the run (harness/calibrate.ts)`);
    return m.steps;
  };
  switch (m.name) {
    case 'random':
      return new RandomStrategy(s, base, m.switchProbability);
    case 'pct':
      return new PctStrategy(s, base, m.depth, steps());
    case 'pos':
      return new PosStrategy(s, base);
    case 'surw':
      if (m.events === undefined) throw new Error('surw: events must be calibrated before the run (harness/calibrate.ts)');
      return new SurwStrategy(s, base, m.events);
    case 'bounded':
      return new BoundedStrategy(s, base, m.bound, m.exhaustive ? 1 : steps(), m.exhaustive ? tape : null);
    case 'portfolio':
      throw new Error('unreachable: memberOf picks a member');
  }
}
