// explore --coverage (pairs of conflicting accesses seen in both orders, over schedules) and the
// cover strategy that steers by it.
import test from 'ava';
import { oneLineError, printedCommands, readOutput, run, scratch } from './run.js';

interface Coverage { pairs: number; bothOrders: number; fraction: number; lost: number; curve: { schedules: number; pairs: number; bothOrders: number }[] }
interface Json { schedules: number; coverage?: Coverage; failures: { seed: number; oracle: string; traceHash: string; replay: string }[] }

function explore(dir: string, out: string, args: string[]): Json {
  const r = run(dir, ['explore', ...args, '--quiet', '--no-shrink', '--json', out]);
  if (r.status !== 0 && r.status !== 1) throw new Error(r.stdout + r.stderr);
  return readOutput<Json>(dir, out, 'explore');
}

test('explore --coverage: counts that only grow over schedules, end at the totals, and do not depend on how many groups ran them', (t) => {
  const dir = scratch();
  const one = explore(dir, 'one.json', ['--seeds', '1..200', '--strategy', 'random', '--coverage', '--jobs', '1']);
  const c = one.coverage!;
  t.true(c.pairs > 50, JSON.stringify(c));
  t.true(c.bothOrders > 0 && c.bothOrders <= c.pairs);
  t.is(c.lost, 0);
  t.is(c.fraction, c.bothOrders / c.pairs);
  const last = c.curve[c.curve.length - 1]!;
  t.deepEqual(last, { schedules: 200, pairs: c.pairs, bothOrders: c.bothOrders });
  for (let i = 1; i < c.curve.length; i++) {
    t.true(c.curve[i]!.pairs >= c.curve[i - 1]!.pairs && c.curve[i]!.bothOrders >= c.curve[i - 1]!.bothOrders);
  }
  // each group keeps the first schedule that saw a pair: merged, two groups count what one did
  const two = explore(dir, 'two.json', ['--seeds', '1..200', '--strategy', 'random', '--coverage', '--jobs', '2']);
  t.deepEqual(two.coverage, c);
  t.is(explore(dir, 'none.json', ['--seeds', '1..20', '--strategy', 'random']).coverage, undefined);
});

test('cover: the same seeds give the same runs (its steering depends on the schedules before, run in order on one group), and its failure replays from the file it printed', (t) => {
  const dir = scratch();
  const a = explore(dir, 'a.json', ['--seeds', '1..300', '--strategy', 'cover', '--coverage', '--bug', 'fault-without-reserve']);
  const b = explore(dir, 'b.json', ['--seeds', '1..300', '--strategy', 'cover', '--coverage', '--bug', 'fault-without-reserve', '--jobs', '2']);
  t.deepEqual(b.coverage, a.coverage);
  t.deepEqual(b.failures.map((f) => [f.seed, f.oracle, f.traceHash]), a.failures.map((f) => [f.seed, f.oracle, f.traceHash]));
  t.true(a.failures.length > 0, 'cover finds fault-without-reserve within 300 schedules');
  const replay = printedCommands(a.failures[0]!.replay)[0]!;
  t.is(replay[1], '--schedule');
  const r = run(dir, replay);
  t.is(r.status, 1, r.stdout);
  t.regex(r.stdout, /^reproduced: /m);
});

test('cover: a seed alone is not a run of it (replay --seed is refused), nor is --coverage a flag of replay', (t) => {
  const dir = scratch();
  oneLineError(t, run(dir, ['replay', '--seed', '3', '--strategy', 'cover']), /--schedule FILE/);
  oneLineError(t, run(dir, ['replay', '--seed', '3', '--coverage']));
});
