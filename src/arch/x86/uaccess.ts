// One user load or store on a CPU: TLB → page walk → fault, as the MMU and the arch fault
// handler (arch/x86/mm/fault.c) do it, with the oracles checking every access that goes through
// a translation. The data oracle and the fault clock are the task's (t.data, t.faultClock).
import type { Task } from '../../kernel/task.js';
import { FO_GEN, ST_ACCESSES, ST_SEGV, ST_TLB_HITS, TLB_GEN, TLB_PTE, TLB_TAG } from '../../shm/layout.js';
import { label } from '../../sched/labels.js';
import { do_user_addr_fault } from '../../mm/fault.js';
import { walk } from '../../mm/pgtable.js';
import { pte_frame, pte_mmu_valid, pte_write } from '../../mm/pte.js';
import { tlb_fill, tlb_lookup, tlb_word } from '../../mm/tlb.js';
import { check_pte_in_vma, check_translation } from '../../check/translation.js';
import { violation } from '../../check/violation.js';

const L_LOAD = label('user:load');
const L_STORE = label('user:store');

/** Refaults allowed for one access before it counts as a livelock. */
const MAX_TRIES = 100_000;

export interface FaultClock {
  /** called around each fault with its duration in nanoseconds */
  record(ns: number): void;
}

/** An access to word w of page `page` of `obj`, at the address the program believes the object
 * is mapped at (vpn). Returns false when the address is not mapped (the program would get
 * SIGSEGV), or, with `mayFault` false (pagefault_disable, copy_from_user_inatomic), when it is
 * not present. */
export function user_access(t: Task, vpn: number, obj: number, page: number, w: number, write: boolean, mayFault = true): boolean {
  const a = t.a;
  const lay = t.lay;
  const mm = a.local(t.curMmWord);
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    // the instruction starts: from here its translation and its access are one step, so the
    // oracle checks the translation at the moment the access really happens
    a.point(write ? L_STORE : L_LOAD, -1, write);
    let slot = tlb_lookup(t, vpn);
    if (slot >= 0 && write && !pte_write(a.local(tlb_word(t, slot, TLB_PTE)))) {
      // a store through a read-only entry raises a protection fault; the access walks again after it
      a.setLocal(tlb_word(t, slot, TLB_TAG), 0);
      slot = -1;
    }
    const hit = slot >= 0;
    if (!hit) {
      const pte = walk(t, mm, vpn);
      if (!pte_mmu_valid(pte) || (write && !pte_write(pte))) {
        if (!mayFault) return false;
        const clock = t.faultClock;
        const t0 = clock === null ? 0 : performance.now();
        const err = do_user_addr_fault(t, mm, vpn, write);
        if (clock !== null) clock.record((performance.now() - t0) * 1e6);
        if (err !== 0) {
          t.count(ST_SEGV);
          return false;
        }
        continue;
      }
      // the walker fills the TLB and the access goes through that entry, as the MMU does (no
      // second lookup); the generation is the oracle's snapshot of the frame at fill time
      const frame = pte_frame(lay, pte);
      check_pte_in_vma(t, mm, vpn, obj);
      slot = tlb_fill(t, vpn, pte, a.peek(lay.fo(frame, FO_GEN)));
    }
    const e = tlb_word(t, slot, 0);
    const pte = a.local(e + TLB_PTE);
    const frame = pte_frame(lay, pte);
    const gen = a.local(e + TLB_GEN);
    // a private copy (COW) holds this process's own data, checked per process
    const priv = check_translation(t, frame, gen, mm, vpn, obj, page, write);
    const g = (obj * t.cfg.pages + page) * t.cfg.wordsPerPage + w;
    const idx = lay.word(frame, w);
    const data = t.data;
    if (write) a.insnStore(idx, priv ? data.priv.write(mm, g, frame, gen) : data.nextToken(g));
    else if (priv) data.priv.checkLoad(mm, g, a.insnLoad(idx), frame, gen, vpn);
    else data.checkLoad(g, a.insnLoad(idx), vpn, obj);
    t.count(ST_ACCESSES);
    if (hit && tries === 0) t.count(ST_TLB_HITS);
    return true;
  }
  livelock(t, vpn, obj);
}

function livelock(t: Task, vpn: number, obj: number): never {
  violation(t, 'livelock', `access at vpn ${vpn} still faulting after ${MAX_TRIES} tries`, { addr: vpn, obj });
}
