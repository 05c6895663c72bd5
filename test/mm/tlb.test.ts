import test from 'ava';
import { enter_lazy_tlb, flush_tlb_func, flush_tlb_local, flush_tlb_mm_range_send, leave_lazy_tlb, switch_mm, tlb_fill, tlb_lookup, type PendingAcks } from '../../src/mm/tlb.js';
import { mk_pte } from '../../src/mm/pte.js';
import { IPI_REQ, MM_CPUMASK, MM_TLB_GEN, TH_CUR_MM, TH_TLB_GEN } from '../../src/shm/layout.js';
import type { Task } from '../../src/kernel/task.js';
import { machine, type Machine } from '../check/machine.js';

/** Two CPUs on mm 0 (boot puts them there), TLBs of 8 entries in 2-way sets. */
function cpus(): { x: Machine; cpu0: Task; cpu1: Task } {
  const x = machine({ cpus: 2, processes: 2, tlbEntries: 8, tlbWays: 2 });
  x.m[x.lay.th(1, TH_CUR_MM)] = 0;
  x.m[x.lay.mmw(0, MM_CPUMASK)] = 0b11;
  x.m[x.lay.mmw(1, MM_CPUMASK)] = 0;
  return { x, cpu0: x.task(0), cpu1: x.task(1) };
}

const fill = (t: Task, ...vpns: number[]): void => vpns.forEach((v) => tlb_fill(t, v, mk_pte(v, false, true, false), 0));
const cached = (t: Task, ...vpns: number[]): boolean[] => vpns.map((v) => tlb_lookup(t, v) >= 0);

test('a fill is found by its vpn; a ranged flush drops only that range; past 33 pages it drops everything', (t) => {
  const { cpu0 } = cpus();
  fill(cpu0, 1, 2, 3);
  t.deepEqual(cached(cpu0, 1, 2, 3, 4), [true, true, true, false]);
  flush_tlb_local(cpu0, 2, 3);
  t.deepEqual(cached(cpu0, 1, 2, 3), [true, false, true]);
  fill(cpu0, 40);
  flush_tlb_local(cpu0, 100, 134);
  t.deepEqual(cached(cpu0, 1, 3, 40), [false, false, false], 'a 34-page range is a full flush');
});

test('a set holds tlbWays entries: a third vpn of one set evicts the first (round robin)', (t) => {
  const { x, cpu0 } = cpus();
  const sets = x.lay.tlbSets;
  fill(cpu0, 0, sets, 2 * sets);
  t.deepEqual(cached(cpu0, 0, sets, 2 * sets), [false, true, true]);
});

test('flush_tlb_func: nothing when already at the mm\'s generation; a partial flush for the single next one; a full flush when it fell further behind; never on another mm', (t) => {
  const { x, cpu1 } = cpus();
  const gen = x.lay.mmw(0, MM_TLB_GEN);
  const local = x.lay.th(1, TH_TLB_GEN);
  fill(cpu1, 1, 2);
  flush_tlb_func(cpu1, 0, 1, 2, 0);
  t.deepEqual(cached(cpu1, 1, 2), [true, true], 'local generation = mm generation: up to date');
  x.m[gen] = 1;
  flush_tlb_func(cpu1, 0, 1, 2, 1);
  t.deepEqual(cached(cpu1, 1, 2), [false, true], 'the next generation: only its range');
  t.is(x.m[local], 1);
  fill(cpu1, 1);
  x.m[gen] = 3;
  flush_tlb_func(cpu1, 0, 1, 2, 2);
  t.deepEqual(cached(cpu1, 1, 2), [false, false], 'two behind: everything');
  t.is(x.m[local], 3);
  fill(cpu1, 1);
  x.m[gen] = 4;
  flush_tlb_func(cpu1, 1, 1, 2, 4);
  t.deepEqual(cached(cpu1, 1), [true], 'a request for mm 1 on a CPU running mm 0');
});

test('a shootdown bumps the generation, flushes the sender at once and posts an IPI to every other CPU of the mm, but not to a lazy one', (t) => {
  const { x, cpu0, cpu1 } = cpus();
  fill(cpu0, 1);
  const pending: PendingAcks = [];
  flush_tlb_mm_range_send(cpu0, 0, 1, 2, pending);
  t.is(x.m[x.lay.mmw(0, MM_TLB_GEN)], 1);
  t.deepEqual(cached(cpu0, 1), [false]);
  t.deepEqual(pending, [1, 1], 'cpu1, request 1');
  t.is(x.m[x.lay.ipiBox(1, 0) + IPI_REQ], 1);
  enter_lazy_tlb(cpu1);
  const none: PendingAcks = [];
  flush_tlb_mm_range_send(cpu0, 0, 1, 2, none);
  t.deepEqual(none, [], 'the lazy CPU is skipped');
  fill(cpu1, 1);
  leave_lazy_tlb(cpu1);
  t.deepEqual(cached(cpu1, 1), [false], 'coming back it sees it fell behind and flushes');
  t.is(x.m[x.lay.th(1, TH_TLB_GEN)], 2);
});

test('switch_mm: the CPU leaves the old mm\'s cpumask, drops every translation, joins the new one at its generation', (t) => {
  const { x, cpu1 } = cpus();
  x.m[x.lay.mmw(1, MM_TLB_GEN)] = 7;
  fill(cpu1, 1, 2);
  switch_mm(cpu1, 1);
  t.is(x.m[x.lay.mmw(0, MM_CPUMASK)], 0b01);
  t.is(x.m[x.lay.mmw(1, MM_CPUMASK)], 0b10);
  t.deepEqual(cached(cpu1, 1, 2), [false, false]);
  t.is(x.m[x.lay.th(1, TH_CUR_MM)], 1);
  t.is(x.m[x.lay.th(1, TH_TLB_GEN)], 7);
});
