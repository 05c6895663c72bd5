import test from 'ava';
import { user_access } from '../../src/arch/x86/uaccess.js';
import { smp_service } from '../../src/kernel/smp.js';
import type { Task } from '../../src/kernel/task.js';
import type { BugName } from '../../src/bugs/switches.js';
import { migrate_page } from '../../src/mm/migrate.js';
import { do_mprotect } from '../../src/mm/mprotect.js';
import { do_munmap } from '../../src/mm/mmap.js';
import { do_mremap } from '../../src/mm/mremap.js';
import { flush_tlb_func, tlb_lookup } from '../../src/mm/tlb.js';
import { flush_tlb_batched_pending, set_tlb_ubc_flush_pending, try_to_unmap_flush } from '../../src/mm/tlb_batch.js';
import { Layout, MM_CPUMASK, MM_TLB_FLUSH_BATCHED, MM_TLB_GEN } from '../../src/shm/layout.js';
import { mk_pte } from '../../src/mm/pte.js';
import { script } from '../locking/script.js';
import { fired } from '../check/machine.js';

/** cpu0 runs mm 0 and caches page 0 of object 0 (one page, at vpn 0); cpu1 is off the mm (out
 * of its cpumask, TLB empty: no flush waits for it) and migrates that page, so its unmap defers the flush (cpu0 may cache the entry). When cpu1 first
 * flushes (its batch's try_to_unmap_flush), `between` runs as cpu0: the window 3ea277194daa is
 * about. cpu0 answers cpu1's flush IPI when cpu1 waits for it. */
function window(between: (cpu0: Task) => void, bugs: BugName[] = []) {
  const x = script({ cpus: 2, migrators: 0, processes: 1, objects: 1, pages: 1, bugs });
  const [cpu0, cpu1] = [x.task(0), x.task(1)];
  offMm(x.m, x.lay, 1);
  t0Access(cpu0);
  const gen = x.lay.mmw(0, MM_TLB_GEN);
  let ran = false;
  x.at(1, gen, () => {
    ran = true;
    between(cpu0);
  });
  x.onSleep(() => smp_service(cpu0, flush_tlb_func));
  const oracle = fired(() => void migrate_page(cpu1, 0, 0));
  return { x, cpu0, cpu1, oracle, ran };
}

function offMm(m: Int32Array, lay: Layout, cpu: number): void {
  m[lay.mmw(0, MM_CPUMASK)]! &= ~(1 << cpu);
}

function t0Access(cpu0: Task): void {
  if (!user_access(cpu0, 0, 0, 0, 0, true)) throw new Error('the access failed');
}

const cached = (cpu0: Task): boolean => tlb_lookup(cpu0, 0) >= 0;

for (const [call, run] of [
  ['mprotect(PROT_NONE)', (cpu0: Task) => void do_mprotect(cpu0, 0, 0, true)],
  ['munmap', (cpu0: Task) => void do_munmap(cpu0, 0, 0)],
  ['mremap', (cpu0: Task) => void do_mremap(cpu0, 0, 0)],
] as const) {
  test(`${call} in a migration's deferred-flush window flushes the entry the migration cleared (flush_tlb_batched_pending)`, (t) => {
    let stale = true;
    const w = window((cpu0) => {
      run(cpu0);
      stale = cached(cpu0);
    });
    t.true(w.ran, 'the call ran between the clear and the batch\'s flush');
    t.is(w.oracle, null);
    t.false(stale, 'cpu0 no longer caches vpn 0 when the call returns');
  });

  test(`no-flush-batched-pending: ${call} returns with the cleared entry still cached, and tlb-after-return fires`, (t) => {
    const w = window(run, ['no-flush-batched-pending']);
    t.true(w.ran);
    t.is(w.oracle, 'tlb-after-return');
  });
}

test('a migration with no other CPU on the mm flushes at once and defers nothing', (t) => {
  const x = script({ cpus: 1, migrators: 0, processes: 1, objects: 1, pages: 1 });
  const cpu0 = x.task(0);
  t0Access(cpu0);
  const gen = x.m[x.lay.mmw(0, MM_TLB_GEN)]!;
  t.true(migrate_page(cpu0, 0, 0));
  t.is(x.m[x.lay.mmw(0, MM_TLB_GEN)], gen + 1, 'ptep_clear_flush flushed');
  t.is(cpu0.ubcMms, 0);
  t.is(x.m[x.lay.mmw(0, MM_TLB_FLUSH_BATCHED)], 0, 'no deferral counted');
});

test('tlb_flush_batched: each deferral counts as pending; a flush covers what it read, and one counted during that flush stays pending', (t) => {
  const x = script({ cpus: 2, migrators: 0, processes: 1, objects: 1, pages: 1 });
  const [cpu0, cpu1] = [x.task(0), x.task(1)];
  offMm(x.m, x.lay, 1);
  t0Access(cpu0);
  const word = x.lay.mmw(0, MM_TLB_FLUSH_BATCHED);
  const gen = x.lay.mmw(0, MM_TLB_GEN);
  const pte = mk_pte(0, false, true, false);
  set_tlb_ubc_flush_pending(cpu1, 0, pte);
  t.is(x.m[word], 1);
  t.is(cpu1.ubcMms, 1, 'cpu1 owes mm 0 a flush');
  // cpu0 finds it, flushes the mm (its own TLB: no IPI) and meanwhile cpu1 defers another
  x.at(0, gen, () => set_tlb_ubc_flush_pending(cpu1, 0, pte));
  const before = x.m[gen]!;
  flush_tlb_batched_pending(cpu0, 0);
  t.is(x.m[gen], before + 1, 'one flush');
  t.is(x.m[word], 2, 'the compare-and-swap failed: both deferrals are still uncovered');
  flush_tlb_batched_pending(cpu0, 0);
  t.is(x.m[word], 2 | (2 << 16), 'covered');
  flush_tlb_batched_pending(cpu0, 0);
  t.is(x.m[gen], before + 2, 'nothing left to flush');
  x.onSleep(() => smp_service(cpu0, flush_tlb_func));
  try_to_unmap_flush(cpu1);
  t.is(cpu1.ubcMms, 0);
  t.is(x.m[word], 2 | (2 << 16), 'the batcher\'s own flush leaves the count to flush_tlb_batched_pending');
});

test('tlb_flush_batched: pending restarts at 1 before it could wrap onto flushed; an entry no TLB can hold is not counted', (t) => {
  const x = script({ cpus: 2, migrators: 0, processes: 1, objects: 1, pages: 1 });
  const cpu1 = x.task(1);
  const word = x.lay.mmw(0, MM_TLB_FLUSH_BATCHED);
  x.m[word] = 0x8000 | (0x7000 << 16);
  set_tlb_ubc_flush_pending(cpu1, 0, mk_pte(0, false, true, false));
  t.is(x.m[word], 1);
  set_tlb_ubc_flush_pending(cpu1, 0, 0);
  t.is(x.m[word], 1, 'a cleared entry needs no flush');
});
