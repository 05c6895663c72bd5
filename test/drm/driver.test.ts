// The two drivers (--driver): TTM's fault never sleeps on a reservation with mmap_sem held (trylock,
// drop, wait, RETRY); the 2006 proposal's sleeps on the object mutex with mmap_sem held for read,
// which is R3's lock-order inversion: with an ioctl that faults while holding the mutex it
// deadlocks, where TTM needs a second switch (fault-blocks-on-reserve) to.
import test from 'ava';
import { makeConfig, type DriverName } from '../../src/config.js';
import { boot } from '../../src/harness/boot.js';
import { makeTask } from '../../src/harness/roles.js';
import { BO_RESV, Layout, MM_MMAP_SEM, RW_COUNT } from '../../src/shm/layout.js';
import { labelName } from '../../src/sched/labels.js';
import type { Scheduler } from '../../src/sched/scheduler.js';
import { user_access } from '../../src/arch/x86/uaccess.js';
import { closeDetPool, explore } from '../../src/harness/explore.js';
import { detSpec } from '../check/machine.js';

test.after.always(closeDetPool);

class Slept extends Error {
  constructor(
    readonly label: string,
    readonly mmapSem: number,
  ) {
    super('slept');
  }
}

/** A CPU faults on an object whose reservation another thread holds: where does it first sleep? */
function firstSleep(driver: DriverName): Slept {
  const cfg = makeConfig({ cpus: 2, migrators: 0, processes: 1, objects: 1, pages: 2, placement: 'system', driver });
  const m = new Int32Array(boot(cfg));
  const lay = new Layout(cfg);
  m[lay.bow(0, BO_RESV)] = 2; // held by tid 1
  const sched: Scheduler = {
    serial: true, point() {}, wake() {}, setInterruptHandler() {}, interrupts() {}, progress() {},
    block: (label) => {
      throw new Slept(labelName(label), m[lay.mmw(0, MM_MMAP_SEM) + RW_COUNT]!);
    },
  };
  const t = makeTask(cfg, m, 0, sched);
  try {
    user_access(t, 0, 0, 0, 0, true);
  } catch (e) {
    if (e instanceof Slept) return e;
    throw e;
  }
  throw new Error('the fault never slept');
}

test('ttm: a contended reservation is waited for with mmap_sem dropped (then RETRY)', (t) => {
  const s = firstSleep('ttm');
  t.is(s.label, 'bo:resv');
  t.is(s.mmapSem, 0);
});

test('2006: the fault sleeps on the object mutex with mmap_sem held for read', (t) => {
  const s = firstSleep('2006');
  t.is(s.label, 'bo:resv');
  t.is(s.mmapSem, 256, 'one reader\'s bias');
});

test.serial('2006: an ioctl that faults under the object mutex deadlocks (R3) with no other switch; ttm survives the same seeds', async (t) => {
  const seeds = { seedStart: 1, seedCount: 300, jobs: 1, stopOnFirst: true, maxSchedules: 0 };
  const old = await explore({ spec: detSpec({ cpus: 3, driver: '2006', bugs: ['execbuf-faults-under-resv'] }), ...seeds });
  t.is(old.failures[0]?.violation.oracle, 'deadlock');
  t.regex(old.failures[0]!.violation.message, /wait-for cycle: .*bo0\.resv.*mm0\.mmap_sem \(read\)/);
  const ttm = await explore({ spec: detSpec({ cpus: 3, driver: 'ttm', bugs: ['execbuf-faults-under-resv'] }), ...seeds, seedCount: old.failures[0]!.seed });
  t.deepEqual(ttm.failures, []);
});

test.serial('2006: the correct protocol (no switch) stays clean', async (t) => {
  const r = await explore({ spec: detSpec({ driver: '2006' }), seedStart: 1, seedCount: 500, jobs: 1, stopOnFirst: false, maxSchedules: 0 });
  t.is(r.schedules, 500);
  t.deepEqual(r.failures, []);
});
