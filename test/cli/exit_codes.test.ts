// One exit-code contract for every command: 0 clean, 1 violation, 2 bad input, 3 faultline failed,
// 4 replay not reproduced (replay.test.ts), 130/143 interrupted (signals.test.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { run, scratch } from './run.js';

const dir = scratch();
const CRASH = { FAULTLINE_CRASH: 'cpu1' };

test('stress: 0 clean, 1 violation, 3 crashed worker (one line, the stack only with --debug)', (t) => {
  const clean = run(dir, ['stress', '--seconds', '0.5', '--quiet']);
  t.is(clean.status, 0, clean.stdout + clean.stderr);
  t.regex(clean.stdout, /violations\s+0/);
  const bug = run(dir, ['stress', '--seconds', '10', '--bug', 'remap-bug-on-set', '--quiet']);
  t.is(bug.status, 1, bug.stdout + bug.stderr);
  const crash = run(dir, ['stress', '--seconds', '0.5', '--quiet'], CRASH);
  t.is(crash.status, 3, crash.stdout + crash.stderr);
  t.regex(crash.stdout, /faultline failed: worker cpu1 crashed .*injected crash in cpu1/);
  t.notRegex(crash.stdout, /\n\s+at /);
  const debug = run(dir, ['--debug', 'stress', '--seconds', '0.5', '--quiet'], CRASH);
  t.is(debug.status, 3);
  t.regex(debug.stdout, /\n\s+at /, 'the stack with --debug');
});

test('explore: 0 clean, 1 violation, 3 crashed worker', (t) => {
  t.is(run(dir, ['explore', '--seeds', '1..20', '--quiet']).status, 0);
  t.is(run(dir, ['explore', '--seeds', '1..50', '--bug', 'no-tlb-flush', '--stop-on-first', '--quiet']).status, 1);
  const crash = run(dir, ['explore', '--seeds', '1..20', '--quiet'], CRASH);
  t.is(crash.status, 3, crash.stdout + crash.stderr);
  t.regex(crash.stdout, /faultline failed: .*injected crash/);
});

test('replay: 0 clean seed, 1 violating seed, 3 crashed worker', (t) => {
  t.is(run(dir, ['replay', '--seed', '1']).status, 0);
  const bug = run(dir, ['replay', '--seed', '2', '--bug', 'no-tlb-flush']);
  t.is(bug.status, 1, bug.stdout);
  t.is(run(dir, ['replay', '--seed', '1'], CRASH).status, 3);
});

test('matrix: 0 when every chosen bug is detected, 1 when one goes undetected; --junit has a case per bug', (t) => {
  const ok = run(dir, ['matrix', '--bug', 'remap-bug-on-set', '--trials', '1', '--schedules', '50', '--seconds', '0.5', '--out', 'm0', '--junit', 'm0.xml']);
  t.is(ok.status, 0, ok.stdout + ok.stderr);
  t.regex(readFileSync(join(dir, 'm0.xml'), 'utf8'), /<testcase classname="catalog" name="remap-bug-on-set"\/>/);
  // one schedule and a tenth of a second cannot reach R7's window
  const missed = run(dir, ['matrix', '--bug', 'mremap-flush-after-unlock', '--trials', '1', '--schedules', '1', '--seconds', '0.1', '--out', 'm1', '--junit', 'm1.xml']);
  t.is(missed.status, 1, missed.stdout + missed.stderr);
  t.regex(missed.stdout, /FAILED mremap-flush-after-unlock: not detected by any mode/);
  t.regex(readFileSync(join(dir, 'm1.xml'), 'utf8'), /<failure message="mremap-flush-after-unlock: not detected by any mode"/);
  const json = JSON.parse(readFileSync(join(dir, 'm1', 'matrix.json'), 'utf8')) as { failed: string[]; rows: unknown[] };
  t.is(json.rows.length, 2);
  t.deepEqual(json.failed, ['mremap-flush-after-unlock: not detected by any mode']);
});

test('bugs and lockstat: 0 on success', (t) => {
  t.is(run(dir, ['bugs']).status, 0);
  const json = join(dir, 'ls.json');
  t.is(run(dir, ['stress', '--seconds', '0.3', '--quiet', '--lockstat', '--json', json]).status, 0);
  const r = run(dir, ['lockstat', json, '--by', 'class']);
  t.is(r.status, 0, r.stderr);
  writeFileSync(join(dir, 'nolock.json'), '{}');
  t.is(run(dir, ['lockstat', join(dir, 'nolock.json')]).status, 2);
});
