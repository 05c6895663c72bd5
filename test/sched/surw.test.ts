import test from 'ava';
import { SurwStrategy } from '../../src/sched/strategies/surw.js';
import { RandomStrategy } from '../../src/sched/strategies/random.js';
import type { Strategy } from '../../src/sched/strategies/strategy.js';
import { runToy, toyState, type ToyEvent } from './toy.js';

// two threads, each 3 shared writes with private reads between them (not interesting)
const thread = (tid: number): ToyEvent[] => [0, 1, 2].flatMap((i) => [{ word: 10 * tid + i, write: true }, { word: 100 + tid, write: false }]);
const PROGRAM = [thread(0), thread(1)];

/** How often each order of the six writes came up (20 orders: C(6, 3)). */
function orders(make: (s: Int32Array) => Strategy, runs: number): Map<string, number> {
  const s = toyState();
  const out = new Map<string, number>();
  for (let seed = 1; seed <= runs; seed++) {
    const order = runToy(PROGRAM, make(s), seed).filter(([tid, i]) => PROGRAM[tid]![i]!.write).map(([tid]) => tid).join('');
    out.set(order, (out.get(order) ?? 0) + 1);
  }
  return out;
}

test('surw samples the orders of the interesting events uniformly', (t) => {
  const runs = 20_000;
  const seen = orders((s) => new SurwStrategy(s, 0, [3, 3]), runs);
  t.is(seen.size, 20);
  const counts = [...seen.values()];
  t.log(`per order: min ${Math.min(...counts)}, max ${Math.max(...counts)}, expected ${runs / 20}`);
  // ±20% of 1,000 is more than six standard deviations
  for (const [order, n] of seen) t.true(n > 800 && n < 1200, `${order}: ${n}`);
});

test('a plain random walk is far from uniform on the same program (what surw corrects)', (t) => {
  const counts = [...orders((s) => new RandomStrategy(s, 0, 0.5), 20_000).values()];
  t.true(Math.max(...counts) > 2 * Math.min(...counts, 1000));
});
