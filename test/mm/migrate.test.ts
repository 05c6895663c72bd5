import test from 'ava';
import { labelName } from '../../src/sched/labels.js';
import { user_access } from '../../src/arch/x86/uaccess.js';
import { migrate_page } from '../../src/mm/migrate.js';
import { pte_page } from '../../src/mm/pgtable.js';
import { is_migration_entry, pte_frame, pte_mmu_valid, pte_pfn } from '../../src/mm/pte.js';
import { FO_STATE, MM_CPUMASK, PG_LOCKED, PG_PINCOUNT, PG_REFCOUNT, POOL_SYSTEM } from '../../src/shm/layout.js';
import { parks, script } from '../locking/script.js';
import { machine } from '../check/machine.js';

/** A one-CPU machine, objects in system RAM, page 0 of object 0 mapped by mm 0; `atCopy` runs
 * when the migration copies. */
function mapped(atCopy: (m: Int32Array, ptep: number) => void = () => {}) {
  let ptep = -1;
  const { m, lay, task } = machine({ cpus: 1, migrators: 1, processes: 1, objects: 1, pages: 2 }, true, (label) => {
    if (labelName(label) === 'migrate:copy') atCopy(m, ptep);
  });
  const t = task(0);
  user_access(t, 0, 0, 0, 0, false);
  ptep = lay.pte(pte_page(t, 0, 0, 0), 0);
  return { m, lay, t, ptep, old: m[lay.backing(0, 0)]! };
}

test('migration leaves a migration entry while it copies, with the old page frozen, then maps the new page', (t) => {
  let during: { entry: boolean; pfn: number; refs: number } | null = null;
  const x = mapped((m, ptep) => (during = { entry: is_migration_entry(m[ptep]!), pfn: pte_pfn(m[ptep]!), refs: m[x.lay.page(x.old, PG_REFCOUNT)]! }));
  t.true(migrate_page(x.t, 0, 0));
  t.deepEqual(during, { entry: true, pfn: x.old, refs: 0 });
  const fresh = x.m[x.lay.backing(0, 0)]!;
  t.not(fresh, x.old);
  t.true(pte_mmu_valid(x.m[x.ptep]!));
  t.is(pte_frame(x.lay, x.m[x.ptep]!), x.lay.frame(POOL_SYSTEM, fresh));
  t.is(x.m[x.lay.page(fresh, PG_REFCOUNT)], 2, 'the object\'s reference and the PTE\'s');
  t.is(x.m[x.lay.fo(x.lay.frame(POOL_SYSTEM, x.old), FO_STATE)], 0, 'the old page is free');
});

test('a pinned page does not freeze: the migration entries map the old page again', (t) => {
  const x = mapped();
  x.m[x.lay.page(x.old, PG_PINCOUNT)] = 1;
  x.m[x.lay.page(x.old, PG_REFCOUNT)]!++;
  const refs = x.m[x.lay.page(x.old, PG_REFCOUNT)];
  t.false(migrate_page(x.t, 0, 0));
  t.is(x.m[x.lay.backing(0, 0)], x.old);
  t.true(pte_mmu_valid(x.m[x.ptep]!));
  t.is(pte_pfn(x.m[x.ptep]!), x.old);
  t.is(x.m[x.lay.page(x.old, PG_REFCOUNT)], refs);
});

test('a migration entry zapped during the copy leaves the address unmapped', (t) => {
  const x = mapped((m, ptep) => void (m[ptep] = 0));
  t.true(migrate_page(x.t, 0, 0));
  t.is(x.m[x.ptep], 0);
  t.is(x.m[x.lay.page(x.m[x.lay.backing(0, 0)]!, PG_REFCOUNT)], 1, 'only the object\'s reference');
});

test('a fault that meets a migration entry sleeps on the old page\'s lock, and the migration\'s unlock wakes it', (t) => {
  const x = script();
  const [cpu0, cpu1] = [x.task(0), x.task(1)];
  // both processes map page 0 of object 0 (at vpn 0); cpu1 (mm 1) then runs something else: its
  // TLB is empty and it is not in mm 1's cpumask, so the migration's flushes need no ack from it
  t.true(user_access(cpu0, 0, 0, 0, 0, false));
  t.true(user_access(cpu1, 0, 0, 0, 0, false));
  x.m.fill(0, x.lay.tlbEntry(1, 0, 0), x.lay.tlbEntry(1, x.cfg.tlbEntries, 0));
  x.m[x.lay.mmw(1, MM_CPUMASK)] = 0;
  const old = x.m[x.lay.backing(0, 0)]!;
  const lock = x.lay.page(old, PG_LOCKED);
  let slept = false;
  x.at(0, x.lay.word(old, 0), () => (slept = parks(() => user_access(cpu1, 0, 0, 0, 0, false))));
  t.true(migrate_page(cpu0, 0, 0));
  t.true(slept, 'cpu1 would sleep');
  t.deepEqual(x.sleeps.at(-1), { tid: 1, idx: lock }, 'on the old page\'s lock');
  t.true(x.wakes.includes(lock), 'which the migration\'s unlock wakes');
  const pte = x.m[x.lay.pte(pte_page(cpu1, 1, 0, 0), 0)]!;
  t.true(pte_mmu_valid(pte) && pte_pfn(pte) === x.m[x.lay.backing(0, 0)], 'and mm 1 maps the new page');
});
