import test from 'ava';
import { PctStrategy, pctCounts } from '../../src/sched/strategies/pct.js';
import { positions, privateProgram, runToy, toyState, type ToyEvent } from './toy.js';

const N = 3;
const M = 8;

/** k as calibration measures it: the most preemptible points in pct d = 1 runs */
function calibrateK(program: ToyEvent[][], runs = 200): number {
  const s = toyState();
  let k = 1;
  for (let seed = 1; seed <= runs; seed++) {
    runToy(program, new PctStrategy(s, 0, 1, 1), seed);
    k = Math.max(k, pctCounts(s, 0).multi);
  }
  return k;
}

/** Bugs of depth 1..3 between thread A (0) and thread B (1): B's first event before A's first;
 * B's first between A's check (event 3) and act (event 4); and then A's act before B's second. */
const BUGS: { depth: number; hit: (at: number[][]) => boolean; seeds: number }[] = [
  { depth: 1, hit: (at) => at[1]![0]! < at[0]![0]!, seeds: 2000 },
  { depth: 2, hit: (at) => at[0]![3]! < at[1]![0]! && at[1]![0]! < at[0]![4]!, seeds: 10_000 },
  { depth: 3, hit: (at) => at[0]![3]! < at[1]![0]! && at[1]![0]! < at[0]![4]! && at[0]![4]! < at[1]![1]!, seeds: 40_000 },
];

for (const bug of BUGS) {
  test(`pct d=${bug.depth} finds a depth-${bug.depth} bug at least at the paper's rate 1/(n·k^(d−1))`, (t) => {
    const program = privateProgram(N, M);
    const k = calibrateK(program);
    const s = toyState();
    let hits = 0;
    for (let seed = 1; seed <= bug.seeds; seed++) {
      if (bug.hit(positions(runToy(program, new PctStrategy(s, 0, bug.depth, k), seed), N))) hits++;
    }
    const bound = 1 / (N * k ** (bug.depth - 1));
    t.log(`k = ${k}: ${hits} of ${bug.seeds} runs (${(hits / bug.seeds).toExponential(2)}), bound ${bound.toExponential(2)}`);
    t.true(hits / bug.seeds >= bound);
  });
}

test('every pct change point preempts, also once other threads have waited', (t) => {
  // B and C wait first (keeping their priorities while they are not runnable), then all run side by side
  const program = privateProgram(N, M).map((events, tid) => (tid === 0 ? events : [{ word: 1, write: false, wait: true }, ...events]));
  const k = calibrateK(program);
  const s = toyState();
  let applied = 0;
  let preempting = 0;
  for (let seed = 1; seed <= 2000; seed++) {
    let seen = 0;
    runToy(program, new PctStrategy(s, 0, 3, k), seed, (cur, next) => {
      const changes = pctCounts(s, 0).changes;
      if (changes === seen) return;
      seen = changes;
      applied++;
      if (next !== cur) preempting++;
    });
  }
  t.log(`k = ${k}: ${applied} change points applied over 2000 runs`);
  t.true(applied > 2000, 'most runs reach both change points');
  t.is(preempting, applied);
});
