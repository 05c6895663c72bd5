// PTE bits, as one Int32 word: present, write, dirty, accessed, special, pool, pfn.
import { POOL_SYSTEM, POOL_VRAM, type Layout } from '../shm/layout.js';
export const _PAGE_PRESENT = 0x1;
export const _PAGE_RW = 0x2;
export const _PAGE_DIRTY = 0x4;
export const _PAGE_ACCESSED = 0x8;
/** pte_special: no struct page behind it; never refcounted, never rmapped */
export const _PAGE_SPECIAL = 0x10;
/** which physical pool the pfn indexes: set for VRAM (io memory) */
export const _PAGE_VRAM = 0x20;
/** PROT_NONE: the entry keeps its page but the MMU sees it as not present (x86 reuses the
 * global bit for this) */
export const _PAGE_PROTNONE = 0x40;
/** a migration entry (a non-present swap entry of the migration type): the page under migration */
export const _PAGE_MIGRATION = 0x80;
const PFN_SHIFT = 8;

/** `young`: the accessed bit set, as for the address a fault is about to access; a prefaulted
 * neighbour starts old, and the MMU sets the bit when it first loads the entry. */
export function mk_pte(pfn: number, vram: boolean, write: boolean, special: boolean, young = true): number {
  return (pfn << PFN_SHIFT) | _PAGE_PRESENT | (young ? _PAGE_ACCESSED : 0) | (write ? _PAGE_RW | _PAGE_DIRTY : 0) |
    (special ? _PAGE_SPECIAL : 0) | (vram ? _PAGE_VRAM : 0);
}

export function pte_young(pte: number): boolean {
  return (pte & _PAGE_ACCESSED) !== 0;
}

/** The kernel's pte_present: a PROT_NONE entry still maps its page. */
export function pte_present(pte: number): boolean {
  return (pte & (_PAGE_PRESENT | _PAGE_PROTNONE)) !== 0;
}
/** What the hardware walker sees: only this entry may be loaded into a TLB. */
export function pte_mmu_valid(pte: number): boolean {
  return (pte & _PAGE_PRESENT) !== 0;
}
export function pte_protnone(pte: number): boolean {
  return (pte & _PAGE_PROTNONE) !== 0;
}
/** pte_modify to PROT_NONE: the MMU can no longer use it, the page stays mapped. */
export function pte_mkprotnone(pte: number): number {
  return (pte & ~(_PAGE_PRESENT | _PAGE_RW)) | _PAGE_PROTNONE;
}
/** pte_modify to an accessible protection, writable or not. */
export function pte_mkaccessible(pte: number, write: boolean): number {
  return (pte & ~(_PAGE_PROTNONE | _PAGE_RW)) | _PAGE_PRESENT | (write ? _PAGE_RW | _PAGE_DIRTY : 0);
}
/** make_migration_entry: what try_to_migrate leaves in a PTE while its page is being copied. */
export function make_migration_entry(pfn: number): number {
  return (pfn << PFN_SHIFT) | _PAGE_MIGRATION;
}
export function is_migration_entry(pte: number): boolean {
  return (pte & (_PAGE_PRESENT | _PAGE_PROTNONE | _PAGE_MIGRATION)) === _PAGE_MIGRATION;
}
export function pte_pfn(pte: number): number {
  return pte >>> PFN_SHIFT;
}
export function pte_vram(pte: number): boolean {
  return (pte & _PAGE_VRAM) !== 0;
}
/** The global frame (Layout.frame) a PTE points at, in whichever pool its pfn indexes. */
export function pte_frame(lay: Layout, pte: number): number {
  return lay.frame(pte_vram(pte) ? POOL_VRAM : POOL_SYSTEM, pte_pfn(pte));
}
export function pte_special(pte: number): boolean {
  return (pte & _PAGE_SPECIAL) !== 0;
}
export function pte_write(pte: number): boolean {
  return (pte & _PAGE_RW) !== 0;
}
