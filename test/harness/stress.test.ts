import test from 'ava';
import { makeConfig } from '../../src/config.js';
import { BUG_CATALOG } from '../../src/bugs/catalog.js';
import { closePool, runStress } from '../../src/harness/stress.js';
import { decode } from '../../src/harness/fault_hist.js';

test.after.always(closePool);

test.serial('the correct protocol runs clean over more than 1M simulated accesses', async (t) => {
  const r = await runStress(makeConfig({ ops: 400_000, seed: 11, migrateRate: 0, strictWaits: true }), { profile: { lockstat: true, lockdep: true, trace: false, holdSample: 8, traceCap: 1 } });
  t.deepEqual(r.violations, []);
  t.deepEqual(r.profile!.lockOrder.cycles, [], 'lockdep: no lock-order cycle');
  t.is(r.crash, undefined);
  t.true(r.accesses >= 1_000_000, `${r.accesses} accesses`);
  t.true(r.faults > 0 && r.migrations > 0 && r.shootdowns > 0 && r.ipis > 0);
  t.is(r.totals.ipisSent, r.totals.ipisReceived, 'every IPI acknowledged');
});

for (const prefault of ['1', 'vma'] as const) {
  test.serial(`prefault ${prefault} runs clean`, async (t) => {
    const r = await runStress(makeConfig({ ops: 100_000, seed: 5, prefault, migrateRate: 0, strictWaits: true }));
    t.deepEqual(r.violations, []);
    t.true(r.faults > 0);
  });
}

for (const faultLock of ['mmap', 'vma'] as const) {
  test.serial(`every actor at once runs clean (fault lock ${faultLock})`, async (t) => {
    const r = await runStress(makeConfig({
      ops: 60_000, seed: 7, faultLock, migrateRate: 0, strictWaits: true, pMprotect: 0.002, pMremap: 0.002, pMunmap: 0.002, pPrivate: 0.5,
      pPartial: 0.5, pMadvise: 0.002, pDma: 0.002, pLazy: 0.002,
    }));
    t.deepEqual(r.violations, []);
    t.is(r.crash, undefined);
    const n = r.totals;
    t.true(n.mprotects > 0 && n.mremaps > 0 && n.cows > 0 && n.munmaps > 0, JSON.stringify(n));
    if (faultLock === 'vma') t.true(n.vmaLockFaults > 0, `${n.vmaLockFaults} faults under the VMA lock`);
    else t.is(n.vmaLockFaults + n.vmaLockFallbacks, 0);
  });
}

// the machine's own bug switches; the rest of the catalog is searched deterministically
// (test/harness/catalog.test.ts). A stale translation shows as whichever of these fires first.
const STALE: string[] = ['stale-tlb', 'lost-write', 'stale-read', 'use-after-free'];
const MACHINE_BUGS = ['no-tlb-flush', 'fault-without-reserve', 'free-before-flush', 'remap-bug-on-set'];
for (const bug of BUG_CATALOG.filter((b) => MACHINE_BUGS.includes(b.name))) {
  test.serial(`bug switch ${bug.name} is caught (${bug.oracle})`, async (t) => {
    const r = await runStress(makeConfig({ seconds: 20, seed: 3, bugs: [bug.name], migrateRate: 0, strictWaits: true }));
    t.true(r.violations.length > 0, 'a violation was reported');
    const oracle = r.violations[0]!.oracle;
    if (bug.oracle === 'stale-tlb') t.true(STALE.includes(oracle), oracle);
    else t.is(oracle, bug.oracle);
    t.true(r.seconds < 20, 'found before the deadline');
  });
}

test.serial('a timed run measures the seconds asked after its warm-up: rates, per-thread counts and the latency histogram are those of that window', async (t) => {
  // progress ticks 2 s apart: a window closed at a tick would last 2 s, one closed at its edge 1 s
  // (plus however late the host wakes the coordinator: the margin is wide for a busy CI machine)
  const r = await runStress(makeConfig({ seconds: 1, seed: 3, cpus: 2 }), { warmupSeconds: 0.5, progressMs: 2000 });
  t.deepEqual(r.violations, []);
  t.true(r.warmupSeconds >= 0.5 && r.warmupSeconds < 1.5, `warm-up ${r.warmupSeconds}`);
  t.true(r.seconds >= 1 && r.seconds < 1.5, `measured ${r.seconds}`);
  t.true(r.wallSeconds >= r.warmupSeconds + r.seconds);
  t.is(r.accessesPerSec, r.accesses / r.seconds);
  t.is(r.perThread.reduce((n, p) => n + p.accesses, 0), r.accesses);
  t.deepEqual(r.perThread.map((p) => p.thread), ['cpu0', 'cpu1', 'migrator0']);
  t.true(r.totals.accesses > r.accesses, 'the warm-up and the last operations are in the totals only');
  const h = decode(r.latencyNs.histogram);
  t.is(h.totalCount, r.latencyNs.count);
  t.is(h.maxValue, r.latencyNs.max);
  t.true(r.latencyNs.p50 <= r.latencyNs.p90 && r.latencyNs.p90 <= r.latencyNs.p99 && r.latencyNs.p99 <= r.latencyNs.p999);
});

test.serial('a run by --ops has no warm-up: its window is the whole run', async (t) => {
  const r = await runStress(makeConfig({ ops: 20_000, seed: 3, cpus: 2 }), { warmupSeconds: 5 });
  t.is(r.warmupSeconds, 0);
  t.is(r.accesses, r.totals.accesses);
  t.is(r.faults, r.totals.faults);
  t.true(r.seconds > 0 && r.seconds <= r.wallSeconds);
});
