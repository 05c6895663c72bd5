import test from 'ava';
import { labelName } from '../../src/sched/labels.js';
import { user_access } from '../../src/arch/x86/uaccess.js';
import { pte_page } from '../../src/mm/pgtable.js';
import { _PAGE_DIRTY, pte_frame, pte_write } from '../../src/mm/pte.js';
import { AL_TOP, PG_ANON, PG_REFCOUNT, POOL_SYSTEM, VMA_FLAGS, VM_SHARED } from '../../src/shm/layout.js';
import { machine } from '../check/machine.js';

/** A one-CPU machine whose mm 0 maps object 0 privately; `atCopy` runs when wp_page_copy copies. */
function privateMapping(atCopy: (x: { m: Int32Array; ptep: number; ptl: number }) => void) {
  let ptep = -1;
  let ptl = -1;
  const { m, lay, task } = machine({ cpus: 1, migrators: 0, processes: 1, objects: 1, pages: 2 }, true, (label) => {
    if (labelName(label) === 'wp_page_copy:copy') atCopy({ m, ptep, ptl });
  });
  m[lay.vma(0, 0, VMA_FLAGS)]! &= ~VM_SHARED;
  const t = task(0);
  const access = (write: boolean): boolean => user_access(t, 0, 0, 0, 0, write);
  return {
    m, lay, access,
    map(): void {
      access(false);
      const pp = pte_page(t, 0, 0, 0);
      ptep = lay.pte(pp, 0);
      ptl = lay.ptlOf(pp);
    },
    get ptep() { return ptep; },
    page: m[lay.backing(0, 0)]!,
    freeTop: () => m[lay.alloc[POOL_SYSTEM]! + AL_TOP]!,
  };
}

test('wp_page_copy copies a struct-page source with the PTL dropped, holding a reference, then installs the copy', (t) => {
  let seen: { ptl: number; refs: number } | null = null;
  const x = privateMapping(({ m, ptl }) => (seen = { ptl: m[ptl]!, refs: m[x.lay.page(x.page, PG_REFCOUNT)]! }));
  x.map();
  t.false(pte_write(x.m[x.ptep]!), 'a private mapping maps read-only until it writes');
  const before = x.m[x.lay.page(x.page, PG_REFCOUNT)]!;
  t.true(x.access(true));
  t.deepEqual(seen, { ptl: 0, refs: before + 1 }, 'PTL free during the copy, the source held by our reference');
  const copy = pte_frame(x.lay, x.m[x.ptep]!);
  t.not(copy, x.page);
  t.not(x.m[x.lay.page(copy, PG_ANON)], 0);
  t.is(x.m[x.lay.page(x.page, PG_REFCOUNT)], before - 1, 'the old PTE\'s reference and ours are gone');
});

test('wp_page_copy discards its copy when the entry changed while the PTL was dropped (!pte_same)', (t) => {
  let copies = 0;
  const x = privateMapping(({ m, ptep }) => {
    // the first time, the entry changes meanwhile (the same page, now dirty)
    if (copies++ === 0) m[ptep] = m[ptep]! | _PAGE_DIRTY;
  });
  x.map();
  const refs = x.m[x.lay.page(x.page, PG_REFCOUNT)]!;
  const free = x.freeTop();
  t.true(x.access(true));
  t.is(copies, 2, 'the first copy was discarded, the retried fault copied again');
  t.is(x.m[x.lay.page(x.page, PG_REFCOUNT)], refs - 1, 'no reference leaked by the discarded copy');
  t.is(x.freeTop(), free - 1, 'the discarded copy went back to the free list; only the installed one is in use');
});
