// struct vm_fault and the VM_FAULT_* / FAULT_FLAG_* codes (include/linux/mm_types.h).
import { VM_SHARED, VM_WRITE } from '../shm/layout.js';
export const VM_FAULT_OOM = 0x1;
export const VM_FAULT_SIGBUS = 0x2;
export const VM_FAULT_SIGSEGV = 0x40;
export const VM_FAULT_NOPAGE = 0x100;
export const VM_FAULT_LOCKED = 0x200;
export const VM_FAULT_RETRY = 0x400;
export const VM_FAULT_ERROR = VM_FAULT_OOM | VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV;

export const FAULT_FLAG_WRITE = 0x1;
export const FAULT_FLAG_ALLOW_RETRY = 0x4;
export const FAULT_FLAG_TRIED = 0x20;
/** the fault holds the VMA's own lock, not mmap_sem */
export const FAULT_FLAG_VMA_LOCK = 0x1000;

/** ALLOW_RETRY && !TRIED: only the first attempt may drop the lock and come back. */
export function fault_flag_allow_retry_first(flags: number): boolean {
  return (flags & (FAULT_FLAG_ALLOW_RETRY | FAULT_FLAG_TRIED)) === FAULT_FLAG_ALLOW_RETRY;
}

export class VmFault {
  mm = 0;
  /** the VMA's slot in the mm's table */
  vma = 0;
  /** the VMA's first word: what the kernel's vmf->vma points at, computed once per fault */
  vmaWord = 0;
  vpn = 0;
  flags = 0;
  /** the VMA's vm_flags, read once by the arch code */
  vmFlags = 0;
  /** system page returned by ->fault with VM_FAULT_LOCKED, -1 otherwise */
  page = -1;

  /** Starts a fault on vpn in VMA `vma` (first word vmaWord) of mm. */
  start(mm: number, vma: number, vmaWord: number, vmFlags: number, vpn: number, flags: number): void {
    this.mm = mm;
    this.vma = vma;
    this.vmaWord = vmaWord;
    this.vmFlags = vmFlags;
    this.vpn = vpn;
    this.flags = flags;
    this.page = -1;
  }
}

/** vm_page_prot's write bit: only shared mappings get writable PTEs at fault time; a private
 * one maps read-only, so that the first write copies. */
export function pgprot_write(vmf: VmFault): boolean {
  return (vmf.vmFlags & (VM_SHARED | VM_WRITE)) === (VM_SHARED | VM_WRITE);
}

/** The driver side of a VMA: vm_operations_struct.fault, and what the driver's mmap
 * (file_operations.mmap) adds to a mapping's vm_flags: VM_MIXEDMAP or VM_PFNMAP | VM_IO |
 * VM_DONTEXPAND, or -1 when it refuses the mapping (-EINVAL, as TTM refuses COW mappings). */
export interface VmOperations {
  fault(t: import('../kernel/task.js').Task, vmf: VmFault): number;
  mmap(t: import('../kernel/task.js').Task, priv: boolean): number;
}
