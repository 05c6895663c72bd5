// mm->tlb_flush_pending (include/linux/mm_types.h): a batched PTE change announces itself before
// it touches a PTE and withdraws once its flush has completed, so that whoever finds one of those
// PTEs (cleared, or PROT_NONE) knows a TLB may still cache the old entry.
import type { Task } from '../kernel/task.js';
import { MM_FLUSH_PENDING } from '../shm/layout.js';
import { pte_present, pte_protnone } from './pte.js';

export function inc_tlb_flush_pending(t: Task, mm: number, lbl: number): void {
  t.a.add(t.lay.mmw(mm, MM_FLUSH_PENDING), 1, lbl);
}

/** Only once the flush has completed: the announcement covers TLBs that still hold the entries. */
export function dec_tlb_flush_pending(t: Task, mm: number, lbl: number): void {
  t.a.add(t.lay.mmw(mm, MM_FLUSH_PENDING), -1, lbl);
}

export function mm_tlb_flush_pending(t: Task, mm: number, lbl: number): boolean {
  return t.a.load(t.lay.mmw(mm, MM_FLUSH_PENDING), lbl) > 0;
}

/** Someone besides the caller (who announced itself) has a batched change in flight. */
export function mm_tlb_flush_nested(t: Task, mm: number, lbl: number): boolean {
  return t.a.load(t.lay.mmw(mm, MM_FLUSH_PENDING), lbl) > 1;
}

/** pte_accessible (x86): could a TLB still hold this entry? A PROT_NONE entry can, while a
 * protection change on the mm has not flushed yet. */
export function pte_accessible(t: Task, mm: number, pte: number, lbl: number): boolean {
  if (!pte_present(pte)) return false;
  return !pte_protnone(pte) || mm_tlb_flush_pending(t, mm, lbl);
}
