// Lock classes, as lockdep and lockstat group lock instances: every mm's mmap_lock is one class,
// every PTE page's PTL another, and so on. Class names follow the kernel (mmap_sem was renamed
// mmap_lock in 5.8); instances keep the model's word names ("mm0.mmap_sem").
import type { Config } from '../config.js';
import { Layout } from '../shm/layout.js';
import { isMmapSem, lockClassOf } from '../shm/words.js';

export interface LockClass {
  /** class name: mmap_lock, i_mmap_rwsem, vm_lock, page_table_lock, ptl, resv, page_lock, frame_alloc */
  cls: string;
  /** reader-writer lock: lockstat splits it into -R and -W rows */
  rw: boolean;
  /** the instance: "mm0.mmap_sem", "bo3.resv", "ptl(page 5)" */
  instance: string;
}

/** How a program's locks are profiled: the profiler keeps per-word state for `words` words. */
export interface LockNaming {
  readonly words: number;
  /** the class of the lock whose main word is `idx`, or null for words that are not profiled */
  classOf(idx: number): LockClass | null;
  /** an rwsem whose readers and waiters the timeline draws as a counter track */
  counted(idx: number): boolean;
}

/** The machine's: mmap_lock, the PTLs, the reservations…; mmap_sem gets the counter track. */
export function machineLockNaming(cfg: Config): LockNaming {
  const lay = new Layout(cfg);
  return {
    words: lay.words,
    classOf: (idx) => lockClassOf(lay, idx),
    counted: (idx) => isMmapSem(lay, idx),
  };
}
