// TLB coherence at PTE-write time: once a PTE holds a new present entry, no CPU running that mm
// may still cache a translation of the address that the new entry does not allow (another
// frame, or write or any access the entry no longer grants), unless a flush that will remove it
// is already on its way: an IPI posted to that CPU and not yet acknowledged, or the mm's
// tlb_flush_pending raised by a batch that flushes before it drops it. A COW or a migration that
// sets the new entry before it flushes the old one breaks this. Lazy-TLB CPUs are excepted (they
// catch up before any user access). It reads other CPUs' TLBs: deterministic mode only, where
// they stand still (as I4 in frames.ts).
// At the return of a call that took access away (munmap, mprotect to PROT_NONE, mremap's old
// range), under the mmap_lock it still holds so nothing can map the range again: no such CPU may
// still cache a translation in the range, with the same exception for a flush on its way. A
// batched unmap's deferred flush is not on its way: the caller had to flush it (3ea277194daa).
import type { Task } from '../kernel/task.js';
import {
  IPI_ACK, IPI_END, IPI_MM, IPI_REQ, IPI_START, MM_FLUSH_PENDING, TH_CUR_MM, TH_LAZY, TLB_PTE, TLB_TAG,
} from '../shm/layout.js';
import { pte_frame, pte_mmu_valid, pte_write } from '../mm/pte.js';
import { violation } from './violation.js';

/** Call right after the store of `pte` at vpn of mm, with no scheduling point in between. */
export function check_tlb_coherent(t: Task, mm: number, vpn: number, pte: number): void {
  const a = t.a;
  if (!a.sched.serial) return;
  const lay = t.lay;
  const ways = t.cfg.tlbWays;
  const first = (vpn % lay.tlbSets) * ways;
  for (let cpu = 0; cpu < t.cfg.cpus; cpu++) {
    if (a.peek(lay.th(cpu, TH_CUR_MM)) !== mm || a.peek(lay.th(cpu, TH_LAZY)) !== 0) continue;
    for (let slot = first; slot < first + ways; slot++) {
      if (a.peek(lay.tlbEntry(cpu, slot, TLB_TAG)) !== vpn + 1) continue;
      const cached = a.peek(lay.tlbEntry(cpu, slot, TLB_PTE));
      if (covers(t, cached, pte) || flush_pending(t, cpu, mm, vpn)) continue;
      incoherent(t, cpu, mm, vpn, cached, pte);
    }
  }
}

/** `what` names the call for the report ("munmap"). */
export function check_tlb_revoked(t: Task, mm: number, start: number, end: number, what: string): void {
  const a = t.a;
  if (!a.sched.serial) return;
  const lay = t.lay;
  for (let cpu = 0; cpu < t.cfg.cpus; cpu++) {
    if (a.peek(lay.th(cpu, TH_CUR_MM)) !== mm || a.peek(lay.th(cpu, TH_LAZY)) !== 0) continue;
    for (let slot = 0; slot < t.cfg.tlbEntries; slot++) {
      const vpn = a.peek(lay.tlbEntry(cpu, slot, TLB_TAG)) - 1;
      if (vpn < start || vpn >= end || flush_pending(t, cpu, mm, vpn)) continue;
      still_cached(t, cpu, mm, vpn, a.peek(lay.tlbEntry(cpu, slot, TLB_PTE)), what);
    }
  }
}

/** The cached entry allows nothing the new one does not: same frame, no write unless writable. */
function covers(t: Task, cached: number, pte: number): boolean {
  return pte_mmu_valid(pte) && pte_frame(t.lay, cached) === pte_frame(t.lay, pte) && (pte_write(pte) || !pte_write(cached));
}

function flush_pending(t: Task, cpu: number, mm: number, vpn: number): boolean {
  const a = t.a;
  const lay = t.lay;
  if (a.peek(lay.mmw(mm, MM_FLUSH_PENDING)) > 0) return true;
  for (let sender = 0; sender < lay.threads; sender++) {
    const box = lay.ipiBox(cpu, sender);
    if (a.peek(box + IPI_REQ) === a.peek(box + IPI_ACK) || a.peek(box + IPI_MM) !== mm) continue;
    if (a.peek(box + IPI_START) <= vpn && vpn < a.peek(box + IPI_END)) return true;
  }
  return false;
}

function still_cached(t: Task, cpu: number, mm: number, vpn: number, cached: number, what: string): never {
  const frame = pte_frame(t.lay, cached);
  violation(t, 'tlb-after-return', `${what} returned while cpu${cpu}'s TLB still maps vpn ${vpn} of mm ${mm} (frame ${frame}) and no flush for it is pending`, { addr: vpn, refs: { mm, vpn, cpu, frame } });
}

function incoherent(t: Task, cpu: number, mm: number, vpn: number, cached: number, pte: number): never {
  const hex = (v: number): string => `0x${(v >>> 0).toString(16)}`;
  violation(t, 'tlb-coherence', `PTE at vpn ${vpn} of mm ${mm} set to ${hex(pte)} (frame ${pte_frame(t.lay, pte)}) while cpu${cpu}'s TLB still holds ${hex(cached)} (frame ${pte_frame(t.lay, cached)}) and no flush for it is pending`, { addr: vpn, refs: { mm, vpn, cpu, frame: pte_frame(t.lay, cached) } });
}
