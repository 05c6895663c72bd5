// The race catalog, as the harness reads it: for each bug switch (switches.ts), where it comes from,
// the Linux era it belongs to, the oracle that catches it, its depth, what scenario it needs and
// on which drivers it cannot happen.
import type { Config, DriverName } from '../config.js';
import type { BugName } from './switches.js';
import type { OracleName } from '../check/oracles.js';
import type { StrategyOptions } from '../sched/strategies/index.js';

/** The Linux design a modelled mechanism belongs to. */
export const ERA_DESIGNS = ['2006 proposal (do_no_pfn)', 'TTM (since 2.6.31)', 'VM_MIXEDMAP-era TTM (≤ 5.13)', 'Linux 6.x'] as const;
export type EraDesign = (typeof ERA_DESIGNS)[number];

export interface Era {
  design: EraDesign;
  /** where the cited fix landed (commit, kernel version), when there is one and it is known */
  fix?: string;
}

/** 'cited': the model's mechanism is the cited source's own, on the same kind of memory; 'analogue': a
 * race Linux had on anonymous or page-cache memory, moved onto buffer objects (the reason says how). */
export type Mechanism = { kind: 'cited' } | { kind: 'analogue'; reason: string };

const CITED: Mechanism = { kind: 'cited' };
const analogue = (reason: string): Mechanism => ({ kind: 'analogue', reason });

export interface BugInfo {
  name: BugName;
  origin: string;
  era: Era;
  mechanism: Mechanism;
  /** the oracle expected to catch it (any oracle firing counts as detection) */
  oracle: OracleName;
  where: string;
  /** bug depth: the cross-thread orderings the failing interleaving needs (PCT's d) */
  depth: number;
  /** what the race needs besides the small scenario: more threads, a different workload mix, a
   * companion switch, a strategy that reaches it within 1,000 schedules, more moves per migrator */
  scenario?: { config?: Partial<Config>; with?: BugName[]; strategy?: StrategyOptions; moves?: number };
  /** the drivers on which the race cannot happen, and why (docs/matrix-ttm-pfnmap.md) */
  absent?: Partial<Record<DriverName, string>>;
}

export const BUG_CATALOG: readonly BugInfo[] = [
  {
    name: 'no-tlb-flush',
    origin: 'I3/I4: unmap_mapping_range must flush TLBs before the old backing is copied or freed',
    era: { design: 'Linux 6.x' },
    mechanism: CITED,
    oracle: 'stale-tlb',
    where: 'mm/mmu_gather.ts tlb_finish_mmu skips flush_tlb_mm_range',
    depth: 2,
  },
  {
    name: 'fault-without-reserve',
    origin: 'R1 (2006, do_no_pfn vs unmap_mapping_range) / I2: benh: the nopfn path "doesn\'t implement the truncate logic", "not protected against racing unmap_mapping_range()"',
    era: { design: '2006 proposal (do_no_pfn)', fix: 'TTM takes the reservation around the insert from its first version, ba4e7d973dd0 (2.6.31)' },
    mechanism: CITED,
    oracle: 'stale-tlb',
    where: 'drm/ttm_vm.ts ttm_bo_vm_fault computes the pfn without taking the reservation',
    depth: 2,
  },
  {
    name: 'free-before-flush',
    origin: 'I4 / asm-generic/tlb.h: unhook, TLB-invalidate, then free',
    era: { design: 'Linux 6.x' },
    mechanism: CITED,
    oracle: 'stale-tlb',
    where: 'drm/ttm_move.ts copies and frees the old frames before waiting for the shootdown acks',
    depth: 2,
  },
  {
    name: 'remap-bug-on-set',
    origin: 'I1; 2006 thread: remap_pfn_range BUGs on a set PTE, a fault-time helper must not',
    era: { design: 'Linux 6.x', fix: 'the fault-time insert has skipped a present PTE since do_no_pfn (2.6.19); remap_pte_range still BUGs' },
    mechanism: CITED,
    oracle: 'pte-overwrite',
    where: 'mm/memory.ts insert_pfn behaves like remap_pfn_range on a present PTE',
    depth: 1,
  },
  {
    name: 'execbuf-faults-under-resv',
    origin: 'R3 (2009, 2013): an ioctl copies from user memory with page faults enabled while it holds a reservation (resv → mmap_sem); a fault holding mmap_sem that must wait for that reservation (TTM does, on its FAULT_FLAG_TRIED attempt) closes the cycle behind a queued munmap',
    era: { design: 'TTM (since 2.6.31)', fix: 'none in TTM, whose FAULT_FLAG_TRIED attempt blocks on the reservation (c58f009e01c9, 3.13); the ioctl must copy with page faults disabled' },
    mechanism: CITED,
    oracle: 'deadlock',
    where: 'drm/execbuf.ts copies with faults enabled instead of copy_from_user_inatomic + slow path',
    depth: 3,
    scenario: { config: { cpus: 3 } },
  },
  {
    name: 'fault-blocks-on-reserve',
    origin: 'R3, the fault side: a design TTM never shipped, the fault sleeping on the reservation with mmap_sem held on its first attempt (TTM\'s first version, ba4e7d973dd0 (2009), trylocked and refaulted; since c58f009e01c9 (2013) it drops mmap_sem, waits and returns VM_FAULT_RETRY); deadlocks together with execbuf-faults-under-resv',
    era: { design: 'TTM (since 2.6.31)', fix: 'never shipped; TTM trylocked from ba4e7d973dd0 (2.6.31, refault on contention) and drops mmap_sem + VM_FAULT_RETRY since c58f009e01c9 (3.13)' },
    mechanism: CITED,
    oracle: 'deadlock',
    where: 'drm/ttm_vm.ts ttm_bo_vm_reserve takes dma_resv_lock instead of trylock + RETRY',
    depth: 3,
    scenario: { config: { cpus: 3 }, with: ['execbuf-faults-under-resv'] },
  },
  {
    name: 'nested-zap-skips-flush',
    origin: 'R5: "mm: fix MADV_[FREE|DONTNEED] TLB flush miss problem" (Minchan Kim, 2017, 99baac21e458): a second zapper finds the PTEs already clear and skips the flush',
    era: { design: 'Linux 6.x', fix: '99baac21e458 (4.13)' },
    mechanism: analogue('99baac21e458\'s zappers were parallel madvise calls on anonymous memory; here munmap or madvise races the TTM mover\'s unmap_mapping_range on a BO (madvise on a BO only under MIXEDMAP-era TTM)'),
    oracle: 'stale-tlb',
    where: 'mm/mmu_gather.ts tlb_finish_mmu ignores tlb_flush_pending > 1',
    depth: 3,
    scenario: { config: { objects: 1, pMunmap: 0.15, pMadvise: 0.15 }, strategy: { name: 'random', switchProbability: 0.02 } },
  },
  {
    name: 'mover-skips-page-lock',
    origin: 'R2: "mm: fix fault vs invalidate race for linear mappings" (d00806b18315, 2007): the page lock serialises the core installing a returned page against its removal',
    era: { design: 'Linux 6.x', fix: 'd00806b18315 (2.6.23)' },
    mechanism: analogue('d00806b18315 orders filemap_fault\'s locked page-cache page against truncate\'s second unmap_mapping_range; TTM never hands a page to the core, it inserts every pfn itself under the reservation'),
    oracle: 'stale-tlb',
    where: 'drm/ttm_move.ts takes system pages away without the page lock and the second zap',
    depth: 2,
    absent: { 'ttm-pfnmap': 'the fault inserts every page as a pfn under the reservation: no page is handed to the core locked, so the move\'s page lock guards nothing' },
  },
  {
    name: 'pte-alloc-without-lock',
    origin: 'seed thread: PTE table allocation must be resolved under a lock, as __pte_alloc / pmd_populate do',
    era: { design: 'Linux 6.x' },
    mechanism: CITED,
    oracle: 'stale-tlb',
    where: 'mm/pgtable.ts pte_alloc installs its new table without page_table_lock or a second look',
    depth: 2,
    absent: { 'ttm-pfnmap': 'faults on one object are serialised by its reservation, so two first faults meet in one page table only when two objects share it (--ptrs-per-pte 8)' },
  },
  {
    name: 'lazy-tlb-no-gen-check',
    origin: 'R6: x86 lazy TLB (Rik van Riel, "x86/mm/tlb: Make lazy TLB mode lazier", ac0315896970, again as 145f573b89a6; arch/x86/mm/tlb.c): flushers skip CPUs in lazy TLB mode, which must compare the mm tlb_gen when they switch back',
    era: { design: 'Linux 6.x', fix: 'flushers skip lazy CPUs, which check tlb_gen on return, since 145f573b89a6 (4.20; first merged as ac0315896970, reverted in Aug 2018)' },
    mechanism: CITED,
    oracle: 'stale-tlb',
    where: 'mm/tlb.ts leave_lazy_tlb returns to the user mm without the generation check',
    depth: 2,
    scenario: { config: { pLazy: 0.1 } },
  },
  {
    name: 'migrate-pinned-page',
    origin: 'R9: GUP pins vs page moves (migration refuses pages with extra references, folio_ref_freeze; on buffer objects GUP was possible only while TTM mapped VM_MIXEDMAP, until f91142c62161): a page pinned for DMA is moved, the device writes into the old frame',
    era: { design: 'VM_MIXEDMAP-era TTM (≤ 5.13)', fix: 'f91142c62161 (5.14) made BO mappings VM_PFNMAP, so GUP cannot pin BO pages' },
    mechanism: analogue('R9 is pins against COW and migration of anonymous/LRU pages; TTM sets VM_IO|VM_PFNMAP, GUP\'s check_vma_flags refuses such VMAs and mm never migrates BO pages (only MIXEDMAP-era TTM without pte_special let GUP pin them)'),
    oracle: 'dma-target',
    where: 'mm/migrate.ts expected_refs does not count pins as references: folio_ref_freeze in page migration and the TTM move\'s check take a pinned page away',
    depth: 2,
    scenario: { config: { pDma: 0.1, placement: 'system' } },
    absent: { 'ttm-pfnmap': 'GUP\'s check_vma_flags refuses VM_IO | VM_PFNMAP, and mm never migrates the object\'s pages' },
  },
  {
    name: 'mprotect-no-flush-pending',
    origin: 'R4: "mm: fix TLB flush race between migration, and change_protection_range" (Rik van Riel, Dec 2013): mprotect(PROT_NONE) batches its flush; migration saw a PROT_NONE PTE, judged it uncached (pte_accessible) and skipped the flush, while a CPU still wrote through the old entry',
    era: { design: 'Linux 6.x', fix: '20841405940e (3.13)' },
    mechanism: analogue('the race is mprotect/NUMA hinting against NUMA migration and compaction of anonymous/LRU pages; mm never migrates BO pages, TTM moves them itself after unmap_mapping_range has flushed'),
    oracle: 'tlb-coherence',
    where: 'mm/mprotect.ts change_protection does not raise tlb_flush_pending, so pte_accessible in the page migrator says no TLB holds the entry',
    depth: 3,
    scenario: { config: { pMprotect: 0.1, pMigratePage: 1, placement: 'system' } },
  },
  {
    name: 'mremap-flush-after-unlock',
    origin: 'R7: CVE-2018-18281, "mremap: properly flush TLB before releasing the page" (Linus, Oct 2018, eb66ae030829): PTEs moved, PTLs dropped, old range flushed later; a truncate (here: a migration) frees the page meanwhile',
    era: { design: 'Linux 6.x', fix: 'eb66ae030829 (4.19; stable 4.9.135, 4.14.78, 4.18.16)' },
    mechanism: analogue('eb66ae030829\'s page was a page-cache page freed by ftruncate; here the TTM mover frees the BO\'s frames through the same unmap_mapping_range, and Linux does let mremap move a VM_PFNMAP BO mapping'),
    oracle: 'stale-tlb',
    where: 'mm/mremap.ts move_ptes leaves the old-range flush to the end of move_page_tables, after every lock is dropped',
    depth: 3,
    scenario: { config: { objects: 1, pages: 8, pMremap: 0.1, ptrsPerPte: 2 }, strategy: { name: 'random' }, moves: 6 },
  },
  {
    name: 'vma-check-before-lock',
    origin: 'R10: "mm: lock_vma_under_rcu() must check vma->anon_vma under vma lock" (Jann Horn, Jul 2023, 657b5146955e): VMA state validated before the per-VMA lock is held',
    era: { design: 'Linux 6.x', fix: '657b5146955e (6.5; 6.4.10)' },
    mechanism: analogue('657b5146955e checked vma->anon_vma before vma_start_read, racing mremap(MREMAP_DONTUNMAP)\'s unlink_anon_vmas; Linux rechecks attachment and bounds under the lock since 6.4, and sends VMA-locked faults on TTM (no ->map_pages) to mmap_lock'),
    oracle: 'pte-outside-vma',
    where: 'mm/mmap_lock.ts lock_vma_under_rcu trusts the attached/bounds check made before vma_start_read; a fault then maps into an unmapped VMA',
    depth: 2,
    scenario: { config: { faultLock: 'vma', pMunmap: 0.1 } },
  },
  {
    name: 'vma-writer-skips-lock',
    origin: 'R11: "fork: lock VMAs of the parent process when forking" (Suren Baghdasaryan, Jul 2023, fb49c455323f): a writer under mmap_lock that does not write-lock the VMA races per-VMA-lock faults (the model has no fork; its mremap makes the same omission)',
    era: { design: 'Linux 6.x', fix: 'fb49c455323f (6.5; per-VMA locks came in 6.4)' },
    mechanism: analogue('fb49c455323f\'s writer was fork\'s dup_mmap write-protecting anonymous pages for COW; the model\'s writer is mremap on a BO, which Linux write-locks (move_vma) and whose VMA-locked faults it sends to mmap_lock'),
    oracle: 'pte-outside-vma',
    where: 'mm/mremap.ts skips vma_start_write: a VMA-locked fault installs a PTE at the old address after its page table moved',
    depth: 2,
    scenario: { config: { faultLock: 'vma', pMremap: 0.1 } },
  },
  {
    name: 'prefault-past-vma-end',
    origin: 'seed thread: the multi-page prefault must stay inside the VMA, since the proposed one-page io_remap_pfn_range-like helper does not check it (TTM clamps to vma->vm_end as well as to the object; vm_insert_pfn and today\'s vmf_insert_* refuse an address outside the VMA, so on Linux the missing clamp alone only ends the prefault early)',
    era: { design: '2006 proposal (do_no_pfn)', fix: 'TTM clamps to the VMA from its first version (2.6.31); vmf_insert_pfn_prot returns VM_FAULT_SIGBUS outside the VMA' },
    mechanism: CITED,
    oracle: 'pte-outside-vma',
    where: 'drm/ttm_vm.ts clamps the prefault window to the object only, and mm/memory.ts insert_pfn/insert_page skip their VMA check (the proposal\'s helper): a mapping of part of an object gets PTEs past its end',
    depth: 1,
    scenario: { config: { pPartial: 1, pMunmap: 0.05 } },
  },
  {
    name: 'cow-pfnmap-pgoff-rule',
    origin: 'seed thread (the VM_PFNMAP rule pfn == vm_pgoff + offset cannot hold once objects move) / vm_normal_page: on an arch without pte_special a private (COW) VM_PFNMAP mapping of a moving object gets its pfns taken for COWed normal pages; which is why COW PFNMAP was forbidden from the first do_no_pfn (2.6.19; BUG_ON in vmf_insert_pfn_prot today); TTM returns -EINVAL for COW mappings since it maps VM_PFNMAP (f91142c62161)',
    era: { design: '2006 proposal (do_no_pfn)', fix: 'COW VM_PFNMAP refused since do_no_pfn (2.6.19; a BUG_ON, today in vmf_insert_pfn_prot); TTM returns -EINVAL since f91142c62161 (5.14)' },
    mechanism: CITED,
    oracle: 'use-after-free',
    where: 'mm/memory.ts vm_normal_page judges a private VM_PFNMAP mapping by the pgoff rule (no pte_special); mm/mmap.ts maps private objects VM_PFNMAP; zap and COW drop references the PTEs never held',
    depth: 1,
    scenario: { config: { pPrivate: 0.5, pMunmap: 0.05 } },
    absent: { 'ttm-pfnmap': 'ttm_bo_mmap_obj refuses COW mappings (-EINVAL)' },
  },
  {
    name: 'cow-set-before-flush',
    origin: 'wp_page_copy in mm/memory.c: "This code used to set the new PTE then flush TLBs, but that left a window where the new PTE could be loaded into some TLBs while the old PTE remains in others" (Suresh Siddha, "mm: fix a race condition under SMC + COW", Sep 2006, 2.6.19)',
    era: { design: 'VM_MIXEDMAP-era TTM (≤ 5.13)', fix: '"mm: fix a race condition under SMC + COW" (Suresh Siddha, Sep 2006; 2.6.19, stable 2.6.18.2)' },
    mechanism: analogue('the 2006 race was a COW of an anonymous page after fork, seen by self-modifying code through a stale iTLB; here a private BO mapping is COWed, which only MIXEDMAP-era TTM allowed'),
    oracle: 'tlb-coherence',
    where: 'mm/cow.ts do_wp_page sets the copy\'s PTE before it flushes the old entry: another CPU goes on reading the object page while the process writes its copy',
    depth: 1,
    scenario: { config: { pPrivate: 0.5, pMunmap: 0.05 } },
    absent: { 'ttm-pfnmap': 'ttm_bo_mmap_obj refuses COW mappings (-EINVAL)' },
  },
  {
    name: 'munmap-unlink-before-flush',
    origin: 'R13, CVE-2022-39188 (b67fbebd4cf9, "mmu_gather: Force tlb-flush VM_PFNMAP vmas", 5.19): munmap unlinked a PFNMAP/MIXEDMAP VMA from the file\'s reverse map before flushing its TLB entries; a driver\'s unmap_mapping_range no longer saw the VMA, returned without a flush, and the driver freed memory another CPU still reached',
    oracle: 'stale-tlb',
    where: 'mm/mmap.ts unmap_region leaves the flush of a PFNMAP/MIXEDMAP VMA to tlb_finish_mmu, after the unlink',
    era: { design: 'Linux 6.x', fix: 'b67fbebd4cf9 (5.19): tlb_end_vma flushes PFNMAP/MIXEDMAP VMAs before free_pgtables unlinks them' },
    mechanism: CITED,
    depth: 2,
    scenario: { config: { pMunmap: 0.15 } },
  },
  {
    name: 'no-flush-batched-pending',
    origin: 'R14: "mm, mprotect: flush TLB if potentially racing with a parallel reclaim leaving stale TLB entries" (Mel Gorman, Jul 2017, 3ea277194daa; the race is Nadav Amit\'s): an unmapper that batches its flush (TTU_BATCH_FLUSH) clears a PTE and drops the PTL; mprotect, munmap or mremap finds the PTE already gone, has nothing of its own to flush and returns while another CPU still writes through the old entry',
    era: { design: 'Linux 6.x', fix: '3ea277194daa (4.13): flush_tlb_batched_pending under the PTL in zap, change_protection, move_ptes and madvise' },
    mechanism: analogue('the batcher in 3ea277194daa is reclaim\'s try_to_unmap; here it is page migration\'s try_to_migrate, batched the same way since 6.4 (7e12beb8ca2a), on BO pages mm itself would not migrate'),
    oracle: 'tlb-after-return',
    where: 'mm/tlb_batch.ts flush_tlb_batched_pending does nothing, so zap_pte_range, change_protection and move_ptes ignore a migration\'s deferred flush',
    depth: 3,
    scenario: { config: { pages: 1, pMprotect: 0.1, pMunmap: 0.05, pMigratePage: 1, placement: 'system' } },
    absent: { 'ttm-pfnmap': 'mm never migrates the object\'s pages, and nothing else batches an unmap\'s flush' },
  },
];

/** A bug's own scenario as the command line's option values (option attribute names: `bug` with
 * its companions, config keys, `moves`, `strategy`, `depth`, `bound`, `switchProb`): what
 * `--scenario @BUG` sets and what `faultline bugs` prints as flags. */
export function scenarioOptions(b: BugInfo): [string, unknown][] {
  const sc = b.scenario ?? {};
  const s = sc.strategy ?? {};
  const out: [string, unknown][] = [['bug', [b.name, ...(sc.with ?? [])]]];
  // prefault is a string on the command line, as its flag takes it
  for (const [k, v] of Object.entries(sc.config ?? {})) out.push([k, k === 'prefault' ? String(v) : v]);
  if (sc.moves !== undefined) out.push(['moves', sc.moves]);
  for (const [option, v] of [['strategy', s.name], ['depth', s.depth], ['bound', s.bound], ['switchProb', s.switchProbability]] as const) if (v !== undefined) out.push([option, v]);
  return out;
}

