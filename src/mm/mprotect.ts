// mprotect between PROT_NONE and read-write, under mmap_sem for write (change_protection_range).
// The PTEs are changed in a batch and flushed once at the end; meanwhile other CPUs may still
// hold the old writable translations. The batch announces itself in tlb_flush_pending so that
// anyone clearing one of these PROT_NONE entries knows a TLB may still cache it (race R4).
import type { Task } from '../kernel/task.js';
import { PG_ANON, ST_MPROTECTS, VMA_END, VMA_FLAGS, VMA_START, VM_READ, VM_SHARED, VM_WRITE } from '../shm/layout.js';
import { label } from '../sched/labels.js';
import { spin_lock, spin_unlock } from '../locking/spinlock.js';
import { pgd_index, pte_page } from './pgtable.js';
import { pte_mkaccessible, pte_mkprotnone, pte_present } from './pte.js';
import { find_vma } from './vma.js';
import { ptep_modify_prot, vm_normal_page } from './memory.js';
import { mmap_write_lock, mmap_write_unlock, vma_start_write } from './mmap_lock.js';
import { flush_tlb_mm_range } from './tlb.js';
import { dec_tlb_flush_pending, inc_tlb_flush_pending } from './flush_pending.js';
import { flush_tlb_batched_pending } from './tlb_batch.js';
import { check_tlb_revoked } from '../check/tlb_coherence.js';

const L_MPROTECT = label('mprotect:mmap_sem');
const L_VMA = label('mprotect:vma');
const L_PTL = label('change_pte_range:ptl');
const L_PENDING = label('tlb:flush_pending');

/** mprotect of the whole VMA at vpn: PROT_NONE when `none`, else read-write. */
export function do_mprotect(t: Task, mm: number, vpn: number, none: boolean): boolean {
  const a = t.a;
  mmap_write_lock(t, mm, L_MPROTECT);
  const slot = find_vma(t, mm, vpn);
  if (slot >= 0) {
    vma_start_write(t, mm, slot);
    const vma = t.lay.vma(mm, slot, 0);
    const flags = a.load(vma + VMA_FLAGS, L_VMA) & ~(VM_READ | VM_WRITE);
    a.store(vma + VMA_FLAGS, flags | (none ? 0 : VM_READ | VM_WRITE), L_VMA);
    change_protection(t, mm, vma, a.load(vma + VMA_START, L_VMA), a.load(vma + VMA_END, L_VMA), none, (flags & VM_SHARED) !== 0);
    t.count(ST_MPROTECTS);
  }
  mmap_write_unlock(t, mm, L_MPROTECT);
  return slot >= 0;
}

function is_anon(t: Task, vma: number, vpn: number, pte: number): boolean {
  const page = vm_normal_page(t, vma, vpn, pte, L_PTL);
  return page >= 0 && t.a.load(t.lay.page(page, PG_ANON), L_PTL) !== 0;
}

/** Changes [start, end) of the VMA at `vma` to PROT_NONE or back. In a private mapping only the
 * process's own (anonymous) pages become writable again: the others must still copy on write. */
function change_protection(t: Task, mm: number, vma: number, start: number, end: number, none: boolean, shared: boolean): void {
  const a = t.a;
  // before 2013 there was no such announcement (race R4)
  const announce = !t.bugs.mprotectNoFlushPending;
  if (announce) inc_tlb_flush_pending(t, mm, L_PENDING);
  let changed = false;
  const ptrs = t.cfg.ptrsPerPte;
  for (let vpn = start; vpn < end; ) {
    const tableEnd = Math.min(end, (pgd_index(t, vpn) + 1) * ptrs);
    const pp = pte_page(t, mm, vpn, L_PTL);
    if (pp >= 0) {
      spin_lock(t, t.lay.ptlOf(pp), L_PTL);
      // a PTE a batched unmap cleared is skipped below, and its flush may still be deferred
      flush_tlb_batched_pending(t, mm);
      for (let v = vpn; v < tableEnd; v++) {
        const ptep = t.lay.pte(pp, v % ptrs);
        const pte = a.load(ptep, L_PTL);
        if (!pte_present(pte)) continue;
        ptep_modify_prot(t, mm, v, ptep, none ? pte_mkprotnone(pte) : pte_mkaccessible(pte, shared || is_anon(t, vma, v, pte)), L_PTL);
        changed = true;
      }
      spin_unlock(t, t.lay.ptlOf(pp), L_PTL);
    }
    vpn = tableEnd;
  }
  // one flush for the whole batch, after every PTL is dropped
  if (changed) flush_tlb_mm_range(t, mm, start, end);
  if (announce) dec_tlb_flush_pending(t, mm, L_PENDING);
  if (none) check_tlb_revoked(t, mm, start, end, 'mprotect(PROT_NONE)');
}
