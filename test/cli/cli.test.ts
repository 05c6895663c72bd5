import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { cli, oneLineError, run, scratch } from './run.js';

const dir = scratch();
const malformed = join(dir, 'bad.json');
writeFileSync(malformed, '{"faultline": "schedule", "version": 1, "config": {}, "seed": "x"}');
const notJson = join(dir, 'garbage.json');
writeFileSync(notJson, 'not json at all');

// each bad input is one line naming the flag (or the schedule file's path), exit 2
const BAD: [string, string[], RegExp?][] = [
  ['unknown flag', ['stress', '--frobnicate']],
  ['non-numeric cpus', ['stress', '--cpus', 'four'], /--cpus/],
  ['cpus out of range', ['stress', '--cpus', '40', '--seconds', '1'], /--cpus.*\[1, 16\]/],
  ['unknown bug', ['stress', '--bug', 'nope'], /--bug/],
  ['bad prefault', ['stress', '--prefault', '8'], /--prefault/],
  ['a probability above 1', ['stress', '--p-munmap', '2'], /--p-munmap.*\[0, 1\]/],
  ['probabilities adding up past 1', ['stress', '--p-munmap', '0.6', '--p-switch', '0.6'], /workload probabilities/],
  ['negative seed (no silent wrap)', ['stress', '--seed', '-1'], /--seed/],
  ['seed past 32 bits (no silent wrap)', ['stress', '--seed', '4294967296'], /--seed/],
  ['a watchdog too short to mean anything', ['stress', '--watchdog', '0.001'], /--watchdog/],
  ['--seconds with --ops', ['stress', '--seconds', '1', '--ops', '100'], /--seconds.*--ops|--ops.*--seconds/],
  ['zero seconds', ['stress', '--seconds', '0'], /--seconds/],
  ['a warm-up with --ops', ['stress', '--warmup', '1', '--ops', '100'], /--warmup.*--ops|--ops.*--warmup/],
  ['a negative warm-up', ['stress', '--warmup', '-1'], /--warmup/],
  ['unknown strategy', ['explore', '--strategy', 'dfs'], /--strategy/],
  ['empty seed range', ['explore', '--seeds', '10..5'], /--seeds/],
  ['garbage seed range', ['explore', '--seeds', 'abc'], /--seeds/],
  ['seed range past 32 bits', ['explore', '--seeds', '1..4294967296'], /--seeds/],
  ['explore takes --seeds, not --seed', ['explore', '--seed', '5'], /--seed/],
  ['--noise is free-running only', ['explore', '--noise', '0.1'], /--noise/],
  ['--bound with pct', ['explore', '--strategy', 'pct', '--bound', '3'], /--bound applies to --strategy bounded/],
  ['--depth with random', ['explore', '--strategy', 'random', '--depth', '2'], /--depth applies to --strategy pct/],
  ['--switch-prob with pct', ['explore', '--switch-prob', '0.5'], /--switch-prob/],
  ['--max-schedules without --exhaustive', ['explore', '--max-schedules', '5'], /--max-schedules/],
  ['exhaustive without bounded', ['explore', '--exhaustive', '--strategy', 'pct'], /--exhaustive/],
  ['--max-steps beyond its range', ['explore', '--max-steps', '1000000000000000'], /--max-steps/],
  ['--jobs negative', ['explore', '--jobs', '-1'], /--jobs/],
  ['matrix --jobs enormous', ['matrix', '--jobs', '99999999999'], /--jobs/],
  ['matrix --jobs negative', ['matrix', '--jobs', '-1'], /--jobs/],
  ['matrix --trials zero', ['matrix', '--trials', '0'], /--trials/],
  ['malformed schedule file', ['replay', '--schedule', malformed]],
  ['schedule file that is not JSON', ['replay', '--schedule', notJson]],
  ['missing schedule file', ['replay', '--schedule', join(dir, 'missing.json')]],
  ['replay without seed or schedule', ['replay'], /--seed/],
  ['lockstat of a file without lock statistics', ['lockstat', notJson]],
  ['unknown command', ['frobnicate']],
];

for (const [what, args, mention] of BAD) {
  test(`bad input: ${what} → exit 2, one line`, (t) => oneLineError(t, run(dir, args), mention));
}

test('--help exits 0, lists the commands and the exit codes; a command groups its flags', (t) => {
  const r = run(dir, ['--help']);
  t.is(r.status, 0);
  for (const c of ['stress', 'explore', 'replay', 'matrix', 'Exit codes', '130']) t.true(r.stdout.includes(c), c);
  const e = run(dir, ['explore', '--help']);
  t.is(e.status, 0);
  for (const g of ['Machine:', 'Workload:', 'Run:', 'Strategy:', 'Output:', 'Profiling:', 'Exit codes']) t.true(e.stdout.includes(g), g);
});

test('--version prints the version and the commit', (t) => {
  const r = run(dir, ['--version']);
  t.is(r.status, 0);
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  t.regex(r.stdout, new RegExp(`^faultline ${pkg.version.replace(/\./g, '\\.')} \\(commit ([0-9a-f]{12}(-dirty)?|unknown)\\)`));
});

test('the faultline bin runs by itself, as npx runs it (executable, with a node shebang)', (t) => {
  const r = spawnSync(cli, ['bugs', '--json'], { encoding: 'utf8', cwd: dir, timeout: 60_000 });
  t.is(r.status, 0, `${r.error?.message ?? ''} ${r.stderr}`);
  t.true((JSON.parse(r.stdout) as { bugs: unknown[] }).bugs.length > 0);
});
