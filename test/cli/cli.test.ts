import test from 'ava';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cli = new URL('../../src/cli/main.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'faultline-cli-'));

function run(...args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: dir, timeout: 60_000 });
}

function oneLineError(t: import('ava').ExecutionContext, r: ReturnType<typeof run>): void {
  t.is(r.status, 2, r.stdout + r.stderr);
  const lines = r.stderr.trim().split('\n').filter((l) => !l.startsWith('(run with --help'));
  t.is(lines.length, 1, r.stderr);
  t.notRegex(r.stderr, /\n\s+at /, 'no stack trace');
}

const malformed = join(dir, 'bad.json');
writeFileSync(malformed, '{"faultline": "schedule", "version": 1, "config": {}, "seed": "x"}');
const notJson = join(dir, 'garbage.json');
writeFileSync(notJson, 'not json at all');

const BAD: [string, string[]][] = [
  ['unknown flag', ['stress', '--frobnicate']],
  ['non-numeric cpus', ['stress', '--cpus', 'four']],
  ['cpus out of range', ['stress', '--cpus', '40', '--seconds', '1']],
  ['unknown bug', ['stress', '--bug', 'nope']],
  ['bad prefault', ['stress', '--prefault', '8']],
  ['unknown strategy', ['explore', '--strategy', 'dfs']],
  ['empty seed range', ['explore', '--seeds', '10..5']],
  ['garbage seed range', ['explore', '--seeds', 'abc']],
  ['exhaustive without bounded', ['explore', '--exhaustive', '--strategy', 'pct']],
  ['malformed schedule file', ['replay', '--schedule', malformed]],
  ['schedule file that is not JSON', ['replay', '--schedule', notJson]],
  ['missing schedule file', ['replay', '--schedule', join(dir, 'missing.json')]],
  ['replay without seed or schedule', ['replay']],
  ['unknown command', ['frobnicate']],
];

for (const [what, args] of BAD) {
  test(`bad input: ${what} → exit 2, one line`, (t) => oneLineError(t, run(...args)));
}

test('--help exits 0 and lists the commands', (t) => {
  const r = run('--help');
  t.is(r.status, 0);
  for (const c of ['stress', 'explore', 'replay']) t.regex(r.stdout, new RegExp(c));
});

test('stress with a bug exits 1 with the seed, the rerun and the explore commands; --json has the fields', (t) => {
  const json = join(dir, 'stress.json');
  const r = run('stress', '--seconds', '10', '--bug', 'remap-bug-on-set', '--seed', '9', '--json', json, '--quiet');
  t.is(r.status, 1, r.stderr);
  t.regex(r.stdout, /VIOLATION pte-overwrite/);
  t.regex(r.stdout, /npx faultline stress --seed 9 .*--bug remap-bug-on-set/);
  t.regex(r.stdout, /npx faultline explore /);
  const out = JSON.parse(readFileSync(json, 'utf8'));
  for (const k of ['seed', 'config', 'faults', 'migrations', 'shootdowns', 'ipis', 'violations', 'seconds', 'faultsPerSec']) t.true(k in out, k);
  t.is(out.seed, 9);
  t.is(out.violations[0].oracle, 'pte-overwrite');
  t.true(['oracle', 'message', 'cpu'].every((k) => k in out.violations[0]));
});

test('explore finds a bug, writes a schedule file that replay reproduces; --json has the fields', (t) => {
  const json = join(dir, 'explore.json');
  const r = run('explore', '--seeds', '1..500', '--bug', 'remap-bug-on-set', '--stop-on-first', '--json', json, '--quiet');
  t.is(r.status, 1, r.stderr);
  const out = JSON.parse(readFileSync(json, 'utf8'));
  t.true(out.schedules >= 1 && out.schedulesPerSec > 0);
  const f = out.failures[0];
  t.is(f.oracle, 'pte-overwrite');
  const replay = run('replay', '--schedule', join(dir, f.scheduleFile));
  t.is(replay.status, 1);
  t.regex(replay.stdout, /followed all \d+ decisions/);
  t.regex(replay.stdout, /VIOLATION pte-overwrite/);
  t.regex(replay.stdout, /cpu0 .*│ cpu1 .*│ migrator0/);
});

test('the faultline bin runs by itself, as npx runs it (executable, with a node shebang)', (t) => {
  const r = spawnSync(cli, ['bugs', '--json'], { encoding: 'utf8', cwd: dir, timeout: 60_000 });
  t.is(r.status, 0, `${r.error?.message ?? ''} ${r.stderr}`);
  t.true((JSON.parse(r.stdout) as unknown[]).length > 0);
});
