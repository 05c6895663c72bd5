import test from 'ava';
import { makeConfig } from '../../src/config.js';
import { boot } from '../../src/harness/boot.js';
import { makeTask } from '../../src/harness/roles.js';
import { EBUSY, EFAULT, insert_page, insert_pfn } from '../../src/mm/memory.js';
import { pte_page } from '../../src/mm/pgtable.js';
import { Layout, VMA_END } from '../../src/shm/layout.js';
import { VM_FAULT_NOPAGE, VM_FAULT_SIGBUS } from '../../src/mm/vm_fault.js';
import type { BugName } from '../../src/bugs/catalog.js';
import type { Scheduler } from '../../src/sched/scheduler.js';

const sched: Scheduler = { serial: true, point() {}, block() {}, wake() {}, setInterruptHandler() {}, interrupts() {}, progress() {} };

/** A booted one-CPU machine whose mm 0 maps only pages [0, 2) of object 0 (a partial mapping). */
function partial(bugs: BugName[] = []) {
  const cfg = makeConfig({ cpus: 1, migrators: 0, processes: 1, objects: 1, pages: 4, placement: 'system', bugs });
  const m = new Int32Array(boot(cfg));
  const lay = new Layout(cfg);
  m[lay.vma(0, 0, VMA_END)] = 2;
  const t = makeTask(cfg, m, 0, sched);
  const pte = (vpn: number): number => m[lay.pte(pte_page(t, 0, vpn, 0), vpn % cfg.ptrsPerPte)]!;
  return { t, vma: lay.vma(0, 0, 0), pte, page0: m[lay.backing(0, 0)]! };
}

test('insert_pfn and insert_page refuse an address outside the VMA, as vmf_insert_pfn_prot and vm_insert_page do', (t) => {
  const x = partial();
  t.is(insert_pfn(x.t, 0, x.vma, 1, 0, true, true), VM_FAULT_NOPAGE);
  t.not(x.pte(1), 0);
  t.is(insert_pfn(x.t, 0, x.vma, 1, 0, true, true), VM_FAULT_NOPAGE, 'a PTE another CPU set: nothing to do, still success');
  t.is(insert_pfn(x.t, 0, x.vma, 2, 0, true, true), VM_FAULT_SIGBUS);
  t.is(x.pte(2), 0);
  t.is(insert_page(x.t, 0, x.vma, 0, x.page0, true, true), 0);
  t.is(insert_page(x.t, 0, x.vma, 0, x.page0, true, true), EBUSY);
  t.is(insert_page(x.t, 0, x.vma, 3, x.page0, true, true), EFAULT);
  t.is(x.pte(3), 0);
});

test('prefault-past-vma-end: the proposal\'s helper does not look at the VMA', (t) => {
  const x = partial(['prefault-past-vma-end']);
  t.is(insert_pfn(x.t, 0, x.vma, 2, 0, true, true), VM_FAULT_NOPAGE);
  t.not(x.pte(2), 0);
});
