import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { makeConfig, type Config } from '../../src/config.js';
import type { BugName } from '../../src/bugs/switches.js';
import { strategyOf, type StrategyOptions } from '../../src/sched/strategies/index.js';
import { closeDetPool, explore } from '../../src/harness/explore.js';
import { detRunSpec, SMALL_SCENARIO, scheduleFileOf, tracedRun } from '../../src/harness/det_run.js';
import type { DetRunSpec } from '../../src/harness/det_group.js';

test.after.always(closeDetPool);

const cli = new URL('../../src/cli/main.js', import.meta.url).pathname;

function spec(over: Partial<Config> = {}, strategy: StrategyOptions = {}): DetRunSpec {
  return detRunSpec({ cfg: makeConfig({ ...SMALL_SCENARIO, ...over }), strategy: strategyOf({ name: 'pct', depth: 3, ...strategy }) });
}

async function hashOf(s: DetRunSpec, seed: number): Promise<string> {
  const r = await explore({ spec: s, seedStart: seed, seedCount: 1, jobs: 1, stopOnFirst: false, maxSchedules: 0 });
  return r.runs[0]!.traceHash;
}

test.serial('same seed, same trace hash: 20 runs in this process and one in another process', async (t) => {
  const s = spec({}, { name: 'random' });
  const hashes = new Set<string>();
  for (let i = 0; i < 20; i++) hashes.add(await hashOf(s, 7));
  t.is(hashes.size, 1);
  const out = join(mkdtempSync(join(tmpdir(), 'faultline-')), 'r.json');
  const p = spawnSync(process.execPath, [cli, 'replay', '--seed', '7', '--strategy', 'random', '--json', out], { encoding: 'utf8' });
  t.is(p.status, 0, p.stderr);
  t.is(JSON.parse(readFileSync(out, 'utf8')).traceHash, [...hashes][0]);
});

test.serial('different seeds give different interleavings', async (t) => {
  const r = await explore({ spec: spec(), seedStart: 100, seedCount: 20, jobs: 1, stopOnFirst: false, maxSchedules: 0 });
  t.is(r.runs.length, 20);
  t.true(new Set(r.runs.map((x) => x.traceHash)).size >= 19);
});

test.serial('the correct protocol runs clean over 2,000 pct and 1,000 random schedules', async (t) => {
  for (const [name, count] of [['pct', 2000], ['random', 1000]] as const) {
    const r = await explore({ spec: spec({}, { name }), seedStart: 1, seedCount: count, jobs: 1, stopOnFirst: false, maxSchedules: 0 });
    t.is(r.schedules, count);
    t.deepEqual(r.failures, [], `${name}: ${r.failures[0]?.violation.message}`);
    t.deepEqual(r.errors, []);
  }
});

const MACHINE_BUGS: [BugName, string][] = [
  ['no-tlb-flush', 'stale-tlb'],
  ['fault-without-reserve', 'stale-tlb'],
  ['free-before-flush', 'lost-write'],
  ['remap-bug-on-set', 'pte-overwrite'],
];

for (const [bug, family] of MACHINE_BUGS) {
  test.serial(`pct finds ${bug} within 1,000 schedules and its schedule file replays it`, async (t) => {
    const s = spec({ bugs: [bug] });
    const r = await explore({ spec: s, seedStart: 1, seedCount: 1000, jobs: 1, stopOnFirst: true, maxSchedules: 0 });
    const f = r.failures[0];
    t.truthy(f, 'found');
    t.true(['stale-tlb', 'tlb-after-return', 'lost-write', 'stale-read', 'use-after-free', 'pte-overwrite'].includes(f!.violation.oracle), f!.violation.oracle);
    if (family === 'pte-overwrite') t.is(f!.violation.oracle, family);
    const run = await tracedRun(s, f!.seed);
    t.is(run.violation?.oracle, f!.violation.oracle, 'the seed replays to the same violation');
    const file = scheduleFileOf(s, run);
    const again = await tracedRun({ ...s, strategy: { name: 'replay', decisions: file.decisions, recorded: file.strategy } }, f!.seed);
    t.is(again.violation?.oracle, f!.violation.oracle, 'the schedule file replays to the same violation');
    t.is(again.traceHash, run.traceHash);
    t.is(again.replay?.divergedAt, -1);
  });
}

test.serial('R3 lock-order inversion is reported as a wait-for cycle naming both locks', async (t) => {
  const s = spec({ cpus: 3, bugs: ['execbuf-faults-under-resv', 'fault-blocks-on-reserve'] });
  const r = await explore({ spec: s, seedStart: 1, seedCount: 1000, jobs: 1, stopOnFirst: true, maxSchedules: 0 });
  const v = r.failures[0]?.violation;
  t.is(v?.oracle, 'deadlock');
  t.regex(v!.message, /wait-for cycle: .*resv.*mmap_sem|wait-for cycle: .*mmap_sem.*resv/);
  t.regex(v!.message, /waits at \S+ for/);
});

test.serial('bounded --exhaustive enumerates a tiny configuration to the end', async (t) => {
  const s: DetRunSpec = { ...spec({ cpus: 1, migrators: 1, objects: 1, pages: 2, ops: 2, pMunmap: 0, pIoctl: 0 }, { name: 'bounded', bound: 1, exhaustive: true }), moves: 1, tapeCapacity: 100_000 };
  const r = await explore({ spec: s, seedStart: 1, seedCount: 1, jobs: 1, stopOnFirst: false, maxSchedules: 50_000 });
  t.true(r.exhausted, `${r.schedules} schedules`);
  t.true(r.schedules > 10);
  t.is(new Set(r.runs.map((x) => x.traceHash)).size, r.schedules, 'every enumerated schedule is a different interleaving');
  t.deepEqual(r.failures, []);
});

test.serial('an enumerated failing schedule is rebuilt from its choices and replays from its schedule file', async (t) => {
  const s: DetRunSpec = { ...spec({ cpus: 1, objects: 1, pages: 2, ops: 3, pMigratePage: 0, bugs: ['free-before-flush'] }, { name: 'bounded', bound: 1, exhaustive: true }), moves: 1, tapeCapacity: 100_000 };
  const r = await explore({ spec: s, seedStart: 1, seedCount: 1, jobs: 1, stopOnFirst: true, maxSchedules: 10_000 });
  const failed = r.runs.find((x) => x.failed);
  const how = failed?.how;
  if (how === undefined || !('choices' in how)) return t.fail('the failing run kept its choices');
  const run = await tracedRun({ ...s, tapePrefix: how.choices }, 1);
  t.is(run.violation?.oracle, r.failures[0]!.violation.oracle);
  t.is(run.traceHash, failed!.traceHash);
  const again = await tracedRun({ ...s, strategy: { name: 'replay', decisions: scheduleFileOf(s, run).decisions, recorded: run.strategy }, tapeCapacity: 0 }, 1);
  t.is(again.violation?.oracle, run.violation?.oracle);
  t.is(again.traceHash, run.traceHash);
});
