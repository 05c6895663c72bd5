// --driver ttm-pfnmap, TTM as it maps objects since 5.14 (f91142c62161): VM_PFNMAP | VM_IO |
// VM_DONTEXPAND, COW mappings refused, every page (system RAM too) inserted as a special pfn, so
// GUP finds no page, madvise(MADV_DONTNEED) refuses the VMA, mremap cannot grow it and mm never
// migrates its pages. The MIXEDMAP-era TTM (--driver ttm) on the same tiny machine for contrast.
import test from 'ava';
import type { DriverName } from '../../src/config.js';
import { user_access } from '../../src/arch/x86/uaccess.js';
import { GUP_FAULT, pin_user_page } from '../../src/mm/gup.js';
import { madvise_dontneed } from '../../src/mm/madvise.js';
import { do_mmap, do_munmap } from '../../src/mm/mmap.js';
import { do_mremap_grow } from '../../src/mm/mremap.js';
import { pte_page } from '../../src/mm/pgtable.js';
import { pte_special } from '../../src/mm/pte.js';
import { window_vpn } from '../../src/mm/vma.js';
import { PG_MAPCOUNT, PG_REFCOUNT, VM_DONTEXPAND, VM_IO, VM_MIXEDMAP, VM_PFNMAP, VMA_END, VMA_FLAGS } from '../../src/shm/layout.js';
import { BUG_CATALOG } from '../../src/bugs/catalog.js';
import { bugSpec } from '../../src/harness/bug_spec.js';
import { closeDetPool, explore } from '../../src/harness/explore.js';
import { detSpec, machine } from '../check/machine.js';

test.after.always(closeDetPool);

/** One CPU, one object in system RAM, mapped shared by boot; CPU 0 has written page 0. */
function faulted(driver: DriverName) {
  const x = machine({ cpus: 1, migrators: 0, processes: 1, objects: 1, driver });
  const t = x.task(0);
  const vpn = window_vpn(t, 0);
  const page = x.m[x.lay.backing(0, 0)]!;
  const refs = x.m[x.lay.page(page, PG_REFCOUNT)]!;
  user_access(t, vpn, 0, 0, 0, true);
  const pte = x.m[x.lay.pte(pte_page(t, 0, vpn, 0), vpn % x.cfg.ptrsPerPte)]!;
  return { ...x, t, vpn, page, pte, refs, flags: x.m[x.lay.vma(0, 0, VMA_FLAGS)]! };
}

test('ttm-pfnmap: the VMA is VM_PFNMAP | VM_IO | VM_DONTEXPAND and a system page goes in as a special pfn, with no reference or mapcount', (t) => {
  const x = faulted('ttm-pfnmap');
  t.is(x.flags & (VM_PFNMAP | VM_IO | VM_DONTEXPAND | VM_MIXEDMAP), VM_PFNMAP | VM_IO | VM_DONTEXPAND);
  t.true(pte_special(x.pte));
  t.is(x.m[x.lay.page(x.page, PG_MAPCOUNT)], 0);
  t.is(x.m[x.lay.page(x.page, PG_REFCOUNT)], x.refs);
  const old = faulted('ttm');
  t.is(old.flags & (VM_PFNMAP | VM_MIXEDMAP), VM_MIXEDMAP);
  t.false(pte_special(old.pte), 'MIXEDMAP-era: a normal, refcounted PTE');
  t.is(old.m[old.lay.page(old.page, PG_MAPCOUNT)], 1);
});

test('ttm-pfnmap: GUP finds no page (check_vma_flags), MADV_DONTNEED leaves the PTE, mremap does not grow the VMA', (t) => {
  const x = faulted('ttm-pfnmap');
  t.is(pin_user_page(x.t, 0, x.vpn), GUP_FAULT);
  madvise_dontneed(x.t, 0, x.vpn, 1);
  t.is(x.m[x.lay.pte(pte_page(x.t, 0, x.vpn, 0), x.vpn % x.cfg.ptrsPerPte)], x.pte);
  x.m[x.lay.vma(0, 0, VMA_END)] = x.vpn + 1;
  t.false(do_mremap_grow(x.t, 0, x.vpn));
  const old = faulted('ttm');
  t.is(pin_user_page(old.t, 0, old.vpn), old.page, 'MIXEDMAP-era: GUP pins the page');
});

test('ttm-pfnmap: a private (COW) mapping is refused, as ttm_bo_mmap_obj returns -EINVAL', (t) => {
  const x = machine({ cpus: 1, migrators: 0, processes: 1, objects: 1, driver: 'ttm-pfnmap' });
  const t0 = x.task(0);
  t.true(do_munmap(t0, 0, window_vpn(t0, 0)), 'boot mapped it shared');
  t.is(do_mmap(t0, 0, 0, 0, true), -1);
  t.is(do_mmap(t0, 0, 0, 0, false), 0);
});

test.serial('ttm-pfnmap: the correct protocol stays clean, and a fault without the reservation is still caught', async (t) => {
  const clean = await explore({ spec: detSpec({ driver: 'ttm-pfnmap', pPrivate: 0.2, pDma: 0.1, pMigratePage: 0.3 }), seedStart: 1, seedCount: 500, jobs: 1, stopOnFirst: false, maxSchedules: 0 });
  t.is(clean.schedules, 500);
  t.deepEqual(clean.failures, []);
  const r1 = await explore({ spec: detSpec({ driver: 'ttm-pfnmap', bugs: ['fault-without-reserve'] }), seedStart: 1, seedCount: 1000, jobs: 1, stopOnFirst: true, maxSchedules: 0 });
  t.true(r1.failures.length > 0);
});

test.serial('the catalog races marked absent on ttm-pfnmap do not happen there, over 300 schedules of their own scenario each', async (t) => {
  const absent = BUG_CATALOG.filter((b) => b.absent?.['ttm-pfnmap'] !== undefined);
  t.deepEqual(absent.map((b) => b.name).sort(), ['cow-pfnmap-pgoff-rule', 'cow-set-before-flush', 'migrate-pinned-page', 'mover-skips-page-lock', 'no-flush-batched-pending', 'pte-alloc-without-lock']);
  for (const b of absent) {
    const r = await explore({ spec: bugSpec(b.name, { config: { driver: 'ttm-pfnmap' } }), seedStart: 1, seedCount: 300, jobs: 1, stopOnFirst: true, maxSchedules: 0 });
    t.deepEqual(r.failures.map((f) => f.violation.oracle), [], b.name);
  }
});
