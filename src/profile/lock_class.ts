// Lock classes, as lockdep and lockstat group lock instances: every mm's mmap_lock is one class,
// every PTE page's PTL another, and so on. Class names follow the kernel (mmap_sem was renamed
// mmap_lock in 5.8); instances keep the model's word names ("mm0.mmap_sem").
import { Layout } from '../shm/layout.js';
import { describeWord, lockOf } from '../harness/words.js';

export interface LockClass {
  /** class name: mmap_lock, i_mmap_rwsem, vm_lock, page_table_lock, ptl, resv, page_lock, frame_alloc */
  cls: string;
  /** reader-writer lock: lockstat splits it into -R and -W rows */
  rw: boolean;
  /** the instance: "mm0.mmap_sem", "bo3.resv", "ptl(page 5)" */
  instance: string;
}

const CLASSES: [RegExp, string, boolean][] = [
  [/^mm\d+\.mmap_sem$/, 'mmap_lock', true],
  [/^i_mmap_rwsem$/, 'i_mmap_rwsem', true],
  [/^mm\d+\.vma\d+\.vm_lock$/, 'vm_lock', true],
  [/^mm\d+\.page_table_lock$/, 'page_table_lock', false],
  [/^ptl\(page \d+\)$/, 'ptl', false],
  [/^bo\d+\.resv$/, 'resv', false],
  [/^page\d+\.lock$/, 'page_lock', false],
  [/^alloc\[\w+\]\.lock$/, 'frame_alloc', false],
];

/** The class of the lock whose main word is `idx`, or null for words that are not profiled
 * (an rwsem's internal wait_lock, say). */
export function lockClassOf(lay: Layout, idx: number): LockClass | null {
  const word = describeWord(lay, idx);
  if (word.endsWith('wait_lock')) return null;
  const instance = lockOf(lay, idx);
  for (const [re, cls, rw] of CLASSES) if (re.test(instance)) return { cls, rw, instance };
  return null;
}
