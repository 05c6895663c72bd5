// Translation oracle, on every access through the TLB: the frame must not have been freed since
// the entry was filled (its generation still matches) and must still be the backing of the page
// the CPU meant to reach, or the process's own copy of it (copy on write). Either failing means a
// CPU used a stale translation. A store through a private mapping must reach the process's own
// copy: one that reaches the object's page bypassed copy on write (Dirty COW's effect: the
// process's private write lands in memory everyone shares). On every TLB fill: the walker found a
// PTE inside a live VMA (no PTE may outlive or precede its VMA). Live includes a VMA munmap has
// detached from the tree and not yet freed: its PTEs stay until the zap, and the MMU walks them.
import type { Task } from '../kernel/task.js';
import { FO_GEN, PG_ANON, VMA_ATTACHED, VMA_END, VMA_FLAGS, VMA_FREE, VMA_START, VM_SHARED } from '../shm/layout.js';
import { backingFrame } from '../shm/words.js';
import { violation } from './violation.js';
import { vma_slot_of } from '../mm/vma.js';

/** Returns true when the frame is this process's private (COW) copy of the page. */
export function check_translation(t: Task, frame: number, gen: number, mm: number, vpn: number, obj: number, page: number, write: boolean): boolean {
  const a = t.a;
  const lay = t.lay;
  if (a.peek(lay.fo(frame, FO_GEN)) !== gen) freed_since_fill(t, frame, mm, vpn, obj);
  const backing = backingFrame(lay, t.m, obj, page);
  if (backing === frame) {
    // the VMA cannot change under the access: its unmapper waits for this CPU's flush ack
    if (write && (a.peek(window_vma(t, mm, vpn) + VMA_FLAGS) & VM_SHARED) === 0) cow_bypass(t, frame, mm, vpn, obj, page);
    return false;
  }
  if (frame < lay.sysFrames && a.peek(lay.page(frame, PG_ANON)) === lay.anonId(mm, obj, page)) return true;
  not_the_backing(t, frame, backing, mm, vpn, obj, page);
}

// The reports, kept out of the check (which runs on every access) so it stays small.
function freed_since_fill(t: Task, frame: number, mm: number, vpn: number, obj: number): never {
  violation(t, 'stale-tlb', `access at vpn ${vpn} through a TLB entry for frame ${frame}, freed since the entry was filled`, { addr: vpn, obj, refs: { mm, vpn, cpu: t.tid, frame } });
}

function cow_bypass(t: Task, frame: number, mm: number, vpn: number, obj: number, page: number): never {
  violation(t, 'cow-bypass', `a store at vpn ${vpn} through mm ${mm}'s private mapping reached the object's own frame ${frame} (object ${obj} page ${page}), not a copy`, { addr: vpn, obj, refs: { mm, vpn, cpu: t.tid, frame } });
}

function not_the_backing(t: Task, frame: number, backing: number, mm: number, vpn: number, obj: number, page: number): never {
  violation(t, 'stale-tlb', `access at vpn ${vpn} (object ${obj} page ${page}) reached frame ${frame}, but the page now lives in frame ${backing}`, { addr: vpn, obj, refs: { mm, vpn, cpu: t.tid, frame } });
}

/** The VMA slot of the window vpn lies in (each window holds one object's mapping). */
function window_vma(t: Task, mm: number, vpn: number): number {
  return t.lay.vma(mm, vma_slot_of(t, vpn), 0);
}

export function check_pte_in_vma(t: Task, mm: number, vpn: number, obj: number): void {
  const a = t.a;
  const vma = window_vma(t, mm, vpn);
  if (a.peek(vma + VMA_ATTACHED) === VMA_FREE || vpn < a.peek(vma + VMA_START) || vpn >= a.peek(vma + VMA_END)) pte_outside_vma(t, mm, vpn, obj);
}

function pte_outside_vma(t: Task, mm: number, vpn: number, obj: number): never {
  violation(t, 'pte-outside-vma', `the MMU loaded a translation for vpn ${vpn} in mm ${mm}, which no live VMA covers`, { addr: vpn, obj, refs: { mm, vpn, cpu: t.tid } });
}
