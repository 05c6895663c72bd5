import test from 'ava';
import { IPI_END, IPI_MM, IPI_REQ, IPI_START, MM_FLUSH_PENDING, TH_CUR_MM, TH_LAZY } from '../../src/shm/layout.js';
import { mk_pte, pte_mkprotnone } from '../../src/mm/pte.js';
import { check_tlb_coherent, check_tlb_revoked } from '../../src/check/tlb_coherence.js';
import { closeDetPool, explore } from '../../src/harness/explore.js';
import { detSpec, fired, machine, tlbHolds, type Machine } from './machine.js';

test.after.always(closeDetPool);

const VPN = 1;

/** cpu1 runs mm 0 and caches VPN → frame 3, writable; cpu0 is about to write VPN's PTE. */
function setup(serial = true): Machine {
  const x = machine({}, serial);
  x.m[x.lay.th(1, TH_CUR_MM)] = 0;
  tlbHolds(x, 1, VPN, mk_pte(3, false, true, false));
  return x;
}

const check = (x: Machine, pte: number): string | null => fired(() => check_tlb_coherent(x.task(0), 0, VPN, pte));

test('fires: the new entry maps another frame while a TLB still holds the old one', (t) => {
  t.is(check(setup(), mk_pte(5, false, true, false)), 'tlb-coherence');
});

test('fires: the new entry takes away write or all access the cached one grants', (t) => {
  t.is(check(setup(), mk_pte(3, false, false, false)), 'tlb-coherence');
  t.is(check(setup(), pte_mkprotnone(mk_pte(3, false, true, false))), 'tlb-coherence');
});

test('quiet: the cached entry allows nothing the new one does not', (t) => {
  t.is(check(setup(), mk_pte(3, false, true, false)), null);
  const x = machine();
  x.m[x.lay.th(1, TH_CUR_MM)] = 0;
  tlbHolds(x, 1, VPN, mk_pte(3, false, false, false));
  t.is(check(x, mk_pte(3, false, true, false)), null, 'read-only cached, writable now: a spurious fault at worst');
});

test('quiet: a flush is pending (tlb_flush_pending, or an IPI to that CPU covering the address)', (t) => {
  const x = setup();
  x.m[x.lay.mmw(0, MM_FLUSH_PENDING)] = 1;
  t.is(check(x, mk_pte(5, false, true, false)), null);
  const y = setup();
  const box = y.lay.ipiBox(1, 2);
  y.m[box + IPI_REQ] = 1;
  y.m[box + IPI_MM] = 0;
  y.m[box + IPI_START] = VPN;
  y.m[box + IPI_END] = VPN + 1;
  t.is(check(y, mk_pte(5, false, true, false)), null);
  y.m[box + IPI_START] = VPN + 1;
  y.m[box + IPI_END] = VPN + 2;
  t.is(check(y, mk_pte(5, false, true, false)), 'tlb-coherence', 'an IPI for another range does not remove it');
});

test('quiet: lazy-TLB CPUs, CPUs on another mm, and free mode (other TLBs move under us)', (t) => {
  const x = setup();
  x.m[x.lay.th(1, TH_LAZY)] = 1;
  t.is(check(x, mk_pte(5, false, true, false)), null);
  const y = setup();
  y.m[y.lay.th(1, TH_CUR_MM)] = 1;
  t.is(check(y, mk_pte(5, false, true, false)), null);
  t.is(check(setup(false), mk_pte(5, false, true, false)), null);
});

const revoked = (x: Machine, start: number, end: number): string | null => fired(() => check_tlb_revoked(x.task(0), 0, start, end, 'munmap'));

test('tlb-after-return fires: a call returns while a TLB still maps an address in its range, no flush pending', (t) => {
  t.is(revoked(setup(), VPN, VPN + 1), 'tlb-after-return');
  t.is(revoked(setup(), 0, 4), 'tlb-after-return');
});

test('tlb-after-return is quiet: outside the range, a flush pending (tlb_flush_pending or an IPI for it), lazy, another mm, free mode', (t) => {
  t.is(revoked(setup(), VPN + 1, VPN + 3), null);
  t.is(revoked(setup(), 0, VPN), null);
  const x = setup();
  x.m[x.lay.mmw(0, MM_FLUSH_PENDING)] = 1;
  t.is(revoked(x, VPN, VPN + 1), null, 'a concurrent zap\'s flush is on its way');
  const y = setup();
  const box = y.lay.ipiBox(1, 2);
  y.m[box + IPI_REQ] = 1;
  y.m[box + IPI_MM] = 0;
  y.m[box + IPI_START] = 0;
  y.m[box + IPI_END] = 0x7fffffff;
  t.is(revoked(y, VPN, VPN + 1), null, 'a whole-mm flush IPI in flight');
  const z = setup();
  z.m[z.lay.th(1, TH_LAZY)] = 1;
  t.is(revoked(z, VPN, VPN + 1), null);
  const w = setup();
  w.m[w.lay.th(1, TH_CUR_MM)] = 1;
  t.is(revoked(w, VPN, VPN + 1), null);
  t.is(revoked(setup(false), VPN, VPN + 1), null);
});

test.serial('a COW that sets the copy before it flushes is caught by tlb-coherence; the correct COW is not', async (t) => {
  const over = { pPrivate: 0.5, pMunmap: 0.05 };
  const bad = await explore({ spec: detSpec({ ...over, bugs: ['cow-set-before-flush'] }), seedStart: 1, seedCount: 300, jobs: 1, stopOnFirst: true, maxSchedules: 0 });
  t.is(bad.failures[0]?.violation.oracle, 'tlb-coherence');
  const good = await explore({ spec: detSpec(over), seedStart: 1, seedCount: 300, jobs: 1, stopOnFirst: false, maxSchedules: 0 });
  t.deepEqual(good.failures, [], good.failures[0]?.violation.message);
});

test.serial('mprotect without tlb_flush_pending (R4) is caught at the PTE change, in the small scenario', async (t) => {
  const bad = await explore({ spec: detSpec({ bugs: ['mprotect-no-flush-pending'] }), seedStart: 1, seedCount: 100, jobs: 1, stopOnFirst: true, maxSchedules: 0 });
  t.is(bad.failures[0]?.violation.oracle, 'tlb-coherence');
});
