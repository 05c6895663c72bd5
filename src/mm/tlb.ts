// The per-CPU TLB (set-associative, no ASIDs: a context switch flushes it) and TLB shootdown:
// flush_tlb_mm_range bumps the mm's tlb_gen, IPIs every other CPU in mm_cpumask and waits for
// all acknowledgements, as x86's native_flush_tlb_multi does with wait=1.
import type { Task } from '../kernel/task.js';
import { MM_CPUMASK, MM_TLB_GEN, ST_SHOOTDOWNS, TH_LAZY, TH_TLB_GEN, TLB_GEN, TLB_PTE, TLB_STRIDE, TLB_TAG } from '../shm/layout.js';
import { label } from '../sched/labels.js';
import { OPEN_SHOOTDOWN } from '../profile/probe.js';
import { smp_send, smp_wait_ack } from '../kernel/smp.js';

const L_GEN = label('tlb:flush:gen');
const L_MASK = label('tlb:flush:cpumask');
const L_SWITCH = label('switch_mm');
const L_LAZY = label('switch_mm:lazy_tlb');

/** TH_LAZY: 0 running the user mm, 1 lazy, 2 leaving lazy mode (catching up on flushes) */
const LAZY_ON = 1;
const LAZY_LEAVING = 2;

/** The end of a whole-mm flush: past the ceiling, and still a vpn an IPI's Int32 word can hold. */
const TLB_FLUSH_ALL = 0x7fffffff;

/** A shootdown sent and not yet acknowledged: [cpu, seq] pairs. */
export type PendingAcks = number[];

/** The word of TLB slot `slot` on this CPU (t.tlbBase is the CPU's first TLB word). */
export function tlb_word(t: Task, slot: number, field: number): number {
  return t.tlbBase + slot * TLB_STRIDE + field;
}

/** The TLB slot holding vpn, or -1. */
export function tlb_lookup(t: Task, vpn: number): number {
  const a = t.a;
  const ways = t.cfg.tlbWays;
  const first = (vpn % t.lay.tlbSets) * ways;
  const tag = vpn + 1;
  // the set's entries are consecutive: step the tag word through them
  for (let w = 0, e = tlb_word(t, first, TLB_TAG); w < ways; w++, e += TLB_STRIDE) {
    if (a.local(e) === tag) return first + w;
  }
  return -1;
}

export function tlb_fill(t: Task, vpn: number, pte: number, gen: number): number {
  const ways = t.cfg.tlbWays;
  const slot = (vpn % t.lay.tlbSets) * ways + (t.tlbVictim++ % ways);
  const e = tlb_word(t, slot, 0);
  const a = t.a;
  a.setLocal(e + TLB_TAG, vpn + 1);
  a.setLocal(e + TLB_PTE, pte);
  a.setLocal(e + TLB_GEN, gen);
  return slot;
}

/** Invalidates [start, end) on this CPU, or everything when the range passes the ceiling (x86's
 * tlb_single_page_flush_ceiling, 33 pages: --flush-ceiling). */
export function flush_tlb_local(t: Task, start: number, end: number): void {
  if (end - start > t.cfg.flushCeiling) {
    for (let s = 0; s < t.cfg.tlbEntries; s++) t.a.setLocal(tlb_word(t, s, TLB_TAG), 0);
    return;
  }
  for (let vpn = start; vpn < end; vpn++) {
    const slot = tlb_lookup(t, vpn);
    if (slot >= 0) t.a.setLocal(tlb_word(t, slot, TLB_TAG), 0);
  }
}

/**
 * The IPI handler (flush_tlb_func), with x86's generation logic: nothing to do if this CPU is
 * already flushed up to the mm's tlb_gen; a partial flush only if this request is the single
 * next generation; otherwise a full flush. The generation reached is recorded either way.
 */
export function flush_tlb_func(t: Task, mm: number, start: number, end: number, gen: number): void {
  const a = t.a;
  if (a.local(t.curMmWord) !== mm) return;
  const genWord = t.lay.th(t.tid, TH_TLB_GEN);
  const local = a.local(genWord);
  const mmGen = a.load(t.lay.mmw(mm, MM_TLB_GEN), L_GEN);
  if (local === mmGen) return;
  if (gen === local + 1 && gen === mmGen) flush_tlb_local(t, start, end);
  else flush_tlb_local(t, 0, Number.MAX_SAFE_INTEGER);
  a.setLocal(genWord, mmGen);
}

/** Sends the shootdown for [start, end) of mm; appends the acks still to wait for to `pending`
 * (the caller's array, reused, so a shootdown allocates nothing). */
export function flush_tlb_mm_range_send(t: Task, mm: number, start: number, end: number, pending: PendingAcks): void {
  const a = t.a;
  const gen = a.add(t.lay.mmw(mm, MM_TLB_GEN), 1, L_GEN) + 1;
  const mask = a.load(t.lay.mmw(mm, MM_CPUMASK), L_MASK);
  for (let cpu = 0; cpu < t.cfg.cpus; cpu++) {
    if ((mask & (1 << cpu)) === 0) continue;
    if (cpu === t.tid) flush_tlb_func(t, mm, start, end, gen);
    // should_flush_tlb: a lazy CPU is skipped; it compares generations when it comes back
    else if (a.load(t.lay.th(cpu, TH_LAZY), L_MASK) !== LAZY_ON) pending.push(cpu, smp_send(t, cpu, mm, start, end, gen));
  }
  t.count(ST_SHOOTDOWNS);
}

export function flush_tlb_wait(t: Task, pending: PendingAcks): void {
  if (pending.length === 0) return;
  const since = t.probe.open(OPEN_SHOOTDOWN, pending.length / 2);
  for (let i = 0; i < pending.length; i += 2) smp_wait_ack(t, pending[i] as number, pending[i + 1] as number);
  t.probe.span('shootdown', 'tlb', since, { cpus: pending.length / 2 });
  pending.length = 0;
}

export function flush_tlb_mm_range(t: Task, mm: number, start: number, end: number): void {
  const pending: PendingAcks = [];
  flush_tlb_mm_range_send(t, mm, start, end, pending);
  flush_tlb_wait(t, pending);
}

/** flush_tlb_mm: every translation of mm, on every CPU running it. */
export function flush_tlb_mm(t: Task, mm: number): void {
  flush_tlb_mm_range(t, mm, 0, TLB_FLUSH_ALL);
}

/** Context switch on a CPU: leave prev's cpumask, drop every translation, join next's. */
export function switch_mm(t: Task, next: number): void {
  const a = t.a;
  const cur = t.curMmWord;
  const prev = a.local(cur);
  if (prev >= 0) a.and(t.lay.mmw(prev, MM_CPUMASK), ~(1 << t.tid), L_SWITCH);
  flush_tlb_local(t, 0, Number.MAX_SAFE_INTEGER);
  if (next >= 0) {
    a.or(t.lay.mmw(next, MM_CPUMASK), 1 << t.tid, L_SWITCH);
    // join the mask first, then read the generation: a flusher either sees us or we see it
    a.setLocal(t.lay.th(t.tid, TH_TLB_GEN), a.load(t.lay.mmw(next, MM_TLB_GEN), L_SWITCH));
  }
  a.setLocal(cur, next);
}

/** The CPU switches to a kernel thread and keeps the user mm loaded (lazy TLB mode): it stays in
 * mm_cpumask but flushers skip it. */
export function enter_lazy_tlb(t: Task): void {
  t.a.store(t.lay.th(t.tid, TH_LAZY), LAZY_ON, L_LAZY);
}

/** Back to the same user mm: leave lazy mode (flushers send to us again from here on), then
 * catch up on every flush that skipped us. Until the catch-up is done the CPU is "leaving"
 * (TH_LAZY 2): flushers treat it as not lazy, the oracles know its stale entries are about to
 * go before any user access. */
export function leave_lazy_tlb(t: Task): void {
  const a = t.a;
  const lazy = t.lay.th(t.tid, TH_LAZY);
  a.store(lazy, LAZY_LEAVING, L_LAZY);
  const mm = a.local(t.curMmWord);
  if (mm >= 0 && !t.bugs.lazyTlbNoGenCheck) {
    const genWord = t.lay.th(t.tid, TH_TLB_GEN);
    const mmGen = a.load(t.lay.mmw(mm, MM_TLB_GEN), L_LAZY);
    if (a.local(genWord) !== mmGen) {
      flush_tlb_local(t, 0, Number.MAX_SAFE_INTEGER);
      a.setLocal(genWord, mmGen);
    }
  }
  a.store(lazy, 0, L_LAZY);
}
