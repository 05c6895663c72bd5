// The fault path: do_user_addr_fault (arch) → handle_mm_fault → do_fault → vm_ops->fault →
// finish_fault, with VM_FAULT_RETRY handling as x86 does it. With --fault-lock vma the fault
// first tries the VMA's own lock (lock_vma_under_rcu) and falls back to mmap_sem when the VMA is
// busy or the handler asks for a retry. (Linux 6.12 sends a VMA-locked fault on a driver without
// ->map_pages, TTM included, straight to mmap_sem; the model lets TTM's handler run under the
// VMA lock, as a map_pages-capable driver would, so the per-VMA races can happen.)
import type { Task } from '../kernel/task.js';
import { MM_MMAP_SEM, ST_FAULTS, ST_RETRIES, ST_VMA_LOCK_FALLBACKS, ST_VMA_LOCK_FAULTS, VMA_FLAGS, VM_READ, VM_WRITE } from '../shm/layout.js';
import { label } from '../sched/labels.js';
import { OPEN_FAULT } from '../profile/probe.js';
import { down_read, up_read } from '../locking/rwsem.js';
import { put_page } from './frames.js';
import { unlock_page } from './filemap.js';
import { insert_page } from './memory.js';
import { walk } from './pgtable.js';
import { is_migration_entry, pte_mmu_valid, pte_write } from './pte.js';
import { migration_entry_wait } from './migrate.js';
import { do_wp_page } from './cow.js';
import { find_vma } from './vma.js';
import { lock_vma_under_rcu, vma_end_read } from './mmap_lock.js';
import {
  FAULT_FLAG_ALLOW_RETRY, FAULT_FLAG_TRIED, FAULT_FLAG_VMA_LOCK, FAULT_FLAG_WRITE, VM_FAULT_ERROR, VM_FAULT_LOCKED, VM_FAULT_NOPAGE,
  VM_FAULT_RETRY, VM_FAULT_SIGSEGV, pgprot_write, type VmFault,
} from './vm_fault.js';

const L_MMAP_SEM = label('fault:mmap_sem');
const L_VMA = label('fault:vma');
const L_FINISH = label('fault:finish_fault:ptl');

/** Returns 0 when the access can be retried, or the VM_FAULT_* error (SIGSEGV, SIGBUS). */
export function do_user_addr_fault(t: Task, mm: number, vpn: number, write: boolean): number {
  const vmf = t.vmf;
  let flags = FAULT_FLAG_ALLOW_RETRY | (write ? FAULT_FLAG_WRITE : 0);
  const sem = t.lay.mmw(mm, MM_MMAP_SEM);
  const since = t.probe.open(OPEN_FAULT, vpn);
  t.count(ST_FAULTS);
  if (t.vmaLockFaults) {
    const ret = vma_lock_fault(t, mm, vpn, flags);
    if (ret >= 0) {
      if (t.probe.on) t.probe.span('fault', 'mm', since, { vpn, write, lock: 'vma' });
      return ret;
    }
  }
  for (;;) {
    down_read(t, sem, L_MMAP_SEM);
    const vma = find_vma(t, mm, vpn);
    const vmaWord = vma < 0 ? 0 : t.lay.vma(mm, vma, 0);
    const vmFlags = vma < 0 ? 0 : t.a.load(vmaWord + VMA_FLAGS, L_VMA);
    if (vma < 0 || access_error(vmFlags, write)) {
      up_read(t, sem, L_MMAP_SEM);
      if (t.probe.on) t.probe.span('fault', 'mm', since, { vpn, result: 'SIGSEGV' });
      return VM_FAULT_SIGSEGV;
    }
    vmf.start(mm, vma, vmaWord, vmFlags, vpn, flags);
    const ret = handle_mm_fault(t, vmf);
    if (ret & VM_FAULT_RETRY) {
      // ->fault already dropped mmap_sem; the retry may not drop it again
      flags |= FAULT_FLAG_TRIED;
      t.count(ST_RETRIES);
      continue;
    }
    up_read(t, sem, L_MMAP_SEM);
    // guarded: the args object would otherwise be built on every fault, profiling or not
    if (t.probe.on) t.probe.span('fault', 'mm', since, { vpn, write, tried: (flags & FAULT_FLAG_TRIED) !== 0 });
    return ret & VM_FAULT_ERROR;
  }
}

/** The arch's access_error: the VMA does not allow this access. */
function access_error(vmFlags: number, write: boolean): boolean {
  return (vmFlags & (write ? VM_WRITE : VM_READ)) === 0;
}

/** The per-VMA-lock attempt: the fault's VM_FAULT error bits, or -1 to go on under mmap_sem. */
function vma_lock_fault(t: Task, mm: number, vpn: number, flags: number): number {
  const vma = lock_vma_under_rcu(t, mm, vpn);
  if (vma < 0) {
    t.count(ST_VMA_LOCK_FALLBACKS);
    return -1;
  }
  const vmaWord = t.lay.vma(mm, vma, 0);
  const vmFlags = t.a.load(vmaWord + VMA_FLAGS, L_VMA);
  if (access_error(vmFlags, (flags & FAULT_FLAG_WRITE) !== 0)) {
    // x86 retries a bad access under mmap_sem, which reports it
    vma_end_read(t, mm, vma);
    t.count(ST_VMA_LOCK_FALLBACKS);
    return -1;
  }
  const vmf = t.vmf;
  vmf.start(mm, vma, vmaWord, vmFlags, vpn, flags | FAULT_FLAG_VMA_LOCK);
  const ret = handle_mm_fault(t, vmf);
  if (ret & VM_FAULT_RETRY) {
    // the handler dropped the VMA lock
    t.count(ST_VMA_LOCK_FALLBACKS);
    return -1;
  }
  vma_end_read(t, mm, vma);
  t.count(ST_VMA_LOCK_FAULTS);
  return ret & VM_FAULT_ERROR;
}

function handle_mm_fault(t: Task, vmf: VmFault): number {
  // handle_pte_fault: a write to a read-only entry of a private mapping copies; a migration
  // entry waits for the migration; any other present PTE was installed by someone else
  // meanwhile: nothing to do
  const pte = walk(t, vmf.mm, vmf.vpn);
  if (pte === 0) return do_fault(t, vmf);
  if (is_migration_entry(pte)) return migration_entry_wait(t, vmf);
  if ((vmf.flags & FAULT_FLAG_WRITE) !== 0 && pte_mmu_valid(pte) && !pte_write(pte)) return do_wp_page(t, vmf);
  return 0;
}

function do_fault(t: Task, vmf: VmFault): number {
  const ret = t.vmOps.fault(t, vmf);
  if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY)) return ret;
  if ((ret & VM_FAULT_LOCKED) === 0 || vmf.page < 0) throw new Error('->fault returned neither a page nor NOPAGE');
  finish_fault(t, vmf);
  unlock_page(t, vmf.page);
  return ret & ~VM_FAULT_LOCKED;
}

/** Install the returned page; if another CPU won the race, drop our reference instead. */
function finish_fault(t: Task, vmf: VmFault): void {
  if (insert_page(t, vmf.mm, vmf.vmaWord, vmf.vpn, vmf.page, pgprot_write(vmf), false, true, L_FINISH) !== 0) put_page(t, vmf.page);
}
