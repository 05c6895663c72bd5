import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { BUG_CATALOG } from '../../src/bugs/catalog.js';
import { oneLineError, printedCommands, run, scratch } from './run.js';

/** A failing schedule file written by explore (random switches often: many to shrink), a stale-tlb
 * one: without munmap, whose own return check (tlb-after-return) catches the missing flush alone. */
function failingFile(dir: string): string {
  const r = run(dir, ['explore', '--strategy', 'random', '--bug', 'no-tlb-flush', '--p-munmap', '0', '--seeds', '1..20', '--stop-on-first', '--quiet', '--no-shrink']);
  if (r.status !== 1) throw new Error(r.stdout + r.stderr);
  const name = readdirSync(join(dir, 'faultline-schedules')).find((f) => f.endsWith('.schedule.json'))!;
  return join('faultline-schedules', name);
}

const switches = (dir: string, file: string): number => (JSON.parse(readFileSync(join(dir, file), 'utf8')) as { decisions: unknown[] }).decisions.length;

test('shrink keeps the violation with fewer switches and at most depth − 1 preemptions, and its printed replay reproduces it', (t) => {
  const dir = scratch();
  const file = failingFile(dir);
  const r = run(dir, ['shrink', file]);
  t.is(r.status, 1, r.stdout + r.stderr);
  const p = /preemptions (\d+) → (\d+)/.exec(r.stdout);
  t.truthy(p, r.stdout);
  // the catalog's depth: the cross-thread orderings the race needs, so depth − 1 preemptions
  t.true(Number(p![2]) <= BUG_CATALOG.find((b) => b.name === 'no-tlb-flush')!.depth - 1, r.stdout);
  const m = /switches (\d+) → (\d+)/.exec(r.stdout);
  t.truthy(m, r.stdout);
  t.true(Number(m![2]) < Number(m![1]), r.stdout);
  const shrunk = file.replace(/\.schedule\.json$/, '.shrunk.schedule.json');
  t.is(switches(dir, shrunk), Number(m![2]));
  const cmds = printedCommands(r.stdout);
  t.deepEqual(cmds, [['replay', '--schedule', shrunk]]);
  const again = run(dir, cmds[0]!);
  t.is(again.status, 1, again.stdout);
  t.regex(again.stdout, /reproduced: stale-tlb/);
});

test('the machine shrinks with the schedule: a smaller workload that still fails, written into the shrunk file', (t) => {
  const dir = scratch();
  const file = failingFile(dir);
  const before = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { config: Record<string, unknown>; moves: number };
  const r = run(dir, ['shrink', file, '--out', 'small.schedule.json']);
  t.is(r.status, 1, r.stdout + r.stderr);
  const after = JSON.parse(readFileSync(join(dir, 'small.schedule.json'), 'utf8')) as { config: Record<string, unknown>; moves: number };
  const changed = [...r.stdout.matchAll(/, (\w+) ([^\s,]+) → ([^\s,]+)/g)].map((m) => m.slice(1)).filter(([k]) => !['switches', 'steps'].includes(k!));
  t.true(changed.length > 0, r.stdout);
  for (const [key, from, to] of changed) {
    const was = key === 'moves' ? before.moves : before.config[key!];
    const is = key === 'moves' ? after.moves : after.config[key!];
    t.is(String(was), from, key);
    t.is(String(is), to, key);
    t.true(Number(to) < Number(from), `${key} got smaller`);
  }
  const again = run(dir, ['replay', '--schedule', 'small.schedule.json']);
  t.regex(again.stdout, /reproduced: stale-tlb/);
});

test('shrinking the same file twice gives the same schedule', (t) => {
  const dir = scratch();
  const file = failingFile(dir);
  for (const out of ['a.schedule.json', 'b.schedule.json']) t.is(run(dir, ['shrink', file, '--out', out]).status, 1);
  t.is(readFileSync(join(dir, 'a.schedule.json'), 'utf8'), readFileSync(join(dir, 'b.schedule.json'), 'utf8'));
});

test('shrink: a clean run, a missing file and a file that no longer reproduces are refused', (t) => {
  const dir = scratch();
  const file = failingFile(dir);
  const f = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { violation: unknown; traceHash: string };
  writeFileSync(join(dir, 'clean.schedule.json'), JSON.stringify({ ...f, violation: null }));
  oneLineError(t, run(dir, ['shrink', 'clean.schedule.json']), /nothing to shrink/);
  oneLineError(t, run(dir, ['shrink', 'nope.schedule.json']));
  writeFileSync(join(dir, 'tampered.schedule.json'), JSON.stringify({ ...f, traceHash: '0123456789abcdef' }));
  const r = run(dir, ['shrink', 'tampered.schedule.json']);
  t.is(r.status, 4, r.stdout + r.stderr);
  t.regex(r.stdout, /did not reproduce exactly/);
});
