// Scenario files: sections validated by the schema made from one table, errors in the words of
// the flags, @BUG from the catalog, faultline's own outputs read back, the JSON Schema in step.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { loadScenario, scenarioJsonSchema, ScenarioError } from '../../src/scenario/scenario.js';
import { BUG_CATALOG } from '../../src/bugs/catalog.js';
import { scheduleJsonSchema } from '../../src/sched/schedule_file.js';
import { JSON_OUTPUTS, outputJsonSchema, type JsonOutput } from '../../src/cli/json_outputs.js';
import { scratch } from '../cli/run.js';

const dir = scratch();
const write = (name: string, text: string): string => {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
};

test('a YAML scenario gives each key to its option, as the flag would have', (t) => {
  const v = loadScenario(write('a.yaml', 'machine:\n  cpus: 3\n  prefault: 1\nworkload:\n  pMunmap: 0.1\nrun:\n  bugs: [no-tlb-flush]\n  test: t.mjs\nstrategy:\n  name: pct\n  switchProbability: 0.5\n  steps: auto\nbudget:\n  seeds: "5..9"\n'));
  t.deepEqual(Object.fromEntries(v), { cpus: 3, prefault: '1', pMunmap: 0.1, bug: ['no-tlb-flush'], test: join(dir, 't.mjs'), strategy: 'pct', switchProb: 0.5, pctSteps: 'auto', seeds: '5..9' });
});

const BAD: [string, string, RegExp][] = [
  ['a value out of range', '{"workload": {"pMunmap": 2}}', /workload\.pMunmap \(--p-munmap\): must be at most 1$/],
  ['a fraction where an integer goes', '{"machine": {"cpus": 1.5}}', /machine\.cpus \(--cpus\): must be an integer$/],
  ['a string where a number goes', '{"machine": {"cpus": "two"}}', /machine\.cpus \(--cpus\): must be a number$/],
  ['an unknown key', '{"machine": {"cpu": 2}}', /machine: unknown key 'cpu' \(known: cpus, /],
  ['an unknown section', '{"hardware": {}}', /the document: unknown key 'hardware' \(known: machine, workload, run, strategy, budget\)/],
  ['an unknown bug', '{"run": {"bugs": ["no-such-bug"]}}', /run\.bugs\.0 \(--bug\): must be one of no-tlb-flush, /],
  ['a probability of zero for random', '{"strategy": {"switchProbability": 0}}', /strategy\.switchProbability \(--switch-prob\): must be more than 0/],
  ['malformed JSON', '{"machine": ', /cannot read scenario .*bad-malformed-JSON\.json/],
];

for (const [what, text, message] of BAD) {
  test(`a scenario with ${what} is one line naming the path and the flag`, (t) => {
    const e = t.throws(() => loadScenario(write(`bad-${what.replace(/\W+/g, '-')}.json`, text)), { instanceOf: ScenarioError });
    t.regex(e.message, message);
    t.is(e.message.split('\n').length, 1);
  });
}

test('@BUG is the catalog\'s scenario of that bug: the switch, its companions, its config and strategy', (t) => {
  const withCompanion = BUG_CATALOG.find((b) => b.scenario?.with !== undefined)!;
  const v = loadScenario(`@${withCompanion.name}`);
  t.deepEqual(v.get('bug'), [withCompanion.name, ...withCompanion.scenario!.with!]);
  for (const [k, x] of Object.entries(withCompanion.scenario!.config ?? {})) t.is(v.get(k), k === 'prefault' ? String(x) : x);
  t.throws(() => loadScenario('@no-such-bug'), { instanceOf: ScenarioError, message: /no such bug/ });
});

test('a schedule file reads back as a scenario: its config and its strategy', (t) => {
  const f = write('x.schedule.json', JSON.stringify({ faultline: 'schedule', config: { cpus: 2, migrators: 1, pMunmap: 0.03, seconds: 10, ops: 30, seed: 7, bugs: ['no-tlb-flush'], prefault: '16', wordsPerPage: 8 }, strategy: { name: 'random', depth: 3, switchProbability: 0.2, bound: 2, steps: 812, exhaustive: false, events: [1, 2] }, decisions: [] }));
  const v = loadScenario(f);
  t.is(v.get('cpus'), 2);
  t.is(v.get('ops'), 30);
  t.false(v.has('seconds'), 'a run of operations: its default seconds are not carried');
  t.is(v.get('seed'), 7);
  t.deepEqual(v.get('bug'), ['no-tlb-flush']);
  t.is(v.get('strategy'), 'random');
  t.is(v.get('switchProb'), 0.2);
  t.is(v.get('pctSteps'), 812);
});

test('schemas/ holds the schemas the validators are made from (npm run schemas)', (t) => {
  const committed = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../../schemas/${name}.schema.json`, import.meta.url), 'utf8'));
  t.deepEqual(committed('scenario'), scenarioJsonSchema());
  t.deepEqual(committed('schedule'), scheduleJsonSchema());
  for (const name of Object.keys(JSON_OUTPUTS) as JsonOutput[]) t.deepEqual(committed(name), outputJsonSchema(name), name);
});

test('examples/scenario.yaml is a valid scenario', (t) => {
  const v = loadScenario(new URL('../../../examples/scenario.yaml', import.meta.url).pathname);
  t.deepEqual(v.get('bug'), ['no-tlb-flush']);
});

test('a user test\'s explore --json output reads back as a scenario: its test and strategy, not its results', (t) => {
  const f = write('test-explore.json', JSON.stringify({ tool: {}, command: 'explore', schedules: 12, seconds: 0.5, strategy: { name: 'pct', depth: 2, steps: 40 }, test: '/abs/tickets.mjs', maxSteps: 5000, moves: 2, failures: [] }));
  const v = loadScenario(f);
  t.is(v.get('test'), '/abs/tickets.mjs');
  t.is(v.get('strategy'), 'pct');
  t.is(v.get('depth'), 2);
  t.is(v.get('maxSteps'), 5000);
  t.false(v.has('seconds'), 'the run time is a result, not a key');
});
