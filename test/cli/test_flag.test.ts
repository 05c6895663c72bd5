// `--test FILE`: explore and replay a user test from the command line; bad test files and flags
// of the built-in machine are one-line errors (exit 2).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { oneLineError, printedCommands, run, scratch } from './run.js';
import { validateChromeTrace } from '../../src/report/trace_check.js';
import { checkJsonOutput } from '../../src/cli/json_outputs.js';

const dir = scratch();
const example = fileURLToPath(new URL('../../examples/lost_update.js', import.meta.url));
const api = new URL('../../src/index.js', import.meta.url).href;

test('explore --test finds the lost update; every replay line it prints reproduces it', (t) => {
  const r = run(dir, ['explore', '--test', example, '--seeds', '1..8', '--quiet']);
  t.is(r.status, 1, r.stdout + r.stderr);
  t.regex(r.stdout, /FAIL seed \d+: test:check on check: lost update: balance is 1, not 2/);
  const cmds = printedCommands(r.stdout);
  t.true(cmds.length >= 2);
  for (const args of cmds) {
    const again = run(dir, args);
    t.is(again.status, 1, `${args.join(' ')}\n${again.stdout}${again.stderr}`);
    t.regex(again.stdout, /alice:load:balance/);
    t.regex(again.stdout, /VIOLATION test:check on check/);
  }
});

test('explore --test FILE#fixed runs a named export, and the fixed deposit is clean', (t) => {
  const r = run(dir, ['explore', '--test', `${example}#fixed`, '--seeds', '1..500', '--quiet']);
  t.is(r.status, 0, r.stdout + r.stderr);
  t.regex(r.stdout, /500 schedules \(portfolio\).*0 failing/);
});

test('a user exception in a thread is the test\'s failure (test:exception), not a crash of faultline', (t) => {
  const f = join(dir, 'throws.mjs');
  writeFileSync(f, `import { defineTest } from '${api}';\nexport default defineTest({ memory: { x: 0 }, threads: [(t) => { if (t.load('x') === 0) throw new Error('boom'); }] });\n`);
  const r = run(dir, ['explore', '--test', f, '--seeds', '1..3', '--quiet']);
  t.is(r.status, 1, r.stdout + r.stderr);
  t.regex(r.stdout, /test:exception on t0: Error: boom/);
});

const BAD: [string, string, RegExp][] = [
  ['no such file', '', /cannot load test .*missing\.mjs/],
  ['no default export', 'export const x = 1;\n', /has no default export/],
  ['an unknown lock kind', `import { defineTest } from '${api}';\nexport default defineTest({ locks: { m: 'semaphore' }, threads: [() => {}] });\n`, /locks\.m: must be one of mutex, spinlock, rwsem, condvar, barrier/],
  ['no threads', `import { defineTest } from '${api}';\nexport default defineTest({ threads: [] });\n`, /threads: between 1 and 31 threads/],
  ['an unknown key', `import { defineTest } from '${api}';\nexport default defineTest({ thread: [] });\n`, /unknown key 'thread'/],
  ['a setup that writes a word it did not declare', `import { defineTest } from '${api}';\nexport default defineTest({ memory: { x: 0 }, threads: [() => {}], setup: (m) => m.set('y', 1) });\n`, /setup threw Error: setup: no memory named 'y'/],
];

for (const [what, text, mention] of BAD) {
  test(`--test with ${what} is a one-line error`, (t) => {
    const f = join(dir, text === '' ? 'missing.mjs' : `${what.replace(/\W+/g, '_')}.mjs`);
    if (text !== '') writeFileSync(f, text);
    oneLineError(t, run(dir, ['explore', '--test', f, '--quiet']), mention);
  });
}

test('flags of the built-in machine do not go with --test', (t) => {
  oneLineError(t, run(dir, ['explore', '--test', example, '--cpus', '3']), /--cpus configures the built-in machine/);
  oneLineError(t, run(dir, ['replay', '--test', example, '--seed', '1', '--bug', 'no-tlb-flush']), /--bug configures the built-in machine/);
});

test('stress --test runs the test on real threads until a run fails; the printed explore command finds it deterministically', (t) => {
  const r = run(dir, ['stress', '--test', example, '--seconds', '30', '--noise', '0.3']);
  t.is(r.status, 1, r.stdout + r.stderr);
  t.regex(r.stdout, /VIOLATION test:check on check in run \d+ \(setup seed \d+\): lost update/);
  const cmds = printedCommands(r.stdout);
  t.is(cmds.length, 1);
  const again = run(dir, cmds[0]!);
  t.is(again.status, 1, again.stdout + again.stderr);
  t.regex(again.stdout, /FAIL seed \d+: test:check/);
});

test('stress --test: the fixed variant stays clean, and an ABBA deadlock is reported as a hang', (t) => {
  const clean = run(dir, ['stress', '--test', `${example}#fixed`, '--seconds', '1', '--noise', '0.1', '--strict-waits']);
  t.is(clean.status, 0, clean.stdout + clean.stderr);
  t.regex(clean.stdout, /\d+ runs in .* no failing run/);
  const abba = fileURLToPath(new URL('../../examples/abba_deadlock.js', import.meta.url));
  const hung = run(dir, ['stress', '--test', abba, '--seconds', '20', '--watchdog', '1']);
  t.is(hung.status, 1, hung.stdout + hung.stderr);
  t.regex(hung.stdout, /no run finished for 1 s: a deadlock or a livelock/);
  oneLineError(t, run(dir, ['stress', '--test', example, '--cpus', '2']), /--cpus configures the built-in machine/);
});

test('a test\'s locks are profiled: lockdep names the ABBA cycle by the test\'s lock names, lockstat has a row per lock, the timeline validates', (t) => {
  const abba = fileURLToPath(new URL('../../examples/abba_deadlock.js', import.meta.url));
  const fixed = run(dir, ['explore', '--test', `${abba}#fixed`, '--seeds', '1..100', '--lockstat', '--lockdep', '--quiet']);
  t.is(fixed.status, 0, fixed.stdout + fixed.stderr);
  t.regex(fixed.stdout, /^\s+a:\s+\d+/m);
  t.regex(fixed.stdout, /^\s+b:\s+\d+/m);
  const r = run(dir, ['explore', '--test', abba, '--seeds', '1..100', '--lockdep', '--quiet', '--schedule-dir', 'abba']);
  t.is(r.status, 1, r.stdout + r.stderr);
  t.regex(r.stdout, /Chain exists of:\n\s+(a --> b --> a|b --> a --> b)/);
  const schedule = /npx faultline replay (--schedule \S+)/.exec(r.stdout)![1]!.split(' ');
  const traced = run(dir, ['replay', ...schedule, '--trace', 'abba.trace.json']);
  t.is(traced.status, 1, traced.stdout + traced.stderr);
  const trace = JSON.parse(readFileSync(join(dir, 'abba.trace.json'), 'utf8')) as unknown;
  t.deepEqual(validateChromeTrace(trace), []);
  t.regex(JSON.stringify(trace), /"left"/);
});

test('stress --test is profiled on real threads: lockstat rows by lock name, the timeline validates, --json carries the table, lockstat reads it back', (t) => {
  const abba = fileURLToPath(new URL('../../examples/abba_deadlock.js', import.meta.url));
  const r = run(dir, ['stress', '--test', `${abba}#fixed`, '--seconds', '1', '--lockstat', '--lockdep', '--trace', 'st.trace.json', '--report', 'st-report', '--json', 'st.json']);
  t.is(r.status, 0, r.stdout + r.stderr);
  t.regex(r.stdout, /^\s+a:\s+\d+/m);
  t.regex(r.stdout, /^\s+b:\s+\d+/m);
  t.regex(r.stdout, /lock order: no circular locking dependency \(checked [1-9]/);
  const trace = JSON.parse(readFileSync(join(dir, 'st.trace.json'), 'utf8')) as unknown;
  t.deepEqual(validateChromeTrace(trace), []);
  t.regex(JSON.stringify(trace), /"right"/);
  t.true(readFileSync(join(dir, 'st-report', 'index.html'), 'utf8').includes('PASS'));
  const doc = JSON.parse(readFileSync(join(dir, 'st.json'), 'utf8')) as unknown;
  t.is(checkJsonOutput('stress-test', doc), null);
  const back = run(dir, ['lockstat', 'st.json']);
  t.is(back.status, 0, back.stderr);
  t.regex(back.stdout, /^\s+a:\s+\d+/m);
});

test('shrink works on a test\'s schedule file, and its printed replay reproduces', (t) => {
  const depth3 = fileURLToPath(new URL('../../examples/depth3.js', import.meta.url));
  const r = run(dir, ['explore', '--test', depth3, '--strategy', 'random', '--switch-prob', '0.5', '--seeds', '1..300', '--stop-on-first', '--quiet', '--schedule-dir', 'd3']);
  t.is(r.status, 1, r.stdout + r.stderr);
  const file = /npx faultline replay --schedule (\S+)/.exec(r.stdout)![1]!;
  const shrunk = run(dir, ['shrink', file]);
  t.is(shrunk.status, 1, shrunk.stdout + shrunk.stderr);
  t.regex(shrunk.stdout, /faultline shrink: test:order kept in \d+ replays/);
  const cmds = printedCommands(shrunk.stdout);
  t.is(cmds.length, 1);
  const again = run(dir, cmds[0]!);
  t.is(again.status, 1, again.stdout);
  t.regex(again.stdout, /reproduced: test:order/);
});
