// The strategy spec (src/sched/strategies/spec.ts): flat options become the variant of the named
// strategy with only its own parameters; out-of-range values and stray options are refused.
import test from 'ava';
import { isExhaustive, searchOf, StrategyError, strategyOf, strayOption, STRATEGY_NAMES, STRATEGY_PARAMS } from '../../src/sched/strategies/spec.js';
import { memberOf, PORTFOLIO } from '../../src/sched/strategies/portfolio.js';

test('each strategy keeps only the options it reads, over the defaults', (t) => {
  t.deepEqual(strategyOf({}), { name: 'portfolio', steps: 'auto' });
  t.deepEqual(strategyOf({ name: 'random', depth: 2 }), { name: 'random', switchProbability: 0.05 });
  t.deepEqual(strategyOf({ name: 'pct', depth: 2, switchProbability: 0.5 }), { name: 'pct', depth: 2, steps: 'auto' });
  t.deepEqual(strategyOf({ name: 'bounded', bound: 0, exhaustive: true }), { name: 'bounded', bound: 0, steps: 'auto', exhaustive: true });
  t.deepEqual(strategyOf({ name: 'pos' }), { name: 'pos' });
  for (const name of STRATEGY_NAMES) t.deepEqual(Object.keys(strategyOf({ name })).filter((k) => k !== 'name').sort(), [...STRATEGY_PARAMS[name]].sort(), name);
});

test('out-of-range options and unknown strategies are a StrategyError naming the option', (t) => {
  t.throws(() => strategyOf({ name: 'pct', depth: 0 }), { instanceOf: StrategyError, message: 'depth must be at least 1' });
  t.throws(() => strategyOf({ name: 'random', switchProbability: 0 }), { instanceOf: StrategyError, message: 'switchProbability must be more than 0' });
  t.throws(() => strategyOf({ name: 'bounded', steps: 1.5 }), { instanceOf: StrategyError, message: /^steps / });
  t.throws(() => strategyOf({ name: 'random', exhaustive: true }), { instanceOf: StrategyError, message: 'exhaustive needs the bounded strategy' });
  t.throws(() => strategyOf({ name: 'dfs' as never }), { instanceOf: StrategyError, message: /^unknown strategy 'dfs' \(known: portfolio, random/ });
});

test('strayOption names an option given for a strategy that does not read it, and who reads it', (t) => {
  t.is(strayOption({ name: 'random', switchProbability: 0.1 }), null);
  t.is(strayOption({ name: 'random', depth: 2 }), 'depth applies to pct, not random');
  t.is(strayOption({ steps: 10 }), null);
  t.is(strayOption({ bound: 1 }), 'bound applies to bounded, not portfolio');
  t.is(strayOption({ name: 'pos', steps: 5 }), 'steps applies to portfolio or pct or bounded, not pos');
});

test('a replay is its own variant: never exhaustive, its search is the recorded one', (t) => {
  const recorded = strategyOf({ name: 'bounded', exhaustive: true });
  const replay = { name: 'replay' as const, decisions: [], recorded };
  t.true(isExhaustive(recorded));
  t.false(isExhaustive(replay));
  t.is(searchOf(replay), recorded);
  t.is(memberOf(replay, 3), recorded);
});

test("a portfolio's members get the portfolio's calibrated steps and events", (t) => {
  const p = { name: 'portfolio' as const, steps: 700, events: [3, 4] };
  const members = PORTFOLIO.map((_, seed) => memberOf(p, seed));
  for (const m of members) {
    if (m.name === 'pct') t.is(m.steps, 700);
    if (m.name === 'surw') t.deepEqual(m.events, [3, 4]);
  }
  t.deepEqual(memberOf({ name: 'portfolio', steps: 'auto' }, PORTFOLIO.findIndex((m) => m.name === 'surw')), { name: 'surw' });
});
