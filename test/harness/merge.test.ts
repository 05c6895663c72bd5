import test from 'ava';
import { mergeExplore, MergeError } from '../../src/harness/merge.js';
import { shardOf } from '../../src/harness/shard.js';
import type { ExploreJson } from '../../src/cli/explore_json.js';
import type { LockstatRow } from '../../src/profile/types.js';
import { closeDetPool, explore } from '../../src/harness/explore.js';
import type { DetRunSpec } from '../../src/harness/det_group.js';
import { exploreJson } from '../../src/cli/explore_json.js';
import { detSpec } from '../check/machine.js';

test('shards are contiguous, disjoint, cover the range and differ in size by at most one seed', (t) => {
  const parts = [0, 1, 2].map((i) => shardOf({ start: 10, count: 8 }, i, 3));
  t.deepEqual(parts, [{ start: 10, count: 2 }, { start: 12, count: 3 }, { start: 15, count: 3 }]);
  t.deepEqual(shardOf({ start: 1, count: 5 }, 0, 1), { start: 1, count: 5 });
});

const row = (cls: string, contentions: number, waitMax: number): LockstatRow => ({
  class: cls, conBounces: contentions, contentions, waittimeMin: 1, waittimeMax: waitMax, waittimeTotal: 10 * contentions, waittimeAvg: 10,
  acqBounces: 0, acquisitions: 100, holdtimeMin: 1, holdtimeMax: 5, holdtimeTotal: 200, holdtimeAvg: 2, holdSamples: 100,
  contentionPoints: [{ label: 'fault:ptl', count: contentions }], holderPoints: [],
});

function part(start: number, count: number, extra: Partial<ExploreJson> & { lockstat?: LockstatRow[] } = {}): ExploreJson {
  return {
    $schema: 'x', tool: { name: 'faultline', version: '0.1.0', commit: 'abc' }, command: 'explore', interrupted: null,
    schedules: count, schedulesPerSec: 100, seconds: count / 100, strategy: { name: 'random', switchProbability: 0.05 } as ExploreJson['strategy'],
    config: { cpus: 2 }, maxSteps: 1000, moves: 2, exhausted: false, seeds: { start, count }, failures: [], errors: [], ...extra,
  };
}

test('lockstat rows add up per class: counts and totals summed, the maximum kept, averages recomputed', (t) => {
  const m = mergeExplore([
    { file: 'a', doc: part(1, 10, { lockstat: [row('ptl', 2, 50), row('resv', 1, 7)] }) },
    { file: 'b', doc: part(11, 10, { lockstat: [row('ptl', 3, 90)] }) },
  ]) as ExploreJson & { lockstat: LockstatRow[] };
  const ptl = m.lockstat.find((r) => r.class === 'ptl')!;
  t.is(ptl.contentions, 5);
  t.is(ptl.waittimeMax, 90);
  t.is(ptl.waittimeTotal, 50);
  t.is(ptl.waittimeAvg, 10);
  t.is(ptl.acquisitions, 200);
  t.deepEqual(ptl.contentionPoints, [{ label: 'fault:ptl', count: 5 }]);
  t.deepEqual(m.lockstat.map((r) => r.class), ['ptl', 'resv']);
  t.is(m.schedules, 20);
  t.deepEqual(m.seeds, { start: 1, count: 20 });
});

test('a failure shrunk to the same interleaving in two parts is shown shrunk once', (t) => {
  const f = (seed: number, hash: string) => ({
    seed, oracle: 'stale-tlb', message: 'm', thread: 'cpu0', traceHash: '0'.repeat(15) + String(seed % 10), scheduleFile: `s${seed}`, replay: 'r',
    shrunk: { scheduleFile: `s${seed}.shrunk`, traceHash: hash, preemptions: { before: 3, after: 1 }, switches: { before: 9, after: 2 }, steps: { before: 90, after: 40 }, replays: 10, workload: [] },
  });
  const m = mergeExplore([
    { file: 'a', doc: part(1, 10, { failures: [f(3, 'aaaaaaaaaaaaaaaa')] }) },
    { file: 'b', doc: part(11, 10, { failures: [f(12, 'aaaaaaaaaaaaaaaa'), f(15, 'bbbbbbbbbbbbbbbb')] }) },
  ]);
  t.deepEqual(m.failures.map((x) => [x.seed, x.shrunk?.traceHash ?? null]), [[3, 'aaaaaaaaaaaaaaaa'], [12, null], [15, 'bbbbbbbbbbbbbbbb']]);
});

test('different explorations and overlapping ranges are refused', (t) => {
  t.throws(() => mergeExplore([{ file: 'a', doc: part(1, 10) }, { file: 'b', doc: part(5, 10) }]), { instanceOf: MergeError, message: /overlap \(seeds 5\.\.10\)/ });
  t.throws(() => mergeExplore([{ file: 'a', doc: part(1, 10) }, { file: 'b', doc: part(11, 10, { moves: 3 }) }]), { instanceOf: MergeError, message: /different --max-steps or --moves/ });
  t.throws(() => mergeExplore([]), { instanceOf: MergeError });
});

/** The machine's explore of `seeds` as its --json (failures with their runs' trace hashes). */
async function exploreDoc(spec: DetRunSpec, seeds: { start: number; count: number }): Promise<ExploreJson> {
  const r = await explore({ spec, seedStart: seeds.start, seedCount: seeds.count, jobs: 2, stopOnFirst: false, maxSchedules: 0 });
  const hash = new Map(r.runs.map((x) => [x.seed, x.traceHash]));
  const failures = r.failures.map((f) => ({ seed: f.seed, oracle: f.violation.oracle, message: f.violation.message, thread: f.violation.thread, traceHash: hash.get(f.seed)!, scheduleFile: '-', replay: '-' }));
  return exploreJson(spec, r, failures, r.errors, null);
}

const essence = (j: ExploreJson) => ({
  schedules: j.schedules, seeds: j.seeds, errors: j.errors, failures: j.failures.map((f) => [f.seed, f.oracle, f.traceHash]),
  coverage: j.coverage && { pairs: j.coverage.pairs, bothOrders: j.coverage.bothOrders, curve: j.coverage.curve, orderedPairs: j.coverage.orderedPairs },
});

for (const strategy of [{ name: 'random' }, { name: 'pct', depth: 3 }] as const) {
  test.serial(`4 shards of ${strategy.name} merged are the whole explore: schedules, failures with their trace hashes, coverage`, async (t) => {
    const spec = { ...detSpec({ bugs: ['no-tlb-flush'] }, strategy), coverage: true };
    const range = { start: 1, count: 40 };
    const whole = await exploreDoc(spec, range);
    t.true(whole.failures.length > 0);
    const parts: { file: string; doc: ExploreJson }[] = [];
    for (let i = 0; i < 4; i++) parts.push({ file: `part-${i}`, doc: await exploreDoc(spec, shardOf(range, i, 4)) });
    t.deepEqual(essence(mergeExplore(parts)), essence(whole));
  });
}

test.after.always(closeDetPool);
