// The bug switches: each reintroduces one real mistake in the model's own code path.
// The model reads them through `Bugs` (plain booleans, cheap on the hot path).

export const BUG_NAMES = ['no-tlb-flush', 'fault-without-reserve', 'free-before-flush', 'remap-bug-on-set'] as const;
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
];

export class Bugs {
  readonly noTlbFlush: boolean;
  readonly faultWithoutReserve: boolean;
  readonly freeBeforeFlush: boolean;
  readonly remapBugOnSet: boolean;
  constructor(names: readonly string[]) {
    this.noTlbFlush = names.includes('no-tlb-flush');
    this.faultWithoutReserve = names.includes('fault-without-reserve');
    this.freeBeforeFlush = names.includes('free-before-flush');
    this.remapBugOnSet = names.includes('remap-bug-on-set');
  }
}
