// The bug switches: each reintroduces one real mistake in the model's own code path.
// The model reads them through `Bugs` (plain booleans, cheap on the hot path).

export const BUG_NAMES = ['no-tlb-flush', 'fault-without-reserve', 'free-before-flush', 'remap-bug-on-set', 'execbuf-faults-under-resv', 'fault-blocks-on-reserve'] as const;
export type BugName = (typeof BUG_NAMES)[number];

export interface BugInfo {
  name: BugName;
  origin: string;
  /** the oracle expected to catch it (any oracle firing counts as detection) */
  oracle: string;
  where: string;
}

export const BUG_CATALOG: readonly BugInfo[] = [
  {
    name: 'no-tlb-flush',
    origin: 'I3/I4: unmap_mapping_range must flush TLBs before the old backing is copied or freed',
    oracle: 'stale-tlb',
    where: 'mm/tlb.ts tlb_finish_mmu skips flush_tlb_mm_range',
  },
  {
    name: 'fault-without-reserve',
    origin: 'I2; benh 2006: the nopfn path was "not protected against racing unmap_mapping_range()"',
    oracle: 'stale-tlb',
    where: 'drm/ttm_vm.ts ttm_bo_vm_fault computes the pfn without taking the reservation',
  },
  {
    name: 'free-before-flush',
    origin: 'I4 / asm-generic/tlb.h: unhook, TLB-invalidate, then free',
    oracle: 'stale-tlb',
    where: 'drm/ttm_move.ts copies and frees the old frames before waiting for the shootdown acks',
  },
  {
    name: 'remap-bug-on-set',
    origin: 'I1; 2006 thread: remap_pfn_range BUGs on a set PTE, a fault-time helper must not',
    oracle: 'pte-overwrite',
    where: 'mm/memory.ts insert_pfn behaves like remap_pfn_range on a present PTE',
  },
  {
    name: 'execbuf-faults-under-resv',
    origin: 'R3 (2009, 2013): an ioctl copies from user memory with page faults enabled while it holds a reservation (resv → mmap_sem); a fault holding mmap_sem that must wait for that reservation (TTM does, on its FAULT_FLAG_TRIED attempt) closes the cycle behind a queued munmap',
    oracle: 'deadlock',
    where: 'drm/execbuf.ts copies with faults enabled instead of copy_from_user_inatomic + slow path',
  },
  {
    name: 'fault-blocks-on-reserve',
    origin: 'R3, the fault side: before ba4e7d973dd0 (2009) the fault slept on the reservation with mmap_sem held on every attempt instead of trylock + drop mmap_sem + RETRY (deadlocks together with execbuf-faults-under-resv)',
    oracle: 'deadlock',
    where: 'drm/ttm_vm.ts ttm_bo_vm_reserve takes dma_resv_lock instead of trylock + RETRY',
  },
];

export class Bugs {
  readonly noTlbFlush: boolean;
  readonly faultWithoutReserve: boolean;
  readonly freeBeforeFlush: boolean;
  readonly remapBugOnSet: boolean;
  readonly faultBlocksOnReserve: boolean;
  readonly execbufFaultsUnderResv: boolean;
  constructor(names: readonly string[]) {
    this.noTlbFlush = names.includes('no-tlb-flush');
    this.faultWithoutReserve = names.includes('fault-without-reserve');
    this.freeBeforeFlush = names.includes('free-before-flush');
    this.remapBugOnSet = names.includes('remap-bug-on-set');
    this.faultBlocksOnReserve = names.includes('fault-blocks-on-reserve');
    this.execbufFaultsUnderResv = names.includes('execbuf-faults-under-resv');
  }
}
