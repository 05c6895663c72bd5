import test from 'ava';
import { makeConfig, type Config } from '../../src/config.js';
import { closeDetPool, explore } from '../../src/harness/explore.js';
import { detRunSpec, SMALL_SCENARIO, tracedRun } from '../../src/harness/det_run.js';
import type { DetRunSpec } from '../../src/harness/det_group.js';
import { CONTENTION_CAP, Recorder, type ProfileOptions } from '../../src/profile/recorder.js';
import { profileBuffer } from '../../src/profile/attach.js';
import { machineLockNaming } from '../../src/profile/lock_class.js';
import { mergeProfile } from '../../src/profile/merge.js';
import { label } from '../../src/sched/labels.js';
import { Layout } from '../../src/shm/layout.js';
import { formatPivot, pivotContentions } from '../../src/report/lockstat_table.js';
import { toChromeTrace } from '../../src/report/perfetto.js';
import { validateChromeTrace } from '../../src/report/trace_check.js';
import type { TraceEvent } from '../../src/profile/types.js';

test.after.always(closeDetPool);

const PROFILE: ProfileOptions = { lockstat: true, lockdep: true, trace: false, holdSample: 1, traceCap: 100_000 };

function spec(over: Partial<Config>, profile: ProfileOptions = PROFILE): DetRunSpec {
  return detRunSpec({ cfg: makeConfig({ ...SMALL_SCENARIO, ...over }), profile });
}

test.serial('known contention shows in the table: frequent munmaps make mmap_lock the most-waited lock, readers waiting at the fault', async (t) => {
  const r = await explore({ spec: spec({ cpus: 3, pMunmap: 0.3, pIoctl: 0, pMadvise: 0 }), seedStart: 1, seedCount: 200, jobs: 1, stopOnFirst: false, maxSchedules: 0 });
  t.deepEqual(r.failures, []);
  const rows = r.profile!.lockstat;
  t.is(r.profile!.unit, 'steps');
  const top = [...rows].sort((a, b) => b.waittimeTotal - a.waittimeTotal)[0]!;
  t.regex(top.class, /^mmap_lock-[RW]$/, rows.map((x) => `${x.class}:${x.waittimeTotal}`).join(' '));
  const r2 = rows.find((x) => x.class === 'mmap_lock-R')!;
  t.true(r2.contentions > 0 && r2.contentionPoints.some((p) => p.label === 'fault:mmap_sem'));
  // readers wait behind writers: the holder points of the -R row name the writers' points
  t.true(r2.holderPoints.some((p) => p.label === 'munmap:mmap_sem'), JSON.stringify(r2.holderPoints));
  for (const row of rows) {
    // as the kernel's lockstat: one holder point per contention (not per acquisition); a wait that is no lock has none
    const held = row.holderPoints.reduce((n, p) => n + p.count, 0);
    t.true(held <= row.contentions, `${row.class}: ${held} holder points, ${row.contentions} contentions`);
    if (row.holderPoints.length < 4 && row.class !== 'ipi_ack' && row.class !== 'bo_fence') t.is(held, row.contentions, row.class);
  }
  t.true(rows.some((x) => x.holderPoints.length > 0 && x.holderPoints.length < 4), 'some row lists all its holder points');
  for (const row of rows) t.true(row.acquisitions >= 0 && row.waittimeMax >= row.waittimeMin && row.holdtimeMax >= row.holdtimeMin);
});

test.serial('the lock-order checker flags the R3 inversion without a deadlock having to happen', async (t) => {
  const r = await explore({ spec: spec({ cpus: 3, bugs: ['execbuf-faults-under-resv'] }), seedStart: 1, seedCount: 300, jobs: 1, stopOnFirst: false, maxSchedules: 0 });
  const deadlocks = r.failures.filter((f) => f.violation.oracle === 'deadlock').length;
  const cycle = r.profile!.lockOrder.cycles.find((c) => c.chain.includes('mmap_lock') && c.chain.includes('resv'));
  t.truthy(cycle, JSON.stringify(r.profile!.lockOrder.cycles));
  t.true(deadlocks < r.schedules, 'most schedules did not deadlock, yet the order was flagged');
  t.regex(cycle!.scenario, /DEADLOCK/);
  t.true(cycle!.edges.every((e) => e.label.length > 0));
});

test.serial('the correct protocol has no lock-order cycle', async (t) => {
  const r = await explore({ spec: spec({ cpus: 3 }), seedStart: 1, seedCount: 300, jobs: 1, stopOnFirst: false, maxSchedules: 0 });
  t.deepEqual(r.profile!.lockOrder.cycles, []);
  t.true(r.profile!.lockOrder.edges.some((e) => e.from === 'mmap_lock' && e.to === 'ptl'));
});

test.serial('a written trace has a named track per thread, fault and migration spans, lock waits, IPI and wake flows, mmap_sem counters', async (t) => {
  const s = spec({ cpus: 2 }, { ...PROFILE, trace: true });
  const run = await tracedRun(s, 3);
  const obj = toChromeTrace(run.profile!.trace, { threadNames: ['cpu0', 'cpu1', 'migrator0'], unit: 'steps' }) as { traceEvents: TraceEvent[] };
  t.deepEqual(validateChromeTrace(obj), []);
  const ev = obj.traceEvents;
  const names = ev.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => (e.args as { name: string }).name);
  for (const n of ['cpu0', 'cpu1', 'migrator0']) t.true(names.includes(n), n);
  t.true(ev.some((e) => e.ph === 'X' && e.name === 'fault'));
  t.true(ev.some((e) => e.ph === 'X' && e.name === 'migration'));
  t.true(ev.some((e) => e.ph === 'b' && e.name.startsWith('hold ')));
  t.true(ev.some((e) => e.ph === 'i' && e.name === 'pte install'));
  t.true(ev.some((e) => e.ph === 'C' && e.name.endsWith('mmap_sem')));
  const flowKey = (e: TraceEvent): string => `${e.name}#${String(e.id)}`;
  const starts = new Set(ev.filter((e) => e.ph === 's').map(flowKey));
  const ends = ev.filter((e) => e.ph === 'f').map(flowKey);
  t.true([...starts].some((k) => k.startsWith('IPI to')), 'IPI flows');
  t.true(ends.length > 0 && ends.every((k) => starts.has(k)), 'every flow end has its start');
});

test('the pivot records are capped per thread, and the merged profile says how many were dropped', (t) => {
  const cfg = makeConfig(SMALL_SCENARIO);
  const m = new Int32Array(new SharedArrayBuffer(new Layout(cfg).words * 4));
  const shared = profileBuffer(machineLockNaming(cfg).words);
  const at = label('ipi:wait_ack');
  const parts = [0, 1].map((tid) => {
    const r = new Recorder(machineLockNaming(cfg), m, tid, `cpu${tid}`, () => 0, 'steps', shared, PROFILE);
    for (let i = 0; i < CONTENTION_CAP + 5 * (tid + 1); i++) r.waitedFor('ipi_ack', 'cpu2', at, 0);
    return r.part();
  });
  const p = mergeProfile(parts, 'steps');
  t.is(p.contentions.length, 2 * CONTENTION_CAP);
  t.deepEqual(p.contentionCap, { perThread: CONTENTION_CAP, dropped: 15 });
  t.is(p.lockstat.find((r) => r.class === 'ipi_ack')!.contentions, 2 * CONTENTION_CAP + 15, 'the class table counts every contention');
  const text = formatPivot(pivotContentions(p.contentions, 'cpu', 'contended'), 'cpu', 'steps', { cap: p.contentionCap });
  t.is(text.split('\n').at(-1), 'pivot: 40,000 of 40,015 contentions kept (cap 20,000 per thread)');
});
