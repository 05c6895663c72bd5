// The mutation test's mutants (issue 10 §5): protocol mistakes a kernel or driver engineer could
// make, each a small edit of the model's real source, none of them a catalog bug switch. They were
// written before any was measured and are kept as written: a mutant may be fixed only when its
// patch no longer applies or does not compile. `args` only makes the mutated code reachable
// (the per-VMA-lock code runs with --fault-lock vma); it is never tuned to the results.

/** One text edit: `find` occurs exactly once in the file (as the edits before it left it). */
export interface Edit {
  find: string;
  replace: string;
}

export interface Mutant {
  id: string;
  /** the source file, from the project root */
  file: string;
  /** the mistake as text edits, applied in order (most mutants need one) */
  edits: readonly Edit[];
  /** the mistake, in kernel terms */
  why: string;
  /** explore and stress flags the mutated code needs to run at all */
  args?: string[];
  /** an equivalent mutant: why no schedule of this model can tell it from the original (found by
   * instrumenting the mutated window after the measurement; it stays in the set and is searched,
   * and the kill ratio is given over all mutants and over the others) */
  equivalent?: string;
}

const VMA_LOCK = ['--fault-lock', 'vma'];

export const MUTANTS: readonly Mutant[] = [
  {
    id: 'fault-retry-double-unlock',
    file: 'src/mm/fault.ts',
    edits: [{
      find: `      // ->fault already dropped mmap_sem; the retry may not drop it again
      flags |= FAULT_FLAG_TRIED;`,
      replace: `      up_read(t, sem, L_MMAP_SEM);
      flags |= FAULT_FLAG_TRIED;`,
    }],
    why: 'I8: the arch code releases mmap_lock after VM_FAULT_RETRY, though ->fault already dropped it',
  },
  {
    id: 'fault-unlock-page-before-install',
    file: 'src/mm/fault.ts',
    edits: [{
      find: `  finish_fault(t, vmf);
  unlock_page(t, vmf.page);`,
      replace: `  unlock_page(t, vmf.page);
  finish_fault(t, vmf);`,
    }],
    why: 'do_fault drops the page lock before finish_fault installs the PTE: the mover\'s lock_page + mapcount check no longer excludes the install (R2 from the fault side)',
    equivalent: 'the fault holds its page reference from before unlock_page until the PTE owns it, and both takers of a page (the TTM move, page migration) give up on an extra reference (page_ref_freezable, folio_ref_freeze): the page lock is redundant with that check here, as no path removes a page under the page lock alone (truncate does in Linux)',
  },
  {
    id: 'insert-page-check-outside-ptl',
    file: 'src/mm/memory.ts',
    edits: [{
      find: `  const ptep = get_locked_pte(t, mm, vpn, lbl);
  const a = t.a;
  const busy = a.load(ptep, lbl) !== 0;`,
      replace: `  const a = t.a;
  const pp = pte_alloc(t, mm, vpn);
  const ptep = t.lay.pte(pp, pte_index(t, vpn));
  const busy = a.load(ptep, lbl) !== 0;
  spin_lock(t, t.lay.ptlOf(pp), lbl);`,
    }],
    why: 'I1: insert_page tests pte_none before taking the PTL; two installers both see none and the second overwrites',
  },
  {
    id: 'zap-skips-last-pte',
    file: 'src/mm/memory.ts',
    edits: [{
      find: `      for (let v = vpn; v < tableEnd; v++) {`,
      replace: `      for (let v = vpn; v < tableEnd - 1; v++) {`,
    }],
    why: 'off-by-one in zap_pte_range: the half-open end is decremented again, so the last PTE of each table (of a one-page zap: the only one) survives the unmap (I3)',
  },
  {
    id: 'gather-range-end-inclusive',
    file: 'src/mm/mmu_gather.ts',
    edits: [{
      find: `    if (vpn + 1 > this.end) this.end = vpn + 1;`,
      replace: `    if (vpn > this.end) this.end = vpn;`,
    }],
    why: 'tlb_remove_tlb_entry records an inclusive end in a half-open range: the last cleared page is never flushed, a one-page zap flushes nothing',
  },
  {
    id: 'flush-pending-dec-before-flush',
    file: 'src/mm/mmu_gather.ts',
    edits: [{
      find: `  if (defer === undefined) tlb_flush_mmu_tlbonly(t, tlb);
  else if (tlb.end > tlb.start && !t.bugs.noTlbFlush) flush_tlb_mm_range_send(t, tlb.mm, tlb.start, tlb.end, defer);
  const pages = tlb.pages;
  for (let i = 0; i < tlb.npages; i++) put_page(t, pages[i] as number);
  tlb.npages = 0;
  dec_tlb_flush_pending(t, tlb.mm, L_PENDING);`,
      replace: `  dec_tlb_flush_pending(t, tlb.mm, L_PENDING);
  if (defer === undefined) tlb_flush_mmu_tlbonly(t, tlb);
  else if (tlb.end > tlb.start && !t.bugs.noTlbFlush) flush_tlb_mm_range_send(t, tlb.mm, tlb.start, tlb.end, defer);
  const pages = tlb.pages;
  for (let i = 0; i < tlb.npages; i++) put_page(t, pages[i] as number);
  tlb.npages = 0;`,
    }],
    why: 'dec_tlb_flush_pending before the flush has completed: a nested zapper or pte_accessible sees no pending flush while TLBs still hold the entries (mm_inline.h contract)',
  },
  {
    id: 'flush-func-partial-on-stale-gen',
    file: 'src/mm/tlb.ts',
    edits: [{
      find: `  if (gen === local + 1 && gen === mmGen) flush_tlb_local(t, start, end);`,
      replace: `  if (gen === local + 1) flush_tlb_local(t, start, end);`,
    }],
    why: 'flush_tlb_func flushes only this request\'s range while recording the newer mm tlb_gen: the ranges of flushes still in flight are skipped when their IPIs arrive (x86 requires the single next and latest generation for a partial flush)',
  },
  {
    id: 'flush-skips-leaving-lazy-cpu',
    file: 'src/mm/tlb.ts',
    edits: [{
      find: `    else if (a.load(t.lay.th(cpu, TH_LAZY), L_MASK) !== LAZY_ON) pending.push(`,
      replace: `    else if (a.load(t.lay.th(cpu, TH_LAZY), L_MASK) === 0) pending.push(`,
    }],
    why: 'should_flush_tlb treats a CPU that is leaving lazy TLB mode as still lazy and skips it, after it may already have compared tlb_gen',
  },
  {
    id: 'lazy-leave-gen-check-while-lazy',
    file: 'src/mm/tlb.ts',
    edits: [{
      find: `  a.store(lazy, LAZY_LEAVING, L_LAZY);
  const mm = a.local(t.curMmWord);`,
      replace: `  const mm = a.local(t.curMmWord);`,
    }],
    why: 'leaving lazy TLB mode, the CPU compares tlb_gen before flushers can see it again (x86 joins the mask, then reads tlb_gen): a flush between the check and the switch back is missed',
  },
  {
    id: 'unmap-without-i-mmap-lock',
    file: 'src/mm/rmap.ts',
    edits: [
      { find: `  down_read(t, lay.iMmap, lbl);\n`, replace: `` },
      { find: `  up_read(t, lay.iMmap, lbl);\n`, replace: `` },
    ],
    why: 'the reverse-map walk (unmap_mapping_range, page migration) runs without i_mmap_rwsem: an mremap or munmap rewrites the reverse map under the walk',
  },
  {
    id: 'ptep-flush-before-clear',
    file: 'src/mm/migrate.ts',
    edits: [{
      find: `  t.a.store(ptep, 0, L_PTL);
  if (pte_accessible(t, mm, pte, L_PTL)) flush_tlb_mm_range(t, mm, vpn, vpn + 1);`,
      replace: `  if (pte_accessible(t, mm, pte, L_PTL)) flush_tlb_mm_range(t, mm, vpn, vpn + 1);
  t.a.store(ptep, 0, L_PTL);`,
    }],
    why: 'ptep_clear_flush flushes first and clears after: a CPU\'s page walk refills its TLB from the still-present PTE in between, and migration then copies and frees the page under it',
  },
  {
    id: 'mprotect-cow-page-writable',
    file: 'src/mm/mprotect.ts',
    edits: [{
      find: `  return page >= 0 && t.a.load(t.lay.page(page, PG_ANON), L_PTL) !== 0;`,
      replace: `  return page >= 0;`,
    }],
    why: 'making a private mapping writable again, change_pte_range takes "has a struct page" for "is this process\'s anonymous page": an object page becomes writable and writes bypass COW',
  },
  {
    id: 'mprotect-prot-none-no-flush',
    file: 'src/mm/mprotect.ts',
    edits: [{
      find: `  if (changed) flush_tlb_mm_range(t, mm, start, end);`,
      replace: `  if (changed && !none) flush_tlb_mm_range(t, mm, start, end);`,
    }],
    why: 'T4: a PROT_NONE entry is taken for uncached because the MMU sees it as not present, but TLBs still hold the old writable entries; nothing flushes them',
  },
  {
    id: 'mremap-flushes-new-range',
    file: 'src/mm/mremap.ts',
    edits: [{
      find: `  if (moved && !t.bugs.mremapFlushAfterUnlock) flush_tlb_mm_range(t, mm, from, from + n);`,
      replace: `  if (moved && !t.bugs.mremapFlushAfterUnlock) flush_tlb_mm_range(t, mm, to, to + n);`,
    }],
    why: 'move_ptes flushes the destination range instead of the source: the old address\'s translations stay in the TLBs (R7, wrong range)',
  },
  {
    id: 'move-ptes-without-new-ptl',
    file: 'src/mm/mremap.ts',
    edits: [
      { find: `  if (twoLocks) spin_lock(t, lay.ptlOf(newPp), L_NEW_PTL);\n`, replace: `` },
      { find: `  if (twoLocks) spin_unlock(t, lay.ptlOf(newPp), L_NEW_PTL);\n`, replace: `` },
    ],
    why: 'move_ptes takes only the old PTL when the new table is another page: a zapper of the new address runs concurrently with set_pte_at into the new table',
    equivalent: 'the only walkers that reach the new table during an mremap are reverse-map walks, which visit the old VMA before the new one under i_mmap_rwsem while move_ptes holds the old PTL through clear, set and flush: a walker in the new table has already zapped (or migration-entried) every old entry of its range, so nothing it changes is moved in under it',
  },
  {
    id: 'cow-no-pte-same',
    file: 'src/mm/cow.ts',
    edits: [{
      find: `  if (anon < 0 || a.load(ptep, L_WP) !== orig) {`,
      replace: `  if (anon < 0) {`,
    }],
    why: 'wp_page_copy does not re-check under the PTL that the entry is still the one it copied from (pte_same): an entry zapped or changed while the PTL was dropped is replaced by a copy of the old page',
  },
  {
    id: 'gup-reads-pte-before-ptl',
    file: 'src/mm/gup.ts',
    edits: [{
      find: `      spin_lock(t, ptl, L_GUP);
      const pte = t.a.load(t.lay.pte(pp, vpn % t.cfg.ptrsPerPte), L_GUP);`,
      replace: `      const pte = t.a.load(t.lay.pte(pp, vpn % t.cfg.ptrsPerPte), L_GUP);
      spin_lock(t, ptl, L_GUP);`,
    }],
    why: 'follow_page_pte reads the PTE before taking the PTL: the page is zapped and released by the mover between the read and the pin',
  },
  {
    id: 'gup-pin-without-ref',
    file: 'src/mm/gup.ts',
    edits: [{
      find: `        get_page(t, page);
        t.a.add(t.lay.page(page, PG_PINCOUNT), 1, L_PIN);`,
      replace: `        t.a.add(t.lay.page(page, PG_PINCOUNT), 1, L_PIN);`,
    }],
    why: 'FOLL_PIN bumps the pin count without taking a page reference: movers do not see the pin, and unpin drops a reference the pin never took',
  },
  {
    id: 'mmap-unlock-seq-after-up-write',
    file: 'src/mm/mmap_lock.ts',
    edits: [{
      find: `  t.a.add(t.lay.mmw(mm, MM_LOCK_SEQ), 1, L_SEQ);
  up_write(t, t.lay.mmw(mm, MM_MMAP_SEM), lbl);`,
      replace: `  up_write(t, t.lay.mmw(mm, MM_MMAP_SEM), lbl);
  t.a.add(t.lay.mmw(mm, MM_LOCK_SEQ), 1, L_SEQ);`,
    }],
    why: 'mmap_write_unlock releases the rwsem before vma_end_write_all bumps mm_lock_seq: the next writer finds its VMA already stamped, skips vm_lock, and the late bump unlocks it under that writer',
    args: VMA_LOCK,
  },
  {
    id: 'new-vma-not-write-locked',
    file: 'src/mm/mmap.ts',
    edits: [{
      find: `  a.store(lay.vma(mm, slot, VMA_LOCK_SEQ), a.load(lay.mmw(mm, MM_LOCK_SEQ), L_VMA), L_VMA);
`,
      replace: ``,
    }],
    why: 'a new VMA is made visible without being write-locked (cf. "mm: lock newly mapped VMA", 2023): a per-VMA-lock fault maps into the mremap target while its PTEs are still being moved in',
    args: VMA_LOCK,
  },
  {
    id: 'vma-start-read-no-recheck',
    file: 'src/mm/mmap_lock.ts',
    edits: [{
      find: `  // the sequence is read afresh: a writer may have stamped the VMA and even finished meanwhile
  if (a.load(vma + VMA_LOCK_SEQ, L_VMA_READ) === a.load(mmSeq, L_VMA_READ)) {
    up_read(t, vma + VMA_LOCK, L_VMA_READ);
    return false;
  }
  return true;`,
      replace: `  return true;`,
    }],
    why: 'vma_start_read does not look at vm_lock_seq again once it holds vm_lock: a writer that stamped the VMA between the first look and the trylock is missed',
    args: VMA_LOCK,
  },
  {
    id: 'vma-start-write-no-drain',
    file: 'src/mm/mmap_lock.ts',
    edits: [{
      find: `  down_write(t, vma + VMA_LOCK, L_VMA_WRITE);
  a.store(vma + VMA_LOCK_SEQ, seq, L_VMA_WRITE);
  up_write(t, vma + VMA_LOCK, L_VMA_WRITE);`,
      replace: `  a.store(vma + VMA_LOCK_SEQ, seq, L_VMA_WRITE);`,
    }],
    why: 'vma_start_write stamps the VMA without taking vm_lock for write: faults already inside the VMA under its read lock are not waited for',
    args: VMA_LOCK,
  },
  {
    id: 'fault-idle-retry-leaks-resv',
    file: 'src/drm/ttm_vm.ts',
    edits: [{
      find: `    bo_fence_wait(t, obj);
    dma_resv_unlock(t, obj);
    return VM_FAULT_RETRY;`,
      replace: `    bo_fence_wait(t, obj);
    return VM_FAULT_RETRY;`,
    }],
    why: 'ttm_bo_vm_fault_idle returns VM_FAULT_RETRY without dropping the reservation (TTM\'s lock-ownership contract on RETRY): the object stays reserved',
  },
  {
    id: 'fault-tried-skips-fence',
    file: 'src/drm/ttm_vm.ts',
    edits: [{
      find: `  bo_fence_wait(t, obj);
  return 0;
}`,
      replace: `  return 0;
}`,
    }],
    why: 'I6: on the FAULT_FLAG_TRIED attempt the handler maps the new placement without waiting for the move fence, before the copy lands',
  },
  {
    id: 'prefault-page-no-ref',
    file: 'src/drm/ttm_vm.ts',
    edits: [{
      find: `insert_page(t, mm, vma, vpn, frame, write, true, false)`,
      replace: `insert_page(t, mm, vma, vpn, frame, write, false, false)`,
    }],
    why: 'the prefault maps neighbouring system pages without a reference for the PTE (insert_page must get_page): the zap\'s put_page frees a page the object still owns',
  },
  {
    id: 'fence-armed-after-unreserve',
    file: 'src/drm/ttm_move.ts',
    edits: [{
      find: `  if (pipelined) bo_fence_arm(t, obj);
  for (let p = 0; p < n; p++) a.store(lay.backing(obj, p), fresh[p] as number, L_BO);
  a.store(lay.bow(obj, BO_PLACEMENT), to, L_BO);
  if (pipelined) dma_resv_unlock(t, obj);`,
      replace: `  for (let p = 0; p < n; p++) a.store(lay.backing(obj, p), fresh[p] as number, L_BO);
  a.store(lay.bow(obj, BO_PLACEMENT), to, L_BO);
  if (pipelined) dma_resv_unlock(t, obj);
  if (pipelined) bo_fence_arm(t, obj);`,
    }],
    why: 'I6: the move fence is added after the reservation is dropped: a fault reserving in between sees the new placement with no fence and maps it before the copy lands',
  },
  {
    id: 'fence-signal-no-wake',
    file: 'src/drm/bo.ts',
    edits: [{
      find: `  t.a.store(t.lay.bow(obj, BO_FENCE), 0, L_FENCE);
  t.a.wake(t.lay.bow(obj, BO_FENCE));`,
      replace: `  t.a.store(t.lay.bow(obj, BO_FENCE), 0, L_FENCE);`,
    }],
    why: 'the move fence is signalled without waking its waiters: faults sleeping on it are never woken (a lost wake-up)',
  },
  {
    id: 'dma-unpin-before-write',
    file: 'src/drm/dma.ts',
    edits: [{
      find: `  t.a.store(t.lay.word(dma.page, dma.w), priv ? t.data.priv.write(dma.mm, dma.g, dma.page, gen) : t.data.nextToken(dma.g), L_DMA);
  check_dma_target(t, dma.mm, dma.g, dma.page);
  unpin_user_page(t, dma.page);`,
      replace: `  unpin_user_page(t, dma.page);
  t.a.store(t.lay.word(dma.page, dma.w), priv ? t.data.priv.write(dma.mm, dma.g, dma.page, gen) : t.data.nextToken(dma.g), L_DMA);
  check_dma_target(t, dma.mm, dma.g, dma.page);`,
    }],
    why: 'R9: the driver unpins before the device write has landed: the page can be moved or freed and the write goes into the old frame',
  },
  {
    id: 'rwsem-reader-steals-from-writer',
    file: 'src/locking/rwsem.ts',
    edits: [{
      find: `  for (let c = a.load(s + RW_COUNT, label); (c & WRITER) === 0 && (passWriters || a.load(s + RW_WWAIT, label) === 0); c = a.load(s + RW_COUNT, label)) {`,
      replace: `  for (let c = a.load(s + RW_COUNT, label); passWriters || a.load(s + RW_WWAIT, label) === 0; c = a.load(s + RW_COUNT, label)) {`,
    }],
    why: 'the reader slow path steals the lock without checking RWSEM_WRITER_LOCKED: a reader gets in next to the writer',
    // written against the phase-fair rwsem, the default until the Linux one replaced it
    args: ['--rwsem', 'phase-fair'],
  },
  {
    id: 'ipi-ack-before-flush',
    file: 'src/kernel/smp.ts',
    edits: [{
      find: `    handler(t, a.load(box + IPI_MM, L_SERVICE), a.load(box + IPI_START, L_SERVICE), a.load(box + IPI_END, L_SERVICE), a.load(box + IPI_GEN, L_SERVICE));
    a.store(box + IPI_ACK, req, L_SERVICE);`,
      replace: `    a.store(box + IPI_ACK, req, L_SERVICE);
    handler(t, a.load(box + IPI_MM, L_SERVICE), a.load(box + IPI_START, L_SERVICE), a.load(box + IPI_END, L_SERVICE), a.load(box + IPI_GEN, L_SERVICE));`,
    }],
    why: 'the IPI is acknowledged before its TLB flush runs (the csd released before the function): the initiator frees the page while this CPU still holds the translation',
  },
  {
    id: 'frame-alloc-without-lock',
    file: 'src/mm/frames.ts',
    edits: [{
      find: `  spin_lock(t, base + AL_LOCK, L_ALLOC);
  const top = a.load(base + AL_TOP, L_ALLOC);
  let idx = -1;
  if (top > 0) {
    idx = a.load(base + AL_STACK + top - 1, L_ALLOC);
    a.store(base + AL_TOP, top - 1, L_ALLOC);
  }
  spin_unlock(t, base + AL_LOCK, L_ALLOC);`,
      replace: `  const top = a.load(base + AL_TOP, L_ALLOC);
  let idx = -1;
  if (top > 0) {
    idx = a.load(base + AL_STACK + top - 1, L_ALLOC);
    a.store(base + AL_TOP, top - 1, L_ALLOC);
  }`,
    }],
    why: 'the frame allocator pops its free stack without its lock: two threads get the same frame',
  },
  {
    id: 'find-vma-end-inclusive',
    file: 'src/mm/vma.ts',
    edits: [{
      find: `  if (vpn >= a.load(vma + VMA_END, L_FIND) || vpn < a.load(vma + VMA_START, L_FIND)) return -1;`,
      replace: `  if (vpn > a.load(vma + VMA_END, L_FIND) || vpn < a.load(vma + VMA_START, L_FIND)) return -1;`,
    }],
    why: 'find_vma treats vm_end as inclusive: the page one past a mapping\'s end is found in it and faulted in',
  },
  {
    id: 'ubc-flush-after-copy',
    file: 'src/mm/migrate.ts',
    edits: [
      { find: `  try_to_unmap_flush(t);\n  if (!folio_ref_freeze`, replace: `  if (!folio_ref_freeze` },
      { find: `  a.copy(lay.word(fresh, 0), lay.word(old, 0), t.cfg.wordsPerPage, L_COPY);\n`, replace: `  a.copy(lay.word(fresh, 0), lay.word(old, 0), t.cfg.wordsPerPage, L_COPY);\n  try_to_unmap_flush(t);\n` },
    ],
    why: 'the batched migration flushes the TLBs after it has copied the page (added with the batched flush, after ptep-flush-before-clear had lost its path): a CPU still writes the old page through its entry while the copy is taken',
  },
];
