// --scenario on the command line: a file's keys are the run's, typed flags win, @BUG runs the
// catalog's scenario, an explore --json output reruns as a scenario, bad files are one line.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { oneLineError, printedCommands, run, scratch } from './run.js';

const dir = scratch();
const example = fileURLToPath(new URL('../../../examples/scenario.yaml', import.meta.url));

interface ExploreJson { config: { cpus: number; pMunmap: number; bugs: string[] }; strategy: { name: string; switchProbability: number }; schedules: number; failures: { replay: string }[] }
const json = (f: string): ExploreJson => JSON.parse(readFileSync(join(dir, f), 'utf8')) as ExploreJson;

test('explore --scenario FILE runs what the file says, and its printed replay reproduces without the file', (t) => {
  const r = run(dir, ['explore', '--scenario', example, '--json', 'a.json', '--quiet']);
  t.is(r.status, 1, r.stdout + r.stderr);
  const j = json('a.json');
  t.is(j.config.cpus, 3);
  t.is(j.config.pMunmap, 0.1);
  t.deepEqual(j.config.bugs, ['no-tlb-flush']);
  t.is(j.strategy.name, 'random');
  t.is(j.schedules, 1, 'stopOnFirst from the budget section');
  for (const args of printedCommands(r.stdout)) t.is(run(dir, args).status, 1, args.join(' '));
});

test('a typed flag overrides the scenario\'s key', (t) => {
  const r = run(dir, ['explore', '--scenario', example, '--cpus', '2', '--switch-prob', '0.3', '--seeds', '1..3', '--json', 'b.json', '--quiet']);
  t.true(r.status === 0 || r.status === 1, r.stderr);
  const j = json('b.json');
  t.is(j.config.cpus, 2);
  t.is(j.strategy.switchProbability, 0.3);
  t.is(j.config.pMunmap, 0.1, 'the rest still from the file');
});

test('explore --scenario @BUG finds the bug with the catalog\'s own scenario', (t) => {
  const r = run(dir, ['explore', '--scenario', '@vma-writer-skips-lock', '--seeds', '1..300', '--stop-on-first', '--json', 'c.json', '--quiet']);
  t.is(r.status, 1, r.stdout + r.stderr);
  t.deepEqual(json('c.json').config.bugs, ['vma-writer-skips-lock']);
});

test('an explore --json output reruns as a scenario: the same config, the same strategy', (t) => {
  run(dir, ['explore', '--scenario', example, '--seeds', '1..2', '--json', 'd.json', '--quiet']);
  const r = run(dir, ['explore', '--scenario', join(dir, 'd.json'), '--seeds', '1..2', '--json', 'e.json', '--quiet']);
  t.true(r.status === 0 || r.status === 1, r.stderr);
  t.deepEqual(json('e.json').config, json('d.json').config);
  t.deepEqual(json('e.json').strategy, json('d.json').strategy);
});

test('stress --scenario takes the machine and workload sections; replay --seed takes a scenario too', (t) => {
  writeFileSync(join(dir, 's.yaml'), 'machine:\n  cpus: 2\nrun:\n  seconds: 0.3\n  seed: 5\n');
  const r = run(dir, ['stress', '--scenario', 's.yaml', '--json', 's.json', '--quiet']);
  t.is(r.status, 0, r.stdout + r.stderr);
  const s = JSON.parse(readFileSync(join(dir, 's.json'), 'utf8')) as { config: { cpus: number; seed: number } };
  t.is(s.config.cpus, 2);
  t.is(s.config.seed, 5);
  t.is(run(dir, ['replay', '--scenario', 's.yaml']).status, 0);
});

test('a bad scenario is one line (exit 2), and --scenario does not go with --schedule', (t) => {
  writeFileSync(join(dir, 'bad.yaml'), 'workload:\n  pMunmap: 2\n');
  oneLineError(t, run(dir, ['explore', '--scenario', 'bad.yaml']), /scenario bad\.yaml: workload\.pMunmap \(--p-munmap\): must be at most 1/);
  oneLineError(t, run(dir, ['stress', '--scenario', 'missing.yaml']), /cannot read scenario missing\.yaml/);
  oneLineError(t, run(dir, ['replay', '--schedule', 'x.schedule.json', '--scenario', example]), /--scenario cannot be combined with --schedule/);
});
