// `faultline bisect FILE`: the point of no return of a failing schedule, measured: after it every
// random continuation fails, before it some escape.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { oneLineError, readOutput, run, scratch } from './run.js';

const lostUpdate = fileURLToPath(new URL('../../examples/lost_update.js', import.meta.url));

interface Row { step: number; thread: number; label: string; stopped: boolean }
interface BisectJson {
  prefix: number | null; step: number | null; switches: number; rates: { prefix: number; failed: number; of: number }[];
  decision: { thread: number; to: number; label: string } | null; rows: Row[]; anchored: Row[];
}

/** The schedule file explore wrote for the first failure of `args`. */
function failing(dir: string, args: string[]): string {
  const r = run(dir, ['explore', ...args, '--stop-on-first', '--quiet', '--no-shrink', '--json', 'found.json']);
  if (r.status !== 1) throw new Error(r.stdout + r.stderr);
  return (JSON.parse(readFileSync(join(dir, 'found.json'), 'utf8')) as { failures: { scheduleFile: string }[] }).failures[0]!.scheduleFile;
}

function bisect(dir: string, file: string, out: string, extra: string[] = []): BisectJson {
  const r = run(dir, ['bisect', file, '--json', out, ...extra]);
  if (r.status !== 1) throw new Error(r.stdout + r.stderr);
  return readOutput<BisectJson>(dir, out, 'bisect');
}

test('a lost update: the point of no return is the switch that lets the other deposit read the balance while the first one\'s store waits', (t) => {
  const dir = scratch();
  const file = failing(dir, ['--test', lostUpdate, '--seeds', '1..50']);
  const b = bisect(dir, file, 'b.json');
  t.not(b.prefix, null);
  // measured on both sides: every continuation fails after it, some escape one switch before
  t.deepEqual(b.rates.map((r) => r.prefix), [b.prefix! - 1, b.prefix!]);
  t.is(b.rates[1]!.failed, b.rates[1]!.of);
  t.true(b.rates[0]!.failed < b.rates[0]!.of);
  // up to that switch no store has run: the one store reached is where the switch stopped its
  // thread, and the thread switched to has not read the balance yet (its load, if reached, waits
  // for it too): it reads the old balance next, whatever follows
  const upTo = b.rows.filter((r) => r.step <= b.step!);
  const stores = upTo.filter((r) => r.label.endsWith(':store:balance'));
  t.is(stores.length, 1, JSON.stringify(upTo));
  t.is(stores[0]!.step, b.step!);
  t.true(stores[0]!.stopped);
  const other = b.decision!.to;
  t.not(other, stores[0]!.thread);
  t.true(upTo.filter((r) => r.thread === other && r.label.endsWith(':load:balance')).every((r) => r.stopped), JSON.stringify(upTo));
});

test('no-tlb-flush: a point of no return inside the schedule, with the steps before it that touched the PTE and frame; bisecting twice gives the same answer', (t) => {
  const dir = scratch();
  const file = failing(dir, ['--bug', 'no-tlb-flush', '--seeds', '1..50']);
  const a = bisect(dir, file, 'a.json');
  t.not(a.prefix, null);
  t.true(a.prefix! > 0 && a.prefix! <= a.switches);
  t.is(a.rates[a.rates.length - 1]!.failed, a.rates[a.rates.length - 1]!.of);
  t.true(a.rows.length > 0 && a.rows[a.rows.length - 1]!.step === a.step);
  t.true(a.anchored.every((r) => r.step <= a.step!));
  const again = bisect(dir, file, 'b.json');
  t.deepEqual({ ...again, $schema: undefined }, { ...a, $schema: undefined });
});

test('bisect: a clean file, a missing file, a bad flag and a file that no longer reproduces are refused', (t) => {
  const dir = scratch();
  const file = failing(dir, ['--test', lostUpdate, '--seeds', '1..50']);
  const f = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
  // beside the original: the test module is named relative to the file
  const edited = (name: string, over: Record<string, unknown>): string => {
    const path = join(dirname(file), name);
    writeFileSync(join(dir, path), JSON.stringify({ ...f, ...over }));
    return path;
  };
  oneLineError(t, run(dir, ['bisect', edited('clean.schedule.json', { violation: null })]), /nothing to bisect/);
  oneLineError(t, run(dir, ['bisect', 'nope.schedule.json']));
  oneLineError(t, run(dir, ['bisect', file, '--continuations', '0']), /--continuations/);
  oneLineError(t, run(dir, ['bisect', file, '--switch-probability', '0']), /--switch-probability/);
  const r = run(dir, ['bisect', edited('tampered.schedule.json', { traceHash: '0123456789abcdef' })]);
  t.is(r.status, 4, r.stdout + r.stderr);
  t.regex(r.stdout, /did not reproduce exactly/);
});
