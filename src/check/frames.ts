// Frame oracle: no use of a freed frame, no double allocation or free, no reference taken on a
// page whose count already reached zero; and I4: when a frame is freed or copied out for good,
// no CPU's TLB may still reach it (lazy-TLB CPUs excepted: they run no user code and catch up
// on every flush they skipped before they do). That check reads other CPUs' TLBs, which is exact
// only while they stand still: deterministic runs only; free runs catch the stale access itself.
import type { Task } from '../kernel/task.js';
import { FO_GEN, FO_STATE, TH_CUR_MM, TH_LAZY, TLB_GEN, TLB_PTE, TLB_TAG } from '../shm/layout.js';
import { pte_frame } from '../mm/pte.js';
import { violation } from './violation.js';

/** `what`: "freed", "copied out of". */
export function check_no_tlb_reaches(t: Task, frame: number, what: string): void {
  const a = t.a;
  if (!a.sched.serial) return;
  const lay = t.lay;
  const gen = a.peek(lay.fo(frame, FO_GEN));
  for (let cpu = 0; cpu < t.cfg.cpus; cpu++) {
    if (a.peek(lay.th(cpu, TH_LAZY)) !== 0) continue;
    for (let slot = 0; slot < t.cfg.tlbEntries; slot++) {
      const tag = a.peek(lay.tlbEntry(cpu, slot, TLB_TAG));
      if (tag === 0 || a.peek(lay.tlbEntry(cpu, slot, TLB_GEN)) !== gen) continue;
      const pte = a.peek(lay.tlbEntry(cpu, slot, TLB_PTE));
      if (pte_frame(lay, pte) === frame) {
        tlb_still_reaches(t, frame, what, cpu, tag - 1, a.peek(lay.th(cpu, TH_CUR_MM)));
      }
    }
  }
}

function tlb_still_reaches(t: Task, frame: number, what: string, cpu: number, vpn: number, mm: number): never {
  violation(t, 'stale-tlb', `frame ${frame} ${what} while cpu${cpu}'s TLB still maps it (vpn ${vpn} of mm ${mm}): no flush reached that CPU first`, { addr: vpn, refs: { mm, vpn, cpu, frame } });
}

export function check_frame_alloc(t: Task, frame: number): void {
  if (t.a.peek(t.lay.fo(frame, FO_STATE)) !== 0) violation(t, 'frame-state', `frame ${frame} allocated twice`, { refs: { frame } });
}

export function check_frame_free(t: Task, frame: number): void {
  if (t.a.peek(t.lay.fo(frame, FO_STATE)) !== 1) violation(t, 'use-after-free', `frame ${frame} freed twice`, { refs: { frame } });
  check_no_tlb_reaches(t, frame, 'freed');
}

export function check_page_ref(t: Task, sysIdx: number, old: number, op: string): void {
  if (old <= 0) bad_page_ref(t, sysIdx, old, op);
}

/** The report, out of line: the check runs on every get_page/put_page. */
function bad_page_ref(t: Task, sysIdx: number, old: number, op: string): never {
  violation(t, 'use-after-free', `${op} on system page ${sysIdx} with refcount ${old}`, { refs: { frame: sysIdx } });
}
