import test from 'ava';
import { EBUSY, EFAULT, insert_page, insert_pfn } from '../../src/mm/memory.js';
import { pte_page } from '../../src/mm/pgtable.js';
import { VMA_END } from '../../src/shm/layout.js';
import { VM_FAULT_NOPAGE, VM_FAULT_SIGBUS } from '../../src/mm/vm_fault.js';
import type { BugName } from '../../src/bugs/switches.js';
import { fired, machine } from '../check/machine.js';

/** A booted one-CPU machine whose mm 0 maps only pages [0, 2) of object 0 (a partial mapping). */
function partial(bugs: BugName[] = []) {
  const { cfg, m, lay, task } = machine({ cpus: 1, migrators: 0, processes: 1, objects: 1, bugs });
  m[lay.vma(0, 0, VMA_END)] = 2;
  const t = task(0);
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

test('insert_pfn tolerates the race it was designed for: a second installer leaves the first one\'s PTE as it is; remap-bug-on-set overwrites it and pte-overwrite fires', (t) => {
  const x = partial();
  insert_pfn(x.t, 0, x.vma, 0, 3, true, true);
  const first = x.pte(0);
  t.is(insert_pfn(x.t, 0, x.vma, 0, 5, true, true), VM_FAULT_NOPAGE);
  t.is(x.pte(0), first, 'the loser of the race changes nothing');
  const y = partial(['remap-bug-on-set']);
  insert_pfn(y.t, 0, y.vma, 0, 3, true, true);
  t.is(fired(() => insert_pfn(y.t, 0, y.vma, 0, 5, true, true)), 'pte-overwrite');
});
