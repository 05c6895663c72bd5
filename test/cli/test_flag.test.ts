// `--test FILE`: explore and replay a user test from the command line; bad test files and flags
// of the built-in machine are one-line errors (exit 2).
import test from 'ava';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { oneLineError, printedCommands, run, scratch } from './run.js';

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
