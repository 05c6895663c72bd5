import test from 'ava';
import { makeConfig, type Config } from '../../src/config.js';
import { DEFAULT_STRATEGY } from '../../src/sched/strategies/index.js';
import { closeDetPool, explore } from '../../src/harness/explore.js';
import { DEFAULT_MAX_STEPS, SMALL_SCENARIO, tracedRun } from '../../src/harness/det_run.js';
import type { DetRunSpec } from '../../src/harness/det_group.js';
import type { ProfileOptions } from '../../src/profile/recorder.js';
import { toChromeTrace } from '../../src/report/perfetto.js';
import { validateChromeTrace } from '../../src/report/trace_check.js';
import type { TraceEvent } from '../../src/profile/types.js';

test.after.always(closeDetPool);

const PROFILE: ProfileOptions = { lockstat: true, lockdep: true, trace: false, holdSample: 1, traceCap: 100_000 };

function spec(over: Partial<Config>, profile: ProfileOptions = PROFILE): DetRunSpec {
  return { cfg: makeConfig({ ...SMALL_SCENARIO, ...over }), strategy: DEFAULT_STRATEGY, maxSteps: DEFAULT_MAX_STEPS, moves: 2, trace: false, tapeCapacity: 0, profile };
}

test.serial('known contention shows in the table: frequent munmaps make mmap_sem the most-waited lock, readers waiting at the fault', async (t) => {
  const r = await explore({ spec: spec({ cpus: 3, pMunmap: 0.3, pIoctl: 0, pMadvise: 0 }), seedStart: 1, seedCount: 200, jobs: 1, stopOnFirst: false, maxSchedules: 0 });
  t.deepEqual(r.failures, []);
  const rows = r.profile!.lockstat;
  t.is(r.profile!.unit, 'steps');
  const top = [...rows].sort((a, b) => b.waittimeTotal - a.waittimeTotal)[0]!;
  t.regex(top.class, /^mmap_sem-[RW]$/, rows.map((x) => `${x.class}:${x.waittimeTotal}`).join(' '));
  const r2 = rows.find((x) => x.class === 'mmap_sem-R')!;
  t.true(r2.contentions > 0 && r2.contentionPoints.some((p) => p.label === 'fault:mmap_sem'));
  const w = rows.find((x) => x.class === 'mmap_sem-W')!;
  t.true(w.holderPoints.some((p) => p.label === 'munmap:mmap_sem'));
  for (const row of rows) t.true(row.acquisitions >= 0 && row.waittimeMax >= row.waittimeMin && row.holdtimeMax >= row.holdtimeMin);
});

test.serial('the lock-order checker flags the R3 inversion without a deadlock having to happen', async (t) => {
  const r = await explore({ spec: spec({ cpus: 3, bugs: ['execbuf-faults-under-resv'] }), seedStart: 1, seedCount: 300, jobs: 1, stopOnFirst: false, maxSchedules: 0 });
  const deadlocks = r.failures.filter((f) => f.violation.oracle === 'deadlock').length;
  const cycle = r.profile!.lockOrder.cycles.find((c) => c.chain.includes('mmap_sem') && c.chain.includes('resv'));
  t.truthy(cycle, JSON.stringify(r.profile!.lockOrder.cycles));
  t.true(deadlocks < r.schedules, 'most schedules did not deadlock, yet the order was flagged');
  t.regex(cycle!.scenario, /DEADLOCK/);
  t.true(cycle!.edges.every((e) => e.label.length > 0));
});

test.serial('the correct protocol has no lock-order cycle', async (t) => {
  const r = await explore({ spec: spec({ cpus: 3 }), seedStart: 1, seedCount: 300, jobs: 1, stopOnFirst: false, maxSchedules: 0 });
  t.deepEqual(r.profile!.lockOrder.cycles, []);
  t.true(r.profile!.lockOrder.edges.some((e) => e.from === 'mmap_sem' && e.to === 'ptl'));
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
